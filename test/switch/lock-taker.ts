// TEST CODE: one of many processes taking mwan's switch lock at once
// (lock-race.test.ts). Waits for GO to exist, takes the lock (retrying while
// another holds it), writes "in PID" and "out PID" around a short hold, and
// releases it. Run under bun from source, where mwan's own executable is bun.
//
//   bun lock-taker.ts ROOT LOG GO

import { appendFileSync, existsSync } from "node:fs";
import { makePaths } from "../../src/adapters/paths.ts";
import { acquireLock } from "../../src/switching/lock.ts";

const [root, log, go] = process.argv.slice(2) as [string, string, string];
const paths = makePaths(root);
while (!existsSync(go)) Bun.sleepSync(1);
for (;;) {
  try {
    const lock = acquireLock(paths);
    appendFileSync(log, `in ${process.pid}\n`);
    Bun.sleepSync(5);
    appendFileSync(log, `out ${process.pid}\n`);
    lock.release();
    break;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.includes("is switching RED")) {
      Bun.sleepSync(1);
      continue;
    }
    appendFileSync(log, `error ${process.pid} ${message}\n`);
    break;
  }
}
