// Starting, stopping and finding the daemon from other mwan processes (the
// CLI, the init script, install). The pid file names the daemon together with
// its start time, so a stale file or a reused PID is never mistaken for it.

import type { Paths } from "../adapters/paths.ts";
import { fileSize, readAppended } from "../adapters/files.ts";
import { isAlive, signal } from "../adapters/processes.ts";
import { lockOwner } from "../switching/lock.ts";
import { type Clock, realClock } from "../switching/red-ops.ts";

export function daemonPid(paths: Paths): number | undefined {
  return lockOwner(paths, paths.pidFile);
}

export function signalDaemon(paths: Paths, sig: NodeJS.Signals): boolean {
  const pid = daemonPid(paths);
  return pid !== undefined && signal(pid, sig);
}

// SIGTERM, then wait: the daemon finishes a switch in flight before it exits,
// which is bounded by the switch timeouts.
export async function stopDaemon(
  paths: Paths,
  timeoutMs: number,
  clock: Clock = realClock,
): Promise<number | undefined> {
  const pid = daemonPid(paths);
  if (pid === undefined) return undefined;
  signal(pid, "SIGTERM");
  const until = clock.now() + timeoutMs;
  while (isAlive(pid) && clock.now() < until) await clock.sleep(50);
  if (isAlive(pid)) signal(pid, "SIGKILL"); // a switch it left is recovered at the next start
  return pid;
}

export async function startDaemon(
  paths: Paths,
  executable: string,
  timeoutMs = 5000,
  clock: Clock = realClock,
): Promise<number | undefined> {
  return (await launchDaemon(paths, executable, timeoutMs, clock)).pid;
}

// A daemon that did not start: why, as it logged it (a line per problem;
// none when the log holds no reason: a /var/log it cannot write), whether it
// wrote to the log at all, and its exit status (undefined when it did not
// exit, but did not take the pid file in time).
export type StartResult =
  { pid: number } | { pid: undefined; why: string[]; logged: boolean; exitCode?: number };

export async function launchDaemon(
  paths: Paths,
  executable: string,
  timeoutMs = 5000,
  clock: Clock = realClock,
): Promise<StartResult> {
  const running = daemonPid(paths);
  if (running !== undefined) return { pid: running };
  const logged = fileSize(paths.logFile);
  const child = Bun.spawn([executable, "daemon", "run", "--root", paths.root], {
    cwd: "/",
    stdin: "ignore",
    stdout: "ignore",
    stderr: "ignore",
    detached: true,
    env: {
      PATH: "/usr/local/bin:/usr/local/sbin:/sbin:/usr/sbin:/bin:/usr/bin",
      LANG: "C",
      // bun's allocator returns freed pages to the kernel 10 ms after a
      // free by default; for a daemon allocating a little five times a
      // second, 1 s cut its CPU by 0.15–0.4 % of a core at the same RSS
      // (README, "Measurements").
      MIMALLOC_PURGE_DELAY: "1000",
      // JavaScriptCore's optimizing tiers (DFG, and FTL above it) keep a
      // compiler thread busy and 7 MB of RSS for a daemon whose JavaScript
      // runs a few milliseconds a second; the baseline JIT does that work
      // for the same CPU (README, "Measurements").
      BUN_JSC_useDFGJIT: "0",
    },
  });
  child.unref();
  const until = clock.now() + timeoutMs;
  while (clock.now() < until) {
    const pid = daemonPid(paths);
    if (pid !== undefined) return { pid };
    if (child.exitCode !== null) {
      const appended = readAppended(paths.logFile, logged);
      return {
        pid: undefined,
        why: loggedErrors(appended),
        logged: appended !== "",
        exitCode: child.exitCode,
      };
    }
    await clock.sleep(20);
  }
  return {
    pid: undefined,
    why: [`it did not start within ${timeoutMs / 1000} s`],
    logged: readAppended(paths.logFile, logged) !== "",
  };
}

// The log's error lines, without their time, level and the daemon's
// "not started: " (logger.ts writes "<ISO time> ERROR <message>").
function loggedErrors(log: string): string[] {
  return log
    .split("\n")
    .filter((l) => /^\S+ ERROR /.test(l))
    .map((l) => l.replace(/^\S+ ERROR +/, "").replace(/^not started: /, ""));
}
