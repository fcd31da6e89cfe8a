// The engine: (state, event, now) -> (new state, actions). Pure: no I/O, no
// timers, no clock of its own. The shell feeds it events and a `tick` at
// least every 250 ms (deadlines such as the link debounce, the bring-up grace
// and the failback schedule are checked on every event), runs the probe
// rounds described by `state.probe` and the side watches described by
// `state.sidePlan`, and executes the actions.

import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from "./config.ts";
import { commandEvent } from "./commands.ts";
import { evaluate } from "./evaluate.ts";
import { nextTrialAt } from "./failback.ts";
import { deadLink, freshLink, observeFacts, observeRound } from "./link.ts";
import { home, preferenceOrder } from "./profiles.ts";
import { probePlan } from "./probe.ts";
import { observeSideRound, observeSideStatus, sidePlan } from "./side.ts";
import type { Action, Decision, Event, Profile, State } from "./types.ts";

export interface EngineStart {
  profiles: readonly Profile[];
  // The profile RED's settings name at start. The shell must resolve it;
  // RED is always on some profile as far as the engine is concerned.
  active: string;
  now: number;
  config?: EngineConfig;
}

export function initialState(start: EngineStart): State {
  const profiles = preferenceOrder(start.profiles);
  const names = new Set(profiles.map((p) => p.name));
  if (profiles.length === 0) throw new Error("engine needs at least one profile");
  if (names.size !== profiles.length) throw new Error("duplicate profile names");
  if (!names.has(start.active)) {
    throw new Error(`active profile ${start.active} is not a known profile`);
  }
  const s: State = {
    config: start.config ?? DEFAULT_ENGINE_CONFIG,
    profiles,
    mode: "running",
    active: start.active,
    activeSince: start.now,
    reason: "started",
    inFlight: null,
    link: freshLink(start.active, start.now),
    failback: {
      failedTrials: 0,
      nextTrialAt: null,
      probation: null,
      returnedAt: null,
      deferred: null,
    },
    rescue: null,
    hold: false,
    standby: {},
    side: {},
    history: [],
    probe: null,
    sidePlan: [],
  };
  const planned = { ...s, sidePlan: sidePlan(s) };
  if (start.active === home(s).name) return planned;
  return {
    ...planned,
    failback: {
      ...s.failback,
      nextTrialAt: nextTrialAt(s, start.active, start.now),
    },
  };
}

export function decide(state: State, event: Event, now: number): Decision {
  const actions: Action[] = [];
  let s = observe(state, event, now, actions);
  if (s.mode === "running") s = evaluate(s, now, actions);
  return { state: { ...s, probe: probePlan(s), sidePlan: sidePlan(s) }, actions };
}

// Folds the event into the state; only operator commands act here.
function observe(state: State, event: Event, now: number, out: Action[]): State {
  switch (event.type) {
    case "tick":
      return state;
    case "shutdown":
      if (state.mode === "shutdown") return state;
      out.push({
        type: "log",
        level: "info",
        message: "shutdown: no more switching",
      });
      return { ...state, mode: "shutdown", reason: "shutting down" };
    case "switchDone":
      return switchDone(state, event, now, out);
    case "link":
      if (state.mode !== "running" || event.profile !== state.active) return state;
      return { ...state, link: observeFacts(state.link, event.facts, now) };
    case "standbyCarrier": {
      if (event.profile === state.active && state.mode === "running") return state;
      const prev = state.standby[event.profile];
      if (prev?.carrier === event.carrier) return state;
      return {
        ...state,
        standby: {
          ...state.standby,
          [event.profile]: { carrier: event.carrier, since: now },
        },
      };
    }
    case "probeRound":
      // Rounds sent before the current link began belong to the old uplink.
      if (state.mode !== "running" || event.profile !== state.active || event.sentAt < state.link.since) {
        return state;
      }
      return {
        ...state,
        link: observeRound(state.link, event.results, event.sentAt, state.config),
      };
    case "command":
      return commandEvent(state, event.command, now, out);
    case "sideStatus":
      return observeSideStatus(state, event, now, out);
    case "sideRound":
      return observeSideRound(state, event, now, out);
  }
}

function switchDone(
  state: State,
  event: Extract<Event, { type: "switchDone" }>,
  now: number,
  out: Action[],
): State {
  const f = state.inFlight;
  if (f === null || event.to !== f.to) {
    out.push({
      type: "log",
      level: "warning",
      message: `switchDone for ${event.to} ignored: no such switch in progress`,
    });
    return state;
  }
  const rec = {
    ...f,
    doneAt: now,
    ok: event.ok,
    failure: event.ok ? null : event.reason,
  };
  const history = [...state.history, rec].slice(-state.config.historySize);
  const mode = state.mode === "shutdown" ? "shutdown" : "running";
  const active = event.ok ? f.to : (event.active ?? f.to);
  // RED's facts about the new profile come from `link` events from now on,
  // and its side watch ended with the switch (the shell starts a new one for
  // a target that RED does not carry after all).
  const { [active]: _, ...standby } = state.standby;
  const { [active]: _a, [f.to]: _t, ...side } = state.side;
  const base: State = {
    ...state,
    mode,
    inFlight: null,
    history,
    standby,
    side,
    active,
    activeSince: active === state.active ? state.activeSince : now,
  };
  const primary = home(state).name;
  const probation = state.failback.probation;

  if (event.ok) {
    out.push({
      type: "log",
      level: "info",
      message: `RED now carries ${f.to}`,
    });
    const onPrimary = f.to === primary;
    return {
      ...base,
      link: freshLink(f.to, now),
      reason: f.reason,
      failback: {
        ...state.failback,
        nextTrialAt: onPrimary ? null : nextTrialAt(base, f.to, now),
        returnedAt: !onPrimary ? null : state.active !== f.to ? now : state.failback.returnedAt,
        probation:
          onPrimary && f.kind === "failback" && probation !== null
            ? { ...probation, until: now + state.config.failback.probationMs }
            : null,
        deferred: null,
      },
    };
  }

  const why = `switch to ${f.to} failed: ${event.reason}`;
  out.push({ type: "notify", severity: "warning", message: why });
  if (active === f.to) {
    // RED is on the target, which does not work: a down link, which
    // the evaluation hands to the rescue (or, for a trial, back to the backup).
    return { ...base, link: deadLink(active, now, why), reason: why };
  }
  // The settings still name another profile: carry on with it, and count the
  // target as failed (a failed trial, or a step of the rescue).
  const failback =
    f.kind === "failback"
      ? {
          ...state.failback,
          failedTrials: state.failback.failedTrials + 1,
          probation: null,
        }
      : state.failback;
  const rescue = state.rescue === null ? null : { ...state.rescue, failed: [...state.rescue.failed, f.to] };
  // An operator's switch that went back ends its hold: holding RED on a
  // profile the operator did not choose would only stop the failover.
  const released = f.kind === "operator" && state.hold;
  const s: State = {
    ...base,
    link: freshLink(active, now),
    failback,
    rescue,
    hold: released ? false : state.hold,
    reason: released ? `${why}; back on ${active}, automatic switching resumed` : why,
  };
  return {
    ...s,
    failback: {
      ...failback,
      nextTrialAt: active === primary ? null : nextTrialAt(s, active, now),
    },
  };
}
