// Exclusive ownership through a file naming its owner: the switch lock (one
// switch at a time) and the daemon's pid file (one daemon). The file holds
// "PID STARTTIME BOOTID NONCE" and counts only while that PID is a live
// process of root's running mwan's own executable, started at that time in
// this boot. A file left by an owner that died (kill -9, power loss) is taken
// over.
//
// Taking over is race-free: a stale file is removed only by the one taker
// that created its tombstone (`FILE.stale-<digest of its text>`, O_EXCL),
// and only while it still holds that text. Nobody else removes a file with
// that text while the tombstone exists, and the nonce keeps any later lock
// from having the same text again. A taker that died holding a tombstone is
// taken over the same way, one level deeper.

import { createHash, randomBytes } from "node:crypto";
import { linkSync, openSync, closeSync, writeSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { MwanError } from "../core/errors.ts";
import { ensureDir, fsReason, listDir, readTextIfExists, tempPath } from "../adapters/files.ts";
import { type Paths, PRIVATE_DIR_MODE } from "../adapters/paths.ts";
import { bootId, isAlive, isMwan, startTime } from "../adapters/processes.ts";

export interface Lock {
  release(): void;
}

function ownerText(file: string): string | undefined {
  try {
    return readTextIfExists(file, file, 256);
  } catch {
    return ""; // a link or something else in its place: nobody's lock
  }
}

// The live mwan process a lock's text names, if any. A text without a boot
// id comes from an earlier version of mwan and counts by PID and start time.
function liveOwner(paths: Paths, text: string | undefined): number | undefined {
  const [p, start, bootOf] = text?.trim().split(" ") ?? [];
  const pid = Number(p);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  if (bootOf !== undefined && bootOf !== bootId()) return undefined;
  if (start === undefined || startTime(paths.proc, pid) !== start) return undefined;
  return isMwan(paths.proc, pid, paths.binary) ? pid : undefined;
}

// The live process that holds `file`, if any.
export function lockOwner(paths: Paths, file: string): number | undefined {
  return liveOwner(paths, ownerText(file));
}

function identity(paths: Paths): string {
  const start = startTime(paths.proc, process.pid) ?? "?";
  return `${process.pid} ${start} ${bootId()} ${randomBytes(8).toString("hex")}\n`;
}

// Creates `file` holding `text`, whole or not at all (a reader never sees it
// empty): written to a temp file, then hard-linked into place, which fails
// if anything is there.
function create(file: string, text: string): boolean {
  const tmp = tempPath(file);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

const TAKEOVER_DEPTH = 8;

// Removes `file`, found holding the stale `text`, unless someone else is
// doing so; the caller then tries to create it again.
function takeOver(paths: Paths, file: string, text: string, depth: number): void {
  if (depth > TAKEOVER_DEPTH) throw new Error("too many takers died taking it over");
  const tomb = `${file}.stale-${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
  const mine = identity(paths);
  if (create(tomb, mine)) {
    try {
      if (ownerText(file) === text) unlinkSync(file);
    } finally {
      unlinkSync(tomb);
    }
    return;
  }
  const held = ownerText(tomb);
  if (held === undefined) return; // its taker is done
  const taker = liveOwner(paths, held);
  if (taker === undefined || taker === process.pid) return takeOver(paths, tomb, held, depth + 1);
  Bun.sleepSync(2); // another mwan is removing it
}

// Tombstones whose takers died in the moment between creating and removing
// them. While the lock is held no stale lock exists, so none of them guards
// anything.
function sweepTombs(paths: Paths, file: string): void {
  const prefix = `${basename(file)}.stale-`;
  for (const name of listDir(dirname(file))) {
    const path = join(dirname(file), name);
    if (!name.startsWith(prefix) || liveOwner(paths, ownerText(path)) !== undefined) continue;
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}

export function acquireFileLock(
  paths: Paths,
  file: string,
  busy: (pid: number) => string,
  dirMode = PRIVATE_DIR_MODE,
): Lock {
  const display = paths.display(file);
  ensureDir(dirname(file), dirMode, dirname(display));
  const me = identity(paths);
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (create(file, me)) {
        sweepTombs(paths, file);
        return {
          release() {
            if (ownerText(file) === me) unlinkSync(file);
          },
        };
      }
      const text = ownerText(file);
      if (text === undefined) continue; // released meanwhile
      const pid = liveOwner(paths, text);
      // One naming this process is not a lock it holds (it would know).
      if (pid !== undefined && pid !== process.pid) throw new MwanError(busy(pid));
      takeOver(paths, file, text, 0);
    }
  } catch (err) {
    if (err instanceof MwanError) throw err;
    throw new MwanError(`cannot take ${display}: ${fsReason(err)}`);
  }
  throw new MwanError(`cannot take ${display}: it keeps changing hands`);
}

export function acquireLock(paths: Paths): Lock {
  return acquireFileLock(
    paths,
    paths.lock,
    (pid) => `another mwan (pid ${pid}) is switching RED; try again when it is done`,
  );
}
