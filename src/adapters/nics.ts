// The NICs of this box, from /sys/class/net below the root and from iproute2
// (IPFire's /sbin/ip, below the root too, so a test tree's stand-in answers
// for its fake NICs): the address now, the permanent address the kernel
// keeps (only netlink reports it: `ip -details -json link show` calls it
// "permaddr"), whether it is a QMI modem's netdev and which control channel
// (/dev/cdc-wdmN) that modem has.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { NetInterface } from "../core/switch/device.ts";
import { pathExists, readTextIfExists } from "./files.ts";
import type { Paths } from "./paths.ts";

// `ip` costs a process: its answer is reused while the set of NICs is the
// same, for a while (a permanent address never changes; a NIC that comes or
// goes changes the set).
const PERMANENT_FOR_MS = 30_000;
let cached: { key: string; at: number; permanent: Map<string, string> } | undefined;

function permanentAddresses(paths: Paths, names: string[]): Map<string, string> {
  const key = `${paths.ip}\0${names.join("\0")}`;
  if (cached?.key === key && Date.now() - cached.at < PERMANENT_FOR_MS) return cached.permanent;
  const permanent = new Map<string, string>();
  try {
    const r = Bun.spawnSync([paths.ip, "-details", "-json", "link", "show"], {
      stdin: "ignore",
      stderr: "ignore",
      timeout: 2000,
    });
    const links = r.exitCode === 0 ? (JSON.parse(r.stdout.toString()) as unknown) : [];
    for (const link of Array.isArray(links) ? links : []) {
      const { ifname, permaddr } = (link ?? {}) as { ifname?: unknown; permaddr?: unknown };
      if (typeof ifname === "string" && typeof permaddr === "string" && permaddr !== "")
        permanent.set(ifname, permaddr.toLowerCase());
    }
  } catch {
    // No ip, or it said something else: no NIC has a known permanent address.
  }
  cached = { key, at: Date.now(), permanent };
  return permanent;
}

// N of the modem's /dev/cdc-wdmN: the kernel lists it below the netdev's
// USB interface (device/usbmisc/cdc-wdmN).
function controlChannel(dir: string): number | undefined {
  try {
    const wdm = readdirSync(join(dir, "device", "usbmisc")).find((n) => /^cdc-wdm[0-9]+$/.test(n));
    return wdm === undefined ? undefined : Number(wdm.slice("cdc-wdm".length));
  } catch {
    return undefined;
  }
}

export function listNics(paths: Paths): NetInterface[] {
  let names: string[];
  try {
    names = readdirSync(paths.sysClassNet).sort();
  } catch {
    return [];
  }
  const permanent = permanentAddresses(paths, names);
  return names.flatMap((ifname) => {
    const dir = join(paths.sysClassNet, ifname);
    let mac: string;
    try {
      mac = readTextIfExists(join(dir, "address"), ifname, 4096)?.trim().toLowerCase() ?? "";
    } catch {
      return [];
    }
    const qmi = pathExists(join(dir, "qmi"));
    // A modem in raw-IP mode has no address, and is still the modem.
    if (!mac && !qmi) return [];
    const nic: NetInterface = { ifname, mac, qmi };
    const perm = permanent.get(ifname);
    if (perm && perm !== "00:00:00:00:00:00") nic.permanent = perm;
    const wdm = qmi ? controlChannel(dir) : undefined;
    if (wdm !== undefined) nic.wdm = wdm;
    return [nic];
  });
}

// `ip link …` with IPFire's ip, below the root; ok false when it failed.
function ipLink(paths: Paths, args: string[]): { ok: boolean; error: string } {
  try {
    const r = Bun.spawnSync([paths.ip, "link", ...args], { stdin: "ignore", stderr: "pipe", timeout: 2000 });
    return { ok: r.exitCode === 0, error: r.stderr.toString().trim() };
  } catch {
    return { ok: false, error: `${paths.display(paths.ip)} is not available` };
  }
}

// `ip link set dev IF …`.
export function setLink(paths: Paths, ifname: string, ...args: string[]): { ok: boolean; error: string } {
  return ipLink(paths, ["set", "dev", ifname, ...args]);
}

// `ip link del dev IF`: a VLAN IPFire made and left behind.
export function deleteLink(paths: Paths, ifname: string): { ok: boolean; error: string } {
  return ipLink(paths, ["del", "dev", ifname]);
}
