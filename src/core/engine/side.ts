// The side watches: profiles that do not carry RED, watched through their own
// NICs (the shell runs what `State.sidePlan` asks for and reports with
// sideStatus/sideRound events). Folded here into `State.side` with the same
// round arithmetic as RED's link, so "up from the side" means what "up" means
// on RED.

import { NO_STREAK } from "../health/round.ts";
import { trialWait } from "./failback.ts";
import { foldRound, roundVerdict } from "./link.ts";
import { home, isMetered, profile } from "./profiles.ts";
import type { Action, Event, Health, SidePlan, SideWatch, State } from "./types.ts";

type SideStatusEvent = Extract<Event, { type: "sideStatus" }>;
type SideRoundEvent = Extract<Event, { type: "sideRound" }>;

// Events about the profile RED carries, or about the target of the switch in
// flight (its watch is being torn down for the switch), say nothing new.
function ignored(state: State, name: string): boolean {
  return profile(state, name) === undefined || name === state.active || name === state.inFlight?.to;
}

export function observeSideStatus(state: State, event: SideStatusEvent, now: number, out: Action[]): State {
  const name = event.profile;
  if (ignored(state, name)) return state;
  const prev = state.side[name];
  if (event.status === "stopped") {
    if (prev === undefined) return state;
    const { [name]: _, ...side } = state.side;
    out.push({ type: "log", level: "debug", message: `${name}: side watch stopped: ${event.reason}` });
    return fallBackToTrials({ ...state, side }, name, now);
  }
  // The plan is empty in shutdown: a late report changes nothing.
  if (state.mode === "shutdown") return state;
  const same = prev !== undefined && prev.mode === event.mode && prev.status === event.status;
  if (same && prev.statusReason === event.reason) return state;
  let w: SideWatch;
  if (event.status === "running") {
    w = same
      ? { ...prev, statusReason: event.reason }
      : {
          mode: event.mode,
          status: "running",
          statusSince: now,
          statusReason: event.reason,
          health: "unproven",
          healthSince: now,
          healthReason: "side watch started",
          goodSince: null,
          streak: NO_STREAK,
          targets: {},
        };
    if (!same) {
      out.push({
        type: "log",
        level: "info",
        message: `${name}: side watch running (${event.mode}): ${event.reason}`,
      });
    }
  } else {
    // Nothing known any more; the statistics are kept and age out.
    w = {
      mode: event.mode,
      status: "unavailable",
      statusSince: same ? prev.statusSince : now,
      statusReason: event.reason,
      health: "unproven",
      healthSince: prev?.health === "unproven" ? prev.healthSince : now,
      healthReason: event.reason,
      goodSince: null,
      streak: NO_STREAK,
      targets: prev?.targets ?? {},
    };
    out.push({
      type: "log",
      level: "warning",
      message: `${name}: side watch unavailable: ${event.reason}`,
    });
  }
  const s: State = { ...state, side: { ...state.side, [name]: w } };
  return same || event.status === "running" ? s : fallBackToTrials(s, name, now);
}

// A primary that can no longer be watched (its watch cannot run, or was
// stopped) gets the trials: make sure one is scheduled, and not already due
// (the schedule set on landing has long passed while the watch decided).
function fallBackToTrials(state: State, name: string, now: number): State {
  if (name !== home(state).name || state.active === name) return state;
  const at = state.failback.nextTrialAt;
  if (at !== null && at >= now) return state;
  const wait = trialWait(state.config, state.failback.failedTrials, isMetered(state, state.active));
  return { ...state, failback: { ...state.failback, nextTrialAt: now + wait } };
}

export function observeSideRound(state: State, event: SideRoundEvent, now: number, out: Action[]): State {
  const name = event.profile;
  if (ignored(state, name) || state.mode === "shutdown") return state;
  const w = state.side[name];
  // Rounds of a watch that has stopped, or that began before it (re)started.
  if (w === undefined || w.status !== "running" || event.sentAt < w.statusSince) return state;
  const cfg = state.config;
  const timeoutMs = w.mode === "discovery" ? cfg.side.discoveryTimeoutMs : cfg.side.timeoutMs;
  const fold = foldRound(w, event.results, event.sentAt, cfg, timeoutMs);
  if (fold === null) return state;
  const next: SideWatch = {
    ...w,
    targets: fold.targets,
    streak: fold.streak,
    goodSince: fold.passed ? (w.goodSince ?? event.sentAt) : null,
  };
  // One exchange is all the evidence discovery gives, so each one decides
  // (a lost PADI only holds a due trial back until the next exchange).
  const [health, reason]: [Health, string] =
    w.mode === "discovery"
      ? fold.passed
        ? ["up", "PADO from the access concentrator"]
        : ["down", "no PADO from the access concentrator"]
      : roundVerdict(next, cfg);
  if (health === w.health) return { ...state, side: { ...state.side, [name]: next } };
  out.push({
    type: "log",
    level: health === "down" ? "warning" : "info",
    message: `${name} is ${health} from the side: ${reason}`,
  });
  const judged: SideWatch = { ...next, health, healthSince: now, healthReason: reason };
  return { ...state, side: { ...state.side, [name]: judged } };
}

// Every profile that can be watched, except the one RED carries and, mid-
// switch, both ends of the switch (their NICs belong to the switch). The
// previous array is kept when nothing changed, so the shell can compare.
export function sidePlan(state: State): readonly SidePlan[] {
  const cfg = state.config.side;
  const busy = state.inFlight === null ? [] : [state.inFlight.from, state.inFlight.to];
  const plan: SidePlan[] = [];
  if (state.mode !== "shutdown") {
    for (const p of state.profiles) {
      if (p.side === undefined || p.side === "none") continue;
      if (p.name === state.active || busy.includes(p.name)) continue;
      const discovery = p.side === "discovery";
      const probeMs = p.metered ? cfg.meteredProbeIntervalMs : cfg.probeIntervalMs;
      plan.push({
        profile: p.name,
        mode: p.side,
        intervalMs: discovery ? cfg.discoveryIntervalMs : probeMs,
        timeoutMs: discovery ? cfg.discoveryTimeoutMs : cfg.timeoutMs,
      });
    }
  }
  const prev = state.sidePlan;
  const same =
    prev.length === plan.length &&
    plan.every((p, i) => {
      const q = prev[i];
      return (
        q !== undefined &&
        q.profile === p.profile &&
        q.mode === p.mode &&
        q.intervalMs === p.intervalMs &&
        q.timeoutMs === p.timeoutMs
      );
    });
  return same ? prev : plan;
}
