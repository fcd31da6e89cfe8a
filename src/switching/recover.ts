// Finishes or undoes a switch that mwan did not live to complete (kill -9,
// power loss): afterwards IPFire's files hold one whole profile, state/active
// names it, and RED has been started on it.

import { recoveryFor } from "../core/switch/journal.ts";
import { toRecord, parseSettings } from "../core/settings/codec.ts";
import { acquireLock } from "./lock.ts";
import { refuseDuringShutdown, startRed, stopConnectd, stopRed } from "./red-ops.ts";
import { appendHistory, clearJournal, readJournal, setActive, writeJournal } from "./state.ts";
import type { SwitchDeps } from "./switch-red.ts";

export interface Recovered {
  outcome: "completed" | "rolled back";
  profile: string | undefined;
  up: boolean;
}

export async function recoverInterrupted(
  deps: SwitchDeps,
  limits: { downMs: number; upMs: number },
): Promise<Recovered | undefined> {
  const { paths, sys, clock } = deps;
  if (!readJournal(paths)) return undefined;
  const lock = acquireLock(paths);
  try {
    const journal = readJournal(paths); // re-read: another mwan may have finished it
    if (!journal) return undefined;
    const began = clock.now();
    refuseDuringShutdown(sys);
    // Every `network` run of this root belongs to the dead switch (its PID may
    // not have reached the journal): it would race with ours, and whatever it
    // did halfway is undone by the full stop and start below.
    const strays = sys.networkPids();
    for (const pid of strays) {
      sys.stop(-pid, "SIGKILL"); // its process group: the red script below it too
      sys.stop(pid, "SIGKILL");
    }
    await clock.sleep(strays.length > 0 ? 100 : 0);
    await stopConnectd(sys, clock);
    const { files, profile, outcome } = recoveryFor(journal);
    sys.writeRedFiles(files);
    if (profile) setActive(paths, profile);
    let up = strays.length === 0 && sys.redState().active;
    if (!up) {
      const track = (pid: number) => {
        journal.children.push(pid);
        writeJournal(paths, journal);
      };
      const dev = toRecord(parseSettings(files.ethernet ?? "", "/var/ipfire/ethernet/settings")).RED_DEV;
      await stopRed(sys, clock, dev, limits.downMs, track);
      up = (await startRed(sys, clock, undefined, limits.upMs, track)).ok;
    }
    clearJournal(paths);
    const result = `interrupted switch ${outcome}: on ${profile ?? "the previous settings"}${up ? "" : " (RED did not come up)"}`;
    appendHistory(paths, {
      at: began,
      from: journal.from,
      to: journal.to,
      ok: outcome === "completed",
      reason: journal.reason,
      result,
      ms: clock.now() - began,
    });
    deps.onStep({
      name: "recover",
      ms: clock.now() - began,
      ok: up,
      detail: result,
    });
    return { outcome, profile, up };
  } finally {
    lock.release();
  }
}
