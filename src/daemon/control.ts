// Starting, stopping and finding the daemon from other mwan processes (the
// CLI, the init script, install). The pid file names the daemon together with
// its start time, so a stale file or a reused PID is never mistaken for it.

import type { Paths } from "../adapters/paths.ts";
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

// Starts `mwan daemon run` in a new session, detached from the caller's
// terminal and files, and waits until it has taken the pid file.
export async function startDaemon(
  paths: Paths,
  executable: string,
  timeoutMs = 5000,
  clock: Clock = realClock,
): Promise<number | undefined> {
  const running = daemonPid(paths);
  if (running !== undefined) return running;
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
    if (pid !== undefined) return pid;
    if (child.exitCode !== null) return undefined;
    await clock.sleep(20);
  }
  return undefined;
}
