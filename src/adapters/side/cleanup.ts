// Removing what the records of a killed holder name (records.ts): its dhcpcd
// (only the very process it started: same PID and start time), the address
// it added, the VLAN it made for discovery.

import { readLinkFacts } from "../probe/link.ts";
import type { Paths } from "../paths.ts";
import { isAlive, signal, startTime } from "../processes.ts";
import { ip } from "./ip.ts";
import { readRecords, removeRecord, type SideRole } from "./records.ts";

const GONE_WITHIN_MS = 5000;
const KILLED_WITHIN_MS = 2000;

export async function cleanupRecords(paths: Paths, role: SideRole): Promise<void> {
  for (const r of readRecords(paths, role)) {
    const d = r.dhcpcd;
    if (d && startTime(paths.proc, d.pid) === d.start) await stopProcess(d.pid);
    if (r.address && r.prefix !== undefined && !redHolds(paths, r.ifname, r.address))
      await ip(paths, ["-4", "addr", "del", `${r.address}/${r.prefix}`, "dev", r.ifname]);
    if (r.vlan) await ip(paths, ["link", "del", "dev", r.vlan]);
    removeRecord(paths, r.ifname, role);
  }
}

// RED came up on the NIC since the record was written (a switch after the
// kill), maybe with the very address (the same lease from the same DHCP
// client identity, the same STATIC address): it is IPFire's now.
function redHolds(paths: Paths, ifname: string, address: string): boolean {
  const red = readLinkFacts(paths.root);
  return red.active && red.iface === ifname && (red.localAddress === null || red.localAddress === address);
}

// SIGTERM (dhcpcd: exit without a release), SIGKILL if it lingers; resolves
// once the process is gone, or a bound after the SIGKILL (a process stuck in
// the kernel must not hold up the daemon's start).
export async function stopProcess(pid: number, withinMs = GONE_WITHIN_MS): Promise<void> {
  signal(pid, "SIGTERM");
  const until = Date.now() + withinMs;
  while (isAlive(pid) && Date.now() < until) await Bun.sleep(50);
  if (isAlive(pid)) {
    signal(pid, "SIGKILL");
    const killedBy = Date.now() + KILLED_WITHIN_MS;
    while (isAlive(pid) && Date.now() < killedBy) await Bun.sleep(20);
  }
}
