// Admin commands for a running daemon: written to /var/run/mwan, then
// SIGUSR2. While the daemon runs it owns RED, so `mwan switch` and
// `mwan failback` go through its engine instead of racing it. Each command
// carries an id the daemon puts into status.json once it has acted on it,
// so the command returns only when `mwan status` shows its effect.

import { randomUUID } from "node:crypto";
import type { Command } from "../core/engine/types.ts";
import { ensureDir, readTextIfExists, writeFileAtomic } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";
import { readHistory } from "../switching/state.ts";
import type { HistoryEntry } from "../switching/state.ts";
import { type Clock, realClock } from "../switching/red-ops.ts";
import { daemonPid, signalDaemon } from "./control.ts";
import { readSnapshot, type StatusSnapshot } from "./status.ts";

export type SentCommand = Command & { id: string };

// The command's id, or undefined when no daemon took the signal.
export function sendCommand(paths: Paths, command: Command): string | undefined {
  ensureDir(paths.runMwan, 0o755, "/var/run/mwan");
  const id = randomUUID();
  writeFileAtomic(paths.commandFile, JSON.stringify({ ...command, id }), {
    display: "/var/run/mwan/command.json",
    mode: 0o600,
  });
  return signalDaemon(paths, "SIGUSR2") ? id : undefined;
}

// The daemon's status once it satisfies `done`, or undefined at timeout.
export async function awaitStatus(
  paths: Paths,
  done: (s: StatusSnapshot) => boolean,
  timeoutMs: number,
  clock: Clock = realClock,
): Promise<StatusSnapshot | undefined> {
  const until = clock.now() + timeoutMs;
  for (let s = answered(paths, done); s !== null; s = answered(paths, done)) {
    if (s !== undefined) return s;
    if (clock.now() >= until) return undefined;
    await clock.sleep(20);
  }
  return undefined;
}

// The same, for commands whose run is synchronous (a reload after a
// configuration change).
export function awaitStatusSync(
  paths: Paths,
  done: (s: StatusSnapshot) => boolean,
  timeoutMs: number,
): StatusSnapshot | undefined {
  const until = Date.now() + timeoutMs;
  for (let s = answered(paths, done); s !== null; s = answered(paths, done)) {
    if (s !== undefined) return s;
    if (Date.now() >= until) return undefined;
    Bun.sleepSync(20);
  }
  return undefined;
}

// The daemon's status if it satisfies `done`; null when no daemon runs.
function answered(paths: Paths, done: (s: StatusSnapshot) => boolean): StatusSnapshot | undefined | null {
  const pid = daemonPid(paths);
  if (pid === undefined) return null;
  const snap = readSnapshot(readTextIfExists(paths.statusFile), pid);
  return snap && done(snap) ? snap : undefined;
}

// The first switch the daemon records after `since`, or undefined at timeout.
export async function awaitSwitch(
  paths: Paths,
  since: number,
  timeoutMs: number,
  clock: Clock = realClock,
): Promise<HistoryEntry | undefined> {
  const until = clock.now() + timeoutMs;
  while (clock.now() < until) {
    const entry = readHistory(paths).find((h) => h.at >= since);
    if (entry) return entry;
    await clock.sleep(100);
  }
  return undefined;
}

// The log line for a command, in the admin's words.
export function describeCommand(command: Command, active: string, primary: string): string {
  switch (command.kind) {
    case "hold":
      return `admin: hold (RED stays on ${active} until mwan resume)`;
    case "resume":
      return "admin: resume (automatic switching again)";
    case "switchTo": {
      const back = command.rollback === false ? ", staying there even if it does not come up" : "";
      return `admin: switch to ${command.profile}${back} (held there until mwan resume)`;
    }
    case "failbackNow":
      return `admin: failback to ${primary} now`;
  }
}
