// Operator commands for a running daemon: written to /var/run/mwan, then
// SIGUSR2. While the daemon runs it owns RED, so `mwan switch` and
// `mwan failback` go through its engine instead of racing it.

import type { Command } from "../core/engine/types.ts";
import { ensureDir, writeFileAtomic } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";
import { readHistory } from "../switching/state.ts";
import type { HistoryEntry } from "../switching/state.ts";
import { type Clock, realClock } from "../switching/red-ops.ts";
import { signalDaemon } from "./control.ts";

export function sendCommand(paths: Paths, command: Command): boolean {
  ensureDir(paths.runMwan, 0o755, "/var/run/mwan");
  writeFileAtomic(paths.commandFile, JSON.stringify(command), {
    display: "/var/run/mwan/command.json",
    mode: 0o600,
  });
  return signalDaemon(paths, "SIGUSR2");
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
