// When to go back to the primary. A primary watched from the side (probes
// through its own NIC while a backup carries RED) comes back once it has been
// healthy from the side for the failback delay, with no trial beforehand. One
// that cannot be watched (QMI, a watch that cannot run) only proves itself by
// a switch to it: a trial, which costs the LAN a few seconds of outage when it
// fails, hence the minimum time on the backup and the exponential back-off. A
// PPPoE/VDSL primary keeps the trials, but only while its access concentrator
// answers discovery (see config.ts for the figures).

import type { EngineConfig } from "./config.ts";
import { hasNoCarrier, home, isMetered, sideDown } from "./profiles.ts";
import { secs } from "./switching.ts";
import type { State } from "./types.ts";

// Wait before the next trial after landing on `backup`, given the failed
// trials so far. A metered backup gets an earlier first trial and a lower cap.
export function trialWait(cfg: EngineConfig, failedTrials: number, meteredBackup: boolean): number {
  const f = cfg.failback;
  const base = meteredBackup ? f.meteredMinBackupMs : f.minBackupMs;
  const cap = meteredBackup ? f.meteredBackoffCapMs : f.backoffCapMs;
  return Math.min(cap, base * f.backoffFactor ** failedTrials);
}

export function nextTrialAt(state: State, backup: string, now: number): number {
  return now + trialWait(state.config, state.failback.failedTrials, isMetered(state, backup));
}

// Passed rounds in a row a watched primary needs at least, whatever the
// delay: a FAILBACK_DELAY shorter than the 10 rounds (20 s) that prove a link
// "up" must not make the proof, rather than the delay, set the failback time;
// the probation after the switch still proves it on RED.
const SIDE_MIN_GOOD_ROUNDS = 3;

// When RED goes back to a primary watched from the side by probes: once it
// has passed every round for the failback delay (with back-off); null while
// it is down or failing from the side, or not watched that way.
export function sideFailbackAt(state: State): number | null {
  const w = state.side[home(state).name];
  if (w?.status !== "running" || w.mode !== "probes" || w.health === "down" || w.goodSince === null)
    return null;
  if (w.streak.good < SIDE_MIN_GOOD_ROUNDS) return null;
  return w.goodSince + trialWait(state.config, state.failback.failedTrials, isMetered(state, state.active));
}

export type TrialCheck = { due: false; deferred: string | null } | { due: true; reason: string };

const notDue: TrialCheck = { due: false, deferred: null };

// Is a failback to the primary due now, and why? `deferred` says why one whose
// time has come is held back (shown in the status, logged once).
export function trialCheck(state: State, now: number): TrialCheck {
  const primary = home(state).name;
  // The backup failing is the rescue's business, not a failback.
  if (state.active === primary || state.link.health === "down") return notDue;
  const fb = state.failback;
  const watch = state.side[primary];
  const running = watch?.status === "running" ? watch : undefined;
  let reason: string;
  if (running?.mode === "probes") {
    const down = sideDown(state, primary);
    if (down !== null) return { due: false, deferred: `${primary}: ${down}` };
    const at = sideFailbackAt(state);
    if (at === null || now < at) return notDue;
    reason = `${primary} healthy from the side for ${secs(now - (running.goodSince ?? now))}`;
  } else {
    if (fb.nextTrialAt === null || now < fb.nextTrialAt) return notDue;
    reason = `${secs(now - state.activeSince)} on ${state.active}`;
  }
  if (hasNoCarrier(state, primary)) {
    return { due: false, deferred: `${primary}: no carrier` };
  }
  const carrier = state.standby[primary];
  const settle = state.config.failback.carrierSettleMs;
  if (carrier?.carrier === true && now - carrier.since < settle) {
    return { due: false, deferred: `${primary}: carrier settling` };
  }
  if (running?.mode === "discovery") {
    if (running.goodSince === null) {
      const why =
        running.streak.bad > 0 ? "no PADO from the access concentrator" : "waiting for PPPoE discovery";
      return { due: false, deferred: `${primary}: ${why}` };
    }
    reason = `${reason}; ${primary}'s access concentrator answers`;
  }
  return { due: true, reason };
}
