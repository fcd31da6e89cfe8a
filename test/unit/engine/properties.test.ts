// Random event sequences against the engine's safety rules: never two
// switches at once, never a switch after shutdown, RED always on a known
// profile, a dead link is always being dealt with, never a failback to a
// primary its side watch sees dead unless the operator asks, the side plan
// never names a profile RED or a switch is using, and decide is pure.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from "../../../src/core/engine/config.ts";
import { decide, initialState } from "../../../src/core/engine/decide.ts";
import { home, sideDown } from "../../../src/core/engine/profiles.ts";
import type { Command, Event, SideMode, State } from "../../../src/core/engine/types.ts";
import { FACTS_OK, PROFILES } from "./driver.ts";

const NAMES = PROFILES.map((p) => p.name);

// Short timers so that random sequences reach trials, back-off and retries.
const FAST: EngineConfig = {
  ...DEFAULT_ENGINE_CONFIG,
  bringUpGraceMs: 2_000,
  failback: {
    ...DEFAULT_ENGINE_CONFIG.failback,
    minBackupMs: 3_000,
    meteredMinBackupMs: 2_000,
    probationMs: 4_000,
    backoffCapMs: 20_000,
    meteredBackoffCapMs: 10_000,
    stableMs: 15_000,
    carrierSettleMs: 1_000,
  },
  noLink: { retryBaseMs: 1_000, retryCapMs: 8_000 },
};

type Step =
  | { k: "tick" }
  | { k: "round"; answered: number; stale: boolean }
  | {
      k: "facts";
      carrier: boolean | null;
      redActive: boolean;
      hasAddress: boolean;
    }
  | { k: "standby"; profile: string; carrier: boolean | null }
  | {
      k: "done";
      matching: boolean;
      to: string;
      ok: boolean;
      keepsOld: boolean;
      reason: string;
    }
  | { k: "sideStatus"; profile: string; status: "running" | "unavailable" | "stopped"; mode: SideMode }
  // `count` rounds alike, 1 ms apart: enough failed ones in a row for a
  // side watch to find its profile dead
  | { k: "sideRound"; profile: string; answered: number; stale: boolean; count: number }
  | { k: "cmd"; command: Command }
  | { k: "shutdown" };

