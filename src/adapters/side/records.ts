// What a side link has put on the box, written before it is put there, so a
// daemon that was killed leaves enough behind for the next one to remove it:
// one record per NIC in <run>/mwan/side (tmpfs: a reboot takes the record and
// what it names alike). Root's, 0700/0600, read without following links.

import { chmodSync, lstatSync, readdirSync } from "node:fs";
import { MwanError } from "../../core/errors.ts";
import { trustedUid } from "../processes.ts";
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
}

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

const recordPath = (paths: Paths, ifname: string): string => join(sideDir(paths), `${ifname}.record`);

export function writeRecord(paths: Paths, r: SideRecord): void {
  ensureSideDir(paths);
  writeFileAtomic(recordPath(paths, r.ifname), `${JSON.stringify(r)}\n`, { mode: 0o600, durable: false });
}

export function removeRecord(paths: Paths, ifname: string): void {
  try {
    removeFile(recordPath(paths, ifname));
  } catch {
    // tmpfs gone or not ours: nothing more to do
  }
}

export function readRecords(paths: Paths): SideRecord[] {
  let names: string[];
  try {
    names = readdirSync(sideDir(paths));
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    if (!n.endsWith(".record") || !validIfname(n.slice(0, -".record".length))) return [];
    try {
      const r = JSON.parse(readTextIfExists(join(sideDir(paths), n), n, 4096) ?? "null") as SideRecord | null;
      return r && typeof r.ifname === "string" && validIfname(r.ifname) ? [r] : [];
    } catch {
      return [];
    }
  });
}
