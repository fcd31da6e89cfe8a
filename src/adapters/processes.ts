// Processes by PID, read from /proc: mwan never picks processes by a pattern
// over the whole process table, it checks what a given PID really is — whose
// it is and what it runs, since any user can name a process anything.

import { readdirSync, readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { readTextIfExists } from "./files.ts";

// This boot's id: what a PID or a NIC's name means lasts until the next boot.
let boot: string | undefined;
export function bootId(): string {
  try {
    boot ??= readTextIfExists("/proc/sys/kernel/random/boot_id", "boot_id", 64)?.trim() || "-";
  } catch {
    boot = "-";
  }
  return boot;
}

// A zombie has exited: only its exit status waits for its parent.
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  const stat = procText("/proc", pid, "stat");
  return stat?.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
}

// A file of /proc/PID, or undefined when the process is gone.
function procText(proc: string, pid: number, file: string): string | undefined {
  try {
    return readTextIfExists(join(proc, String(pid), file));
  } catch {
    return undefined; // it exited while we looked
  }
}

export function commandLine(proc: string, pid: number): string[] | undefined {
  const raw = procText(proc, pid, "cmdline");
  return raw === undefined || raw === "" ? undefined : raw.replace(/\0$/, "").split("\0");
}

export function comm(proc: string, pid: number): string | undefined {
  return procText(proc, pid, "comm")?.trim();
}

// The start time in clock ticks since boot (field 22 of /proc/PID/stat): with
// the PID it tells a process apart from a later one that reused the PID.
export function startTime(proc: string, pid: number): string | undefined {
  const stat = procText(proc, pid, "stat");
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields?.[19];
}

// Real and effective uid (the Uid: line of /proc/PID/status).
function uids(proc: string, pid: number): [number, number] | undefined {
  const line = procText(proc, pid, "status")
    ?.split("\n")
    .find((l) => l.startsWith("Uid:"));
  const [real, effective] = line?.split(/\s+/).slice(1, 3).map(Number) ?? [];
  return real === undefined || effective === undefined ? undefined : [real, effective];
}

// The uid whose processes mwan trusts: root's on the firewall; the test
// runner's own when mwan runs unprivileged (tests against temp trees).
export const trustedUid = (): number => process.getuid?.() ?? 0;

// Both the real and the effective uid are the trusted one: a setuid program
// that someone else started does not count.
export function isTrustedUser(proc: string, pid: number): boolean {
  const ids = uids(proc, pid);
  return ids !== undefined && ids[0] === trustedUid() && ids[1] === trustedUid();
}

// PIDs of root's processes running one of the `scripts`: the way to find
// IPFire's connectd, which has no pid file, and `network` runs. The script is
// what the kernel ran — argv[0], or argv[1] behind its interpreter
// (#!/bin/bash), never a later argument — resolved through symlinks, so rc's
// S20network and K80network links count as the network script they point
// to. comm (the name the script was run under) filters first: `name`, or an
// rc link's `S20name`. Any user can start a process with that comm and argv,
// so only root's count.
export function scriptPids(proc: string, name: string, scripts: string[]): number[] {
  const wanted = new Set(scripts.flatMap((s) => realPath(s) ?? []));
  const rcLink = new RegExp(`^[SK][0-9]+${name}$`);
  const pids: number[] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const pid = Number(entry);
    const c = comm(proc, pid);
    if (pid === process.pid || c === undefined || (c !== name && !rcLink.test(c))) continue;
    const argv = commandLine(proc, pid) ?? [];
    if (!argv.slice(0, 2).some((arg) => arg.startsWith("/") && wanted.has(realPath(arg) ?? arg))) continue;
    if (isTrustedUser(proc, pid)) pids.push(pid);
  }
  return pids;
}

export function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

// Where the process's standard output goes (a file's path), if readable.
export function stdoutOf(proc: string, pid: number): string | undefined {
  try {
    return readlinkSync(join(proc, String(pid), "fd", "1"));
  } catch {
    return undefined;
  }
}

// The executable a process runs; a file replaced since it started (an
// upgrade) reads "… (deleted)" and names the path it had.
function executableOf(proc: string, pid: number): string | undefined {
  try {
    return readlinkSync(join(proc, String(pid), "exe")).replace(/ \(deleted\)$/, "");
  } catch {
    return undefined;
  }
}

// The process is root's and runs mwan's own executable: this very binary, or
// the installed one (`installed`, which a daemon started before an upgrade
// still runs). A name alone proves nothing: anyone can call a program mwan.
export function isMwan(proc: string, pid: number, installed: string): boolean {
  const exe = executableOf(proc, pid);
  const own = executableOf(proc, process.pid) ?? process.execPath;
  const ok = exe !== undefined && (exe === own || exe === (realPath(installed) ?? installed));
  return ok && isTrustedUser(proc, pid);
}

export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

export function readPidFile(path: string): number | undefined {
  let text: string | undefined;
  try {
    text = readTextIfExists(path, path, 64)?.trim();
  } catch {
    return undefined; // not a pid file (a link, a directory, something huge)
  }
  return text && /^[0-9]+$/.test(text) ? Number(text) : undefined;
}
