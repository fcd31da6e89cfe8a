// Finishes or undoes a switch that mwan did not live to complete (kill -9,
// power loss): afterwards IPFire's files hold one whole profile, state/active
// names it, and RED has been started on it.

import { recoveryFor } from "../core/switch/journal.ts";
import { onCurrentDevice } from "../core/switch/plan.ts";
import { toRecord, parseSettings } from "../core/settings/codec.ts";
import { acquireLock } from "./lock.ts";
import { awaitNetworkRuns, refuseDuringShutdown, startRed, stopConnectd, stopRed } from "./red-ops.ts";
import { appendHistory, clearJournal, readJournal, setActive, writeJournal } from "./state.ts";
import type { SwitchDeps } from "./switch-deps.ts";

export interface Recovered {
  outcome: "completed" | "rolled back";
  profile: string | undefined;
  // RED was started on the recovered files (or was up on them already).
  up: boolean;
  // false: the files only, at boot, where IPFire's S20network starts RED next.
  restarted: boolean;
}

export interface RecoverOptions {
  downMs: number;
  upMs: number;
  // At boot, before IPFire starts RED (the init script): put the files right
  // and leave starting RED to S20network, which would otherwise run beside
  // mwan's own start. Ignored when RED is up or the dead switch left runs.
  filesOnly?: boolean;
}

export async function recoverInterrupted(
  deps: SwitchDeps,
  opts: RecoverOptions,
): Promise<Recovered | undefined> {
  const { paths, sys, clock } = deps;
  if (!readJournal(paths)) return undefined;
  const lock = acquireLock(paths);
  try {
    const journal = readJournal(paths); // re-read: another mwan may have finished it
    if (!journal) return undefined;
    const began = clock.now();
    refuseDuringShutdown(sys);
    // The `network` runs the dead switch started (their PIDs may not have
    // reached the journal, but their output goes to mwan's log): they would
    // race with ours, and what they did halfway is undone below.
    const strays = sys
      .networkRuns()
      .filter((r) => r.ours)
      .map((r) => r.pid);
    for (const pid of strays) {
      sys.stop(-pid, "SIGKILL"); // its process group: the red script below it too
      sys.stop(pid, "SIGKILL");
    }
    await clock.sleep(strays.length > 0 ? 100 : 0);
    await stopConnectd(sys, clock);
    // IPFire's own runs are not killed (a boot script killed stalls boot): they end first.
    await awaitNetworkRuns(sys, clock, opts.upMs);
    const { files: saved, profile, outcome } = recoveryFor(journal);
    const files = onCurrentDevice(saved, sys.interfaces());
    sys.writeRedFiles(files);
    if (profile) setActive(paths, profile);
    const wasUp = strays.length === 0 && sys.redState().active;
    const restarted = !wasUp && !(opts.filesOnly && strays.length === 0);
    let up = wasUp;
    if (restarted) {
      const track = (pid: number) => {
        journal.children.push(pid);
        writeJournal(paths, journal);
      };
      const dev = toRecord(
        parseSettings(files.ethernet ?? "", "/var/ipfire/ethernet/settings", { ipfire: true }),
      ).RED_DEV;
      await stopRed(sys, clock, dev, opts.downMs, track);
      up = (await startRed(sys, clock, undefined, opts.upMs, track)).ok;
    }
    clearJournal(paths);
    const where = profile ?? "the previous settings";
    const state = up ? "" : restarted ? " (RED did not come up)" : " (RED is started by IPFire)";
    const result = `interrupted switch ${outcome}: on ${where}${state}`;
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
      ok: up || !restarted,
      detail: result,
    });
    return { outcome, profile, up, restarted };
  } finally {
    lock.release();
  }
}
