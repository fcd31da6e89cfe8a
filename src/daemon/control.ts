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

// A daemon that did not start: why, as it logged it (undefined when the log
// holds no reason: a /var/log it cannot write), whether it wrote to the log
// at all, and its exit status (undefined when it did not exit, but did not
// take the pid file in time).
export type StartResult =
  { pid: number } | { pid: undefined; why: string | undefined; logged: boolean; exitCode?: number };

// Starts `mwan daemon run` in a new session, detached from the caller's
// terminal and files, and waits until it has taken the pid file. Its stderr
// goes nowhere (it outlives the caller), so why it did not start is read
// back from what it appended to the log during this start.
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
    },
  });
  child.unref();
  const until = clock.now() + timeoutMs;
  while (clock.now() < until) {
    const pid = daemonPid(paths);
    if (pid !== undefined) return { pid };
    if (child.exitCode !== null) {
      const appended = readAppended(paths.logFile, logged);
      return { pid: undefined, why: firstError(appended), logged: appended !== "", exitCode: child.exitCode };
    }
    await clock.sleep(20);
  }
  return {
    pid: undefined,
    why: `it did not start within ${timeoutMs / 1000} s`,
    logged: readAppended(paths.logFile, logged) !== "",
  };
}

// The log's first error line, without its time, level and the daemon's
// "not started: " (logger.ts writes "<ISO time> ERROR <message>").
function firstError(log: string): string | undefined {
  const line = log.split("\n").find((l) => /^\S+ ERROR /.test(l));
  return line?.replace(/^\S+ ERROR +/, "").replace(/^not started: /, "");
}
