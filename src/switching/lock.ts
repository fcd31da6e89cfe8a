// One switch at a time: a lock file holding the owner's PID and start time.
// A lock left by a process that died (kill -9, power loss) is taken over;
// PID and start time together cannot match a later process that reused the PID.

import { closeSync, openSync, unlinkSync, writeSync } from "node:fs";
import { MwanError } from "../core/errors.ts";
import { ensureDir, fsReason, readTextIfExists } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";
import { isAlive, startTime } from "../adapters/processes.ts";

export interface Lock {
  release(): void;
}

export function acquireLock(paths: Paths): Lock {
  ensureDir(paths.stateDir, 0o755, "state/");
  const me = `${process.pid} ${startTime(paths.proc, process.pid) ?? "?"}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(paths.lock, "wx", 0o644);
      writeSync(fd, me);
      closeSync(fd);
      return {
        release() {
          if (readTextIfExists(paths.lock) === me) unlinkSync(paths.lock);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new MwanError(`cannot take state/lock: ${fsReason(err)}`);
      }
    }
    const owner = readTextIfExists(paths.lock)?.trim().split(" ");
    const pid = Number(owner?.[0]);
    if (
      Number.isInteger(pid) &&
      pid > 0 &&
      isAlive(pid) &&
      startTime(paths.proc, pid) === owner?.[1]
    ) {
      throw new MwanError(
        `another mwan (pid ${pid}) is switching RED; try again when it is done`,
      );
    }
    try {
      unlinkSync(paths.lock); // stale: its owner is gone
    } catch {
      // Someone else removed it first; try again.
    }
  }
  throw new MwanError("cannot take state/lock: it keeps changing hands");
}
