// Processes by PID, read from /proc: mwan never picks processes by a pattern
// over the whole process table, it checks what a given PID really is.

import { readdirSync, readlinkSync, realpathSync } from "node:fs";
import { basename, join } from "node:path";
import { readTextIfExists } from "./files.ts";

// A zombie has exited: only its exit status waits for its parent.
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  const stat = readTextIfExists(join("/proc", String(pid), "stat"));
  return stat?.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
}

export function commandLine(proc: string, pid: number): string[] | undefined {
  const raw = readTextIfExists(join(proc, String(pid), "cmdline"));
  return raw === undefined || raw === "" ? undefined : raw.replace(/\0$/, "").split("\0");
}

export function comm(proc: string, pid: number): string | undefined {
  return readTextIfExists(join(proc, String(pid), "comm"))?.trim();
}

// The start time in clock ticks since boot (field 22 of /proc/PID/stat): with
// the PID it tells a process apart from a later one that reused the PID.
export function startTime(proc: string, pid: number): string | undefined {
  const stat = readTextIfExists(join(proc, String(pid), "stat"));
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields?.[19];
}

// PIDs running one of the `scripts`: the way to find IPFire's connectd, which
// has no pid file, and `network` runs. The script is what the kernel ran —
// argv[0], or argv[1] behind its interpreter (#!/bin/bash), never a later
// argument — resolved through symlinks, so rc's S20network and K80network
// links count as the network script they point to. comm (the name the
// script was run under) filters first: `name`, or an rc link's `S20name`.
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
    if (argv.slice(0, 2).some((arg) => arg.startsWith("/") && wanted.has(realPath(arg) ?? arg)))
      pids.push(pid);
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

// The process runs an mwan binary (any install path or version; a replaced
// binary reads "… (deleted)") or mwan from source under bun.
export function isMwan(proc: string, pid: number): boolean {
  try {
    const exe = basename(readlinkSync(join(proc, String(pid), "exe")).replace(/ \(deleted\)$/, ""));
    return exe.startsWith("mwan") || exe === "bun" || exe === "bun.exe"; // npm ships bun as bun.exe
  } catch {
    return false;
  }
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
  const text = readTextIfExists(path)?.trim();
  return text && /^[0-9]+$/.test(text) ? Number(text) : undefined;
}