const name = fc.constantFrom(...NAMES);
const carrier = fc.constantFrom(true, true, true, false, null);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Step>({ k: "tick" }) },
  {
    weight: 10,
    arbitrary: fc.record({
      k: fc.constant("round" as const),
      answered: fc.integer({ min: 0, max: 3 }),
      stale: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant("facts" as const),
      carrier,
      redActive: fc.boolean(),
      hasAddress: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant("standby" as const),
      profile: name,
      carrier,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant("done" as const),
      matching: fc.constantFrom(true, true, true, false),
      to: name,
      ok: fc.boolean(),
      keepsOld: fc.boolean(),
      reason: fc.constant("x"),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("cmd" as const),
      command: fc.oneof(
        fc.record({
          kind: fc.constant("switchTo" as const),
          profile: fc.constantFrom(...NAMES, "nope"),
        }),
        fc.constant<Command>({ kind: "failbackNow" }),
        fc.constant<Command>({ kind: "hold" }),
        fc.constant<Command>({ kind: "resume" }),
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant("sideStatus" as const),
      profile: fc.constantFrom("dsl", "dsl", ...NAMES),
      status: fc.constantFrom(
        "running" as const,
        "running" as const,
        "unavailable" as const,
        "stopped" as const,
      ),
      mode: fc.constantFrom<SideMode>("probes", "probes", "discovery"),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      k: fc.constant("sideRound" as const),
      // mostly the primary, mostly dead: a failback it must not make
      profile: fc.constantFrom("dsl", "dsl", "dsl", ...NAMES),
      answered: fc.constantFrom(0, 0, 0, 1, 3),
      stale: fc.constantFrom(false, false, false, true),
      count: fc.constantFrom(1, 1, 1, DEFAULT_ENGINE_CONFIG.downRounds),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Step>({ k: "shutdown" }) },
);
const gap = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 600 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 10_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 300_000 }) },
);
const scenario = fc.record({
  active: name,
  steps: fc.array(fc.tuple(gap, step), {
    minLength: 1,
    maxLength: 300,
    size: "large",
  }),
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function toEvent(s: Step, state: State, now: number): Event {
  switch (s.k) {
    case "tick":
      return { type: "tick" };
    case "round":
      return {
        type: "probeRound",
        profile: s.stale ? "cable" : state.active,
        sentAt: s.stale ? now - 5_000 : now,
        results: ["a", "b", "c"].map((target, i) => ({
          target,
          rttMs: i < s.answered ? 30 : null,
        })),
      };
    case "facts":
      return {
        type: "link",
        profile: state.active,
        facts: {
          carrier: s.carrier,
          operUp: s.carrier,
          redActive: s.redActive,
          hasAddress: s.hasAddress,
        },
      };
    case "standby":
      return { type: "standbyCarrier", profile: s.profile, carrier: s.carrier };
    case "done": {
      const to = s.matching ? (state.inFlight?.to ?? s.to) : s.to;
      if (s.ok) return { type: "switchDone", to, ok: true };
      return s.keepsOld
        ? {
            type: "switchDone",
            to,
            ok: false,
            reason: s.reason,
            active: state.active,
          }
        : { type: "switchDone", to, ok: false, reason: s.reason };
    }
    case "sideStatus":
      return { type: "sideStatus", profile: s.profile, status: s.status, mode: s.mode, reason: "x" };
    case "sideRound":
      return {
        type: "sideRound",
        profile: s.profile,
        sentAt: s.stale ? now - 60_000 : now,
        results: ["a", "b", "c"].map((target, i) => ({ target, rttMs: i < s.answered ? 30 : null })),
      };
    case "cmd":
      return { type: "command", command: s.command };
    case "shutdown":
      return { type: "shutdown" };
  }
}

function play(config: EngineConfig, active: string, steps: [number, Step][]): void {
  let now = 1_000;
  let state = deepFreeze(initialState({ profiles: PROFILES, active, now, config }));
  let pending: string | null = null; // the switch the shell is carrying out
  let shutDown = false;
  const expanded = steps.flatMap(([dt, s]): [number, Step][] =>
    s.k === "sideRound" ? Array.from({ length: s.count }, (_, i) => [i === 0 ? dt : 1, s]) : [[dt, s]],
  );
  for (const [dt, s] of expanded) {
    now += dt;
    const event = toEvent(s, state, now);
    const { state: next, actions } = decide(state, event, now);
    state = deepFreeze(next);

    if (event.type === "shutdown") shutDown = true;
    // The engine accepts the outcome of exactly the switch in flight.
    if (event.type === "switchDone" && pending !== null && event.to === pending) pending = null;
    const commanded = event.type === "command" && event.command.kind === "failbackNow";
    for (const a of actions) {
      if (a.type !== "switch" && a.type !== "failback") continue;
      expect(shutDown).toBe(false);
      expect(pending).toBeNull();
      expect(NAMES).toContain(a.to);
      if (a.type === "failback" && !commanded) expect(sideDown(state, a.to)).toBeNull();
      pending = a.to;
    }
    expect(state.side[state.active]).toBeUndefined();
    const planned = state.sidePlan.map((p) => p.profile);
    expect(planned).not.toContain(state.active);
    if (state.inFlight !== null) expect(planned).not.toContain(state.inFlight.to);
    if (state.mode === "shutdown") expect(planned).toEqual([]);
    for (const p of state.sidePlan) expect(PROFILES.find((q) => q.name === p.profile)?.side).toBe(p.mode);
    expect(home(state).name).toBe("dsl");
    expect(NAMES).toContain(state.active);
    expect(state.inFlight?.to ?? null).toBe(pending);
    expect(state.mode === "switching").toBe(pending !== null && !shutDown);
    if (shutDown) expect(state.mode).toBe("shutdown");
    if (state.mode !== "running") expect(state.probe).toBeNull();
    else if (state.probe !== null) expect(state.probe.profile).toBe(state.active);
    // A dead link is always being dealt with: a switch, or a paused retry.
    if (state.mode === "running" && !state.hold && state.link.health === "down") {
      expect(state.rescue?.retryAt ?? -Infinity).toBeGreaterThan(now);
    }
    expect(state.history.length).toBeLessThanOrEqual(config.historySize);
  }
}

describe("random event sequences", () => {
  for (const [label, config] of [
    ["default timers", DEFAULT_ENGINE_CONFIG],
    ["short timers", FAST],
  ] as const) {
    test(`${label}: one switch at a time, none after shutdown, RED always on a profile`, () => {
      fc.assert(
        fc.property(scenario, ({ active, steps }) => play(config, active, steps)),
        { numRuns: 400, seed: 20260 },
      );
    });
  }

  test("without shutdown, the engine keeps trying until something works", () => {
    // Every profile fails to come up for a long stretch: switches keep coming.
    const config = FAST;
    let now = 0;
    let state = initialState({
      profiles: PROFILES,
      active: "dsl",
      now,
      config,
    });
    let attempts = 0;
    for (let i = 0; i < 2_000; i++) {
      now += 250;
      const to = state.inFlight?.to;
      const event: Event =
        to !== undefined ? { type: "switchDone", to, ok: false, reason: "down" } : { type: "tick" };
      const r = decide(state, event, now);
      state = r.state;
      attempts += r.actions.filter((a) => a.type === "switch").length;
    }
    // 500 s with a pause capped at 8 s: dozens of rounds of attempts.
    expect(attempts).toBeGreaterThan(100);
    expect(state.rescue?.round).toBeGreaterThan(5);
  });
});

// The primary watched from the side while cable carries RED: whatever its
// watch reports, a failback comes only from a watch that has seen it healthy
// for the failback delay, or, without a running watch, on the trial schedule.
describe("failback from the side, random side reports", () => {
  type SideStep =
    | { k: "round"; answered: number }
    | { k: "status"; status: "running" | "unavailable" | "stopped" }
    | { k: "tick" };
  const sideStep: fc.Arbitrary<SideStep> = fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({ k: fc.constant("round" as const), answered: fc.constantFrom(0, 0, 1, 3, 3, 3) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant("status" as const),
        status: fc.constantFrom(
          "running" as const,
          "running" as const,
          "unavailable" as const,
          "stopped" as const,
        ),
      }),
    },
    { weight: 3, arbitrary: fc.constant<SideStep>({ k: "tick" }) },
  );

  test("never while down from the side, never before the healthy time, never a blind trial beside a running watch", () => {
    const config = DEFAULT_ENGINE_CONFIG;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4_000 }), sideStep), {
          minLength: 50,
          maxLength: 400,
          size: "large",
        }),
        (steps) => {
          let now = 0;
          let state = initialState({ profiles: PROFILES, active: "cable", now, config });
          state = decide(state, { type: "link", profile: "cable", facts: FACTS_OK }, now).state;
          for (const [dt, s] of steps) {
            now += dt;
            const event: Event =
              s.k === "round"
                ? {
                    type: "sideRound",
                    profile: "dsl",
                    sentAt: now,
                    results: ["a", "b", "c"].map((target, i) => ({
                      target,
                      rttMs: i < s.answered ? 20 : null,
                    })),
                  }
                : s.k === "status"
                  ? { type: "sideStatus", profile: "dsl", status: s.status, mode: "probes", reason: "x" }
                  : { type: "tick" };
            const { state: next, actions } = decide(state, event, now);
            if (actions.some((a) => a.type === "failback")) {
              const w = next.side["dsl"];
              expect(sideDown(next, "dsl")).toBeNull();
              if (w?.status === "running") {
                expect(w.health).toBe("up");
                expect(now - (w.goodSince ?? Infinity)).toBeGreaterThanOrEqual(config.failback.minBackupMs);
              } else {
                expect(now).toBeGreaterThanOrEqual(state.failback.nextTrialAt ?? Infinity);
              }
              return;
            }
            state = next;
          }
        },
      ),
      { numRuns: 300, seed: 20261 },
    );
  });
});
