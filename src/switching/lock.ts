// Exclusive ownership through a file holding the owner's PID and start time:
// the switch lock (one switch at a time) and the daemon's pid file (one
// daemon). A file left by a process that died (kill -9, power loss) is taken
// over; PID and start time together cannot match a later process that reused
// the PID.

import { closeSync, openSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { MwanError } from "../core/errors.ts";
import { ensureDir, fsReason, readTextIfExists } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";
import { isAlive, isMwan, startTime } from "../adapters/processes.ts";

export interface Lock {
  release(): void;
}

// The live process that holds `file`, if any.
export function lockOwner(paths: Paths, file: string): number | undefined {
  const owner = readTextIfExists(file)?.trim().split(" ");
  const pid = Number(owner?.[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return startTime(paths.proc, pid) === owner?.[1] && isMwan(paths.proc, pid) ? pid : undefined;
}

export function acquireFileLock(paths: Paths, file: string, busy: (pid: number) => string): Lock {
  const display = paths.display(file);
  ensureDir(dirname(file), 0o755, dirname(display));
  const me = `${process.pid} ${startTime(paths.proc, process.pid) ?? "?"}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o644);
      writeSync(fd, me);
      closeSync(fd);
      return {
        release() {
          if (readTextIfExists(file) === me) unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new MwanError(`cannot take ${display}: ${fsReason(err)}`);
      }
    }
    const pid = lockOwner(paths, file);
    if (pid !== undefined) throw new MwanError(busy(pid));
    try {
      unlinkSync(file); // stale: its owner is gone
    } catch {
      // Someone else removed it first; try again.
    }
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
