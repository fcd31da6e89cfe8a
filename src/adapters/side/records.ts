// What a side link has put on the box, written before it is put there, so a
// daemon that was killed leaves enough behind for the next one to remove it:
// one record per NIC and role in <run>/mwan/side (tmpfs: a reboot takes the
// record and what it names alike). Root's, 0700/0600, read without following
// links.
//
// Two roles hold side paths: the daemon's side watch, and `mwan profile
// test` for a profile the daemon does not watch, which may run while a
// daemon starts. Each cleans up only its own role's records (and slots,
// routing.ts), and the daemon leaves a NIC alone while a live test holds it.

import { chmodSync, lstatSync, readdirSync } from "node:fs";
import { MwanError } from "../../core/errors.ts";
import { startTime, trustedUid } from "../processes.ts";
import { join } from "node:path";
import { ensureDir, readTextIfExists, removeFile, writeFileAtomic } from "../files.ts";
import type { Paths } from "../paths.ts";
import { PRIVATE_DIR_MODE } from "../paths.ts";

export interface SideRecord {
  profile: string;
  ifname: string;
  // The address mwan added (with its prefix), when it did.
  address?: string;
  prefix?: number;
  // mwan's dhcpcd: pid and start time (processes.ts startTime), so a PID
  // reused by another process is never signalled.
  dhcpcd?: { pid: number; start: string };
  // A VLAN device made for discovery.
  vlan?: string;
  // The process that holds the path (pid and start time).
  owner?: { pid: number; start: string };
}

export type SideRole = "daemon" | "test";
const SUFFIX: Record<SideRole, string> = { daemon: ".record", test: ".test" };

const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

export const sideDir = (paths: Paths): string => join(paths.runMwan, "side");

export function validIfname(name: string): boolean {
  return IFNAME.test(name) && name !== "." && name !== "..";
}

// Root's and nobody else's: dhcpcd runs the hook link in it as root, and the
// hook writes only into a directory like this (dhcp-hook.ts).
export function ensureSideDir(paths: Paths): string {
  const dir = sideDir(paths);
  ensureDir(paths.runMwan, 0o755);
  ensureDir(dir, PRIVATE_DIR_MODE);
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== trustedUid())
    throw new MwanError(`${paths.display(dir)} is not a directory of root's`);
  if ((st.mode & 0o077) !== 0) chmodSync(dir, PRIVATE_DIR_MODE);
  return dir;
}

const recordPath = (paths: Paths, ifname: string, role: SideRole): string =>
  join(sideDir(paths), `${ifname}${SUFFIX[role]}`);

export function writeRecord(paths: Paths, r: SideRecord, role: SideRole): void {
  ensureSideDir(paths);
  const start = startTime(paths.proc, process.pid);
  const owned: SideRecord = start === undefined ? r : { ...r, owner: { pid: process.pid, start } };
  writeFileAtomic(recordPath(paths, r.ifname, role), `${JSON.stringify(owned)}\n`, {
    mode: 0o600,
    durable: false,
  });
}

export function removeRecord(paths: Paths, ifname: string, role: SideRole): void {
  try {
    removeFile(recordPath(paths, ifname, role));
  } catch {
    // tmpfs gone or not ours: nothing more to do
  }
}

export function readRecords(paths: Paths, role: SideRole): SideRecord[] {
  let names: string[];
  try {
    names = readdirSync(sideDir(paths));
  } catch {
    return [];
  }
  const suffix = SUFFIX[role];
  return names.flatMap((n) => {
    if (!n.endsWith(suffix) || !validIfname(n.slice(0, -suffix.length))) return [];
    try {
      const r = JSON.parse(readTextIfExists(join(sideDir(paths), n), n, 4096) ?? "null") as SideRecord | null;
      return r && typeof r.ifname === "string" && validIfname(r.ifname) ? [r] : [];
    } catch {
      return [];
    }
  });
}

// The pid of a live `mwan profile test` that holds a path on `ifname`.
export function testHolding(paths: Paths, ifname: string): number | undefined {
  const owner = readRecords(paths, "test").find((r) => r.ifname === ifname)?.owner;
  return owner && startTime(paths.proc, owner.pid) === owner.start ? owner.pid : undefined;
}
