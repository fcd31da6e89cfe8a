// Removing what the records of a killed daemon name (records.ts): its dhcpcd
// (only the very process it started: same PID and start time), the address
// it added, the VLAN it made for discovery.

import type { Paths } from "../paths.ts";
import { isAlive, signal, startTime } from "../processes.ts";
import { ip } from "./ip.ts";
import { readRecords, removeRecord } from "./records.ts";

const GONE_WITHIN_MS = 5000;

export async function cleanupRecords(paths: Paths): Promise<void> {
  for (const r of readRecords(paths)) {
    const d = r.dhcpcd;
    if (d && startTime(paths.proc, d.pid) === d.start) await stopProcess(d.pid);
    if (r.address && r.prefix !== undefined)
      await ip(paths, ["-4", "addr", "del", `${r.address}/${r.prefix}`, "dev", r.ifname]);
    if (r.vlan) await ip(paths, ["link", "del", "dev", r.vlan]);
    removeRecord(paths, r.ifname);
  }
}

// SIGTERM (dhcpcd: exit without a release), SIGKILL if it lingers; resolves
// once the process is gone.
export async function stopProcess(pid: number, withinMs = GONE_WITHIN_MS): Promise<void> {
  signal(pid, "SIGTERM");
  const until = Date.now() + withinMs;
  while (isAlive(pid) && Date.now() < until) await Bun.sleep(50);
  if (isAlive(pid)) {
    signal(pid, "SIGKILL");
    while (isAlive(pid)) await Bun.sleep(20);
  }
}
