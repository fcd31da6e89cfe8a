// Starting a switch. The engine enters "switching" and decides nothing more
// until the shell reports the outcome with `switchDone`: one switch at a time,
// because IPFire has no lock of its own around `network stop/start red`.

import { home } from "./profiles.ts";
import type { Action, State, SwitchKind, SwitchRecord } from "./types.ts";

export function startSwitch(
  state: State,
  now: number,
  out: Action[],
  to: string,
  kind: Exclude<SwitchKind, "failback">,
  reason: string,
  rollback = false,
): State {
  out.push({ type: "switch", from: state.active, to, kind, reason, rollback });
  // An operator's reason already begins with the kind: say it once.
  const why = reason.startsWith(`${kind}: `) ? reason.slice(kind.length + 2) : reason;
  out.push({
    type: "log",
    level: "info",
    message: `${kind}: ${state.active} -> ${to}: ${why}`,
  });
  return {
    ...state,
    mode: "switching",
    inFlight: record(state, now, to, kind, reason),
    reason,
  };
}

// A trial of the primary: its probation starts when the switch is done.
export function startFailback(state: State, now: number, out: Action[], reason: string): State {
  const to = home(state).name;
  const trial = state.failback.failedTrials + 1;
  const probationMs = state.config.failback.probationMs;
  out.push({
    type: "failback",
    from: state.active,
    to,
    trial,
    probationMs,
    reason,
  });
  out.push({
    type: "notify",
    severity: "info",
    message: `trying ${to} again (trial ${trial}): ${reason}`,
  });
  return {
    ...state,
    mode: "switching",
    inFlight: record(state, now, to, "failback", reason),
    failback: {
      ...state.failback,
      probation: { trial, returnTo: state.active, until: null },
      deferred: null,
    },
    reason,
  };
}

function record(state: State, now: number, to: string, kind: SwitchKind, reason: string): SwitchRecord {
  return {
    at: now,
    from: state.active,
    to,
    kind,
    reason,
    doneAt: null,
    ok: null,
    failure: null,
  };
}

export function secs(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
