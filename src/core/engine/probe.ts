// What the shell should probe now. Derived from the state after every event
// and stored in `State.probe`, so the shell reads one field; the previous
// plan is kept when nothing changed, so the shell compares by identity.

import { linkFault } from "../health/link.ts";
import { isMetered } from "./profiles.ts";
import type { ProbePlan, State } from "./types.ts";

export function probePlan(state: State): ProbePlan | null {
  // Nothing to probe mid-switch, after shutdown, or while RED's own facts
  // already say the link is unusable.
  if (state.mode !== "running") return null;
  const facts = state.link.facts;
  if (facts === null || linkFault(facts) !== null) return null;
  const cfg = state.config;
  // A healthy metered link gets sparse rounds; the first failed round (or a
  // link not yet proven) brings back full rounds, so detection stays fast.
  const sparse = isMetered(state, state.active) && state.link.health === "up" && state.link.streak.bad === 0;
  const plan: ProbePlan = {
    profile: state.active,
    intervalMs: sparse ? cfg.metered.probeIntervalMs : cfg.probeIntervalMs,
    targetsPerRound: sparse ? cfg.metered.targetsPerRound : "all",
    timeoutMs: cfg.probeTimeoutMs,
  };
  return state.probe !== null && sameProbePlan(state.probe, plan) ? state.probe : plan;
}

export function sameProbePlan(a: ProbePlan, b: ProbePlan): boolean {
  return (
    a.profile === b.profile &&
    a.intervalMs === b.intervalMs &&
    a.targetsPerRound === b.targetsPerRound &&
    a.timeoutMs === b.timeoutMs
  );
}
