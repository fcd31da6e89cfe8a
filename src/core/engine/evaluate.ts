// The decisions proper, taken after every event while the engine is running
// (not mid-switch, not in shutdown): fail over, look for another profile,
// judge a trial of the primary, or start one.

import { trialCheck } from "./failback.ts";
import { assessLink } from "./link.ts";
import { hasNoCarrier, home, sideDown } from "./profiles.ts";
import { secs, startFailback, startSwitch } from "./switching.ts";
import type { Action, Profile, RescueState, State } from "./types.ts";

export function evaluate(state: State, now: number, out: Action[]): State {
  let s = state;
  const link = assessLink(s.link, s.config, now);
  if (link !== s.link) {
    out.push({
      type: "log",
      level: link.health === "down" ? "warning" : "info",
      message: `${link.profile} is ${link.health}: ${link.healthReason}`,
    });
    s = { ...s, link };
    if (s.hold && link.health === "down") {
      out.push({
        type: "notify",
        severity: "warning",
        message: `${link.profile} is down (${link.healthReason}); on hold, not switching`,
      });
    }
  }
  if (s.hold) return s;
  return s.active === home(s).name ? onPrimary(s, now, out) : onBackup(s, now, out);
}

function onPrimary(state: State, now: number, out: Action[]): State {
  const { link, config: cfg } = state;
  let fb = state.failback;
  if (link.health === "up" && fb.returnedAt !== null && now - fb.returnedAt >= cfg.failback.stableMs) {
    if (fb.failedTrials > 0) {
      out.push({
        type: "log",
        level: "info",
        message: `${link.profile} stable for ${secs(cfg.failback.stableMs)}: failback back-off reset`,
      });
    }
    fb = { ...fb, failedTrials: 0, returnedAt: null };
  }
  let s: State = fb === state.failback ? state : { ...state, failback: fb };

  const probation = fb.probation;
  if (probation !== null) {
    if (link.health === "down") return trialFailed(s, now, out, link.healthReason);
    if (probation.until === null || now < probation.until) return s;
    if (link.health !== "up") {
      return trialFailed(s, now, out, "not proven healthy within the probation window");
    }
    const message = `${link.profile} passed trial ${probation.trial}, staying on it`;
    out.push({ type: "notify", severity: "info", message });
    return {
      ...s,
      failback: { ...fb, probation: null },
      rescue: null,
      reason: message,
    };
  }

  if (link.health === "down") {
    // A primary that fails again soon after it came back is flapping: count
    // it like a failed trial so that the next trial waits longer.
    const relapse = fb.returnedAt !== null;
    s = {
      ...s,
      failback: {
        ...fb,
        failedTrials: fb.failedTrials + (relapse ? 1 : 0),
        returnedAt: null,
      },
    };
    return rescue(s, now, out, link.healthReason);
  }
  return link.health === "up" && s.rescue !== null ? { ...s, rescue: null } : s;
}

function onBackup(state: State, now: number, out: Action[]): State {
  const { link } = state;
  if (link.health === "down") return rescue(state, now, out, link.healthReason);
  let s = state;
  if (link.health === "up" && s.rescue !== null) {
    out.push({
      type: "notify",
      severity: "info",
      message: `${link.profile} is up`,
    });
    s = { ...s, rescue: null };
  }
  const check = trialCheck(s, now);
  if (check.due) return startFailback(s, now, out, check.reason);
  if (check.deferred !== s.failback.deferred) {
    if (check.deferred !== null) {
      out.push({
        type: "log",
        level: "info",
        message: `failback deferred: ${check.deferred}`,
      });
    }
    s = { ...s, failback: { ...s.failback, deferred: check.deferred } };
  }
  return s;
}

// Straight back to the backup the trial came from; the next trial is
// scheduled (with one more step of back-off) when the switch back is done.
function trialFailed(state: State, now: number, out: Action[], why: string): State {
  const fb = state.failback;
  const probation = fb.probation;
  if (probation === null) return state;
  const s: State = {
    ...state,
    failback: {
      ...fb,
      failedTrials: fb.failedTrials + 1,
      probation: null,
      returnedAt: null,
    },
  };
  const reason = `trial ${probation.trial} of ${state.active} failed: ${why}`;
  out.push({ type: "notify", severity: "warning", message: reason });
  if (hasNoCarrier(s, probation.returnTo)) return rescue(s, now, out, why);
  return startSwitch(s, now, out, probation.returnTo, "return", reason);
}

// The link RED carries is down: switch to the most preferred profile not yet
// tried in this round of attempts. When all have failed, pause with back-off
// (and say so), then start a new round from the top, the current profile
// included (a RED restart can revive a stuck modem).
function rescue(state: State, now: number, out: Action[], why: string): State {
  const cfg = state.config.noLink;
  let r: RescueState = state.rescue ?? { failed: [], round: 0, retryAt: null };
  let kind: "failover" | "rescue" | "retry";
  if (r.retryAt !== null) {
    if (now < r.retryAt) return state;
    r = { ...r, failed: [], retryAt: null };
    kind = "retry";
  } else {
    if (!r.failed.includes(state.active)) {
      r = { ...r, failed: [...r.failed, state.active] };
    }
    kind = state.rescue === null && state.active === home(state).name ? "failover" : "rescue";
  }
  const next = pick(state, r, out);
  if (next !== undefined) {
    const reason =
      kind === "retry"
        ? `retry after ${r.round} round(s) without a working uplink`
        : `${state.active} down: ${why}`;
    out.push({
      type: "notify",
      severity: kind === "retry" ? "info" : "warning",
      message: `${reason}; switching to ${next.name}`,
    });
    return startSwitch({ ...state, rescue: r }, now, out, next.name, kind, reason);
  }
  const round = r.round + 1;
  const pause = Math.min(cfg.retryCapMs, cfg.retryBaseMs * 2 ** (round - 1));
  const reason = `no working uplink (${r.failed.join(", ")} failed); next attempt in ${secs(pause)}`;
  out.push({ type: "notify", severity: "critical", message: reason });
  return {
    ...state,
    rescue: { failed: r.failed, round, retryAt: now + pause },
    reason,
  };
}

// The most preferred profile not yet tried in this round and not without
// carrier. One its side watch knows to be dead gives way to any other; when
// nothing else is left it is tried all the same (the watch can be wrong, and
// RED is down anyway).
function pick(state: State, r: RescueState, out: Action[]): Profile | undefined {
  const open = state.profiles.filter((p) => !r.failed.includes(p.name) && !hasNoCarrier(state, p.name));
  const alive = open.find((p) => sideDown(state, p.name) === null);
  for (const p of open) {
    if (p === alive) break;
    const why = sideDown(state, p.name);
    const message =
      alive === undefined
        ? `trying ${p.name} although it is ${why}: nothing else is left`
        : `skipping ${p.name}: ${why}`;
    out.push({ type: "log", level: "info", message });
    if (alive === undefined) return p;
  }
  return alive;
}
