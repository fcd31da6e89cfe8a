// A small test driver around the pure engine: keeps the current state and a
// virtual clock, and plays the shell's part (link facts, probe rounds, switch
// outcomes) in a few lines per test.

import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from "../../../src/core/engine/config.ts";
import { decide, initialState } from "../../../src/core/engine/decide.ts";
import type { Action, Event, Profile, SideMode, State } from "../../../src/core/engine/types.ts";
import type { LinkFacts } from "../../../src/core/health/link.ts";

// dsl and cable can be watched from the side (say DHCP), lte (QMI) cannot;
// without sideStatus events the engine knows no side watch at all.
export const PROFILES: Profile[] = [
  { name: "lte", priority: 20, metered: true, isPrimary: false, side: "none" },
  { name: "dsl", priority: 0, metered: false, isPrimary: true, side: "probes" },
  { name: "cable", priority: 10, metered: false, isPrimary: false, side: "probes" },
];

export const FACTS_OK: LinkFacts = {
  carrier: true,
  operUp: true,
  redActive: true,
  hasAddress: true,
};

export interface Driver {
  state: State;
  now: number;
  log: Action[]; // every action so far
}

export function start(active = "dsl", config: EngineConfig = DEFAULT_ENGINE_CONFIG): Driver {
  return {
    state: initialState({ profiles: PROFILES, active, now: 0, config }),
    now: 0,
    log: [],
  };
}

export function feed(d: Driver, event: Event, advanceMs = 0): Action[] {
  d.now += advanceMs;
  const r = decide(d.state, event, d.now);
  d.state = r.state;
  d.log.push(...r.actions);
  return r.actions;
}

export function facts(d: Driver, f: Partial<LinkFacts> = {}, advanceMs = 0): Action[] {
  return feed(d, { type: "link", profile: d.state.active, facts: { ...FACTS_OK, ...f } }, advanceMs);
}

// `n` rounds at the configured interval; `answered` targets of 3 reply.
export function rounds(
  d: Driver,
  n: number,
  answered: number,
  intervalMs = d.state.config.probeIntervalMs,
): Action[] {
  const out: Action[] = [];
  for (let i = 0; i < n; i++) {
    d.now += intervalMs;
    const results = ["a", "b", "c"].map((target, j) => ({
      target,
      rttMs: j < answered ? 20 + j : null,
    }));
    out.push(
      ...feed(d, {
        type: "probeRound",
        profile: d.state.active,
        sentAt: d.now,
        results,
      }),
    );
  }
  return out;
}

export function sideStatus(
  d: Driver,
  profile: string,
  status: "running" | "unavailable" | "stopped",
  mode: SideMode = "probes",
  reason = status === "running" ? "lease 192.0.2.10" : "no lease offered",
): Action[] {
  return feed(d, { type: "sideStatus", profile, status, mode, reason });
}

// `n` side rounds of `profile` at the side interval; `answered` targets of 3
// reply (discovery: one exchange, answered when `answered` > 0).
export function sideRounds(d: Driver, profile: string, n: number, answered: number): Action[] {
  const w = d.state.side[profile];
  const discovery = w?.mode === "discovery";
  const cfg = d.state.config.side;
  const out: Action[] = [];
  for (let i = 0; i < n; i++) {
    d.now += discovery ? cfg.discoveryIntervalMs : cfg.probeIntervalMs;
    const results = discovery
      ? [{ target: "pado", rttMs: answered > 0 ? 40 : null }]
      : ["a", "b", "c"].map((target, j) => ({ target, rttMs: j < answered ? 20 + j : null }));
    out.push(...feed(d, { type: "sideRound", profile, sentAt: d.now, results }));
  }
  return out;
}

export function tick(d: Driver, advanceMs: number): Action[] {
  return feed(d, { type: "tick" }, advanceMs);
}

// Completes the switch in flight and reports a working link on it.
export function land(d: Driver, advanceMs = 4_000): Action[] {
  const to = d.state.inFlight?.to;
  if (to === undefined) throw new Error("no switch in flight");
  return [...feed(d, { type: "switchDone", to, ok: true }, advanceMs), ...facts(d)];
}

// Boots on `active` and proves it up.
export function healthy(active = "dsl", config?: EngineConfig): Driver {
  const d = start(active, config);
  facts(d);
  rounds(d, d.state.config.upRounds, 3);
  return d;
}

export const switches = (actions: Action[]) =>
  actions.filter((a) => a.type === "switch" || a.type === "failback");
