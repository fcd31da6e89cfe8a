// When to try the primary again. IPFire has one RED: while a backup carries
// it, the primary's NIC is down and cannot be probed (contract.md §9), so the
// only proof that the primary works is to switch to it. A trial costs the LAN
// a few seconds of outage when it fails, hence the minimum time on the backup
// and the exponential back-off (see config.ts for the figures).

import type { EngineConfig } from "./config.ts";
import { hasNoCarrier, home, isMetered } from "./profiles.ts";
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

export type TrialCheck = { due: false; deferred: string | null } | { due: true };

// Is a trial of the primary due now? `deferred` says why a trial whose time
// has come is held back (shown in the status, logged once).
export function trialCheck(state: State, now: number): TrialCheck {
  const at = state.failback.nextTrialAt;
  const primary = home(state).name;
  if (at === null || now < at || state.active === primary) {
    return { due: false, deferred: null };
  }
  if (state.link.health === "down") {
    // The backup failing is the rescue's business, not a trial.
    return { due: false, deferred: null };
  }
  if (hasNoCarrier(state, primary)) {
    return { due: false, deferred: `${primary}: no carrier` };
  }
  const carrier = state.standby[primary];
  const settle = state.config.failback.carrierSettleMs;
  if (carrier?.carrier === true && now - carrier.since < settle) {
    return { due: false, deferred: `${primary}: carrier settling` };
  }
  return { due: true };
}
