import { describe, expect, test } from "bun:test";
import { DEFAULT_ENGINE_CONFIG } from "../../../src/core/engine/config.ts";
import { initialState } from "../../../src/core/engine/decide.ts";
import { facts, feed, healthy, PROFILES, rounds, start, switches, tick } from "./driver.ts";

const cfg = DEFAULT_ENGINE_CONFIG;

describe("start", () => {
  test("profiles are kept in preference order: primary, then by priority", () => {
    const d = start();
    expect(d.state.profiles.map((p) => p.name)).toEqual(["dsl", "cable", "lte"]);
    expect(d.state.active).toBe("dsl");
    expect(d.state.failback.nextTrialAt).toBeNull();
  });
  test("starting on a backup schedules the first trial of the primary", () => {
    const d = start("lte");
    expect(d.state.failback.nextTrialAt).toBe(cfg.failback.meteredMinBackupMs);
  });
  test("an unknown or duplicate profile is a programming error", () => {
    expect(() => initialState({ profiles: PROFILES, active: "nope", now: 0 })).toThrow();
    expect(() =>
      initialState({
        profiles: [...PROFILES, PROFILES[0]!],
        active: "dsl",
        now: 0,
      }),
    ).toThrow();
    expect(() => initialState({ profiles: [], active: "dsl", now: 0 })).toThrow();
  });
});

describe("link health", () => {
  test("nothing is probed before RED reports a usable link", () => {
    const d = start();
    tick(d, 250);
    expect(d.state.probe).toBeNull();
    facts(d);
    expect(d.state.probe).toEqual({
      profile: "dsl",
      intervalMs: 300,
      targetsPerRound: "all",
      timeoutMs: 1000,
    });
  });
  test("up only after upRounds good rounds in a row", () => {
    const d = start();
    facts(d);
    rounds(d, cfg.upRounds - 1, 3);
    rounds(d, 1, 0);
    rounds(d, cfg.upRounds - 1, 3);
    expect(d.state.link.health).toBe("unproven");
    rounds(d, 1, 3);
    expect(d.state.link.health).toBe("up");
  });
  test("one target of three answering keeps the link up", () => {
    const d = healthy();
    expect(switches(rounds(d, 200, 1))).toEqual([]);
    expect(d.state.link.health).toBe("up");
  });
  test("isolated failed rounds never take the link down", () => {
    const d = healthy();
    for (let i = 0; i < 50; i++) {
      rounds(d, cfg.downRounds - 1, 0);
      rounds(d, 1, 3);
    }
    expect(d.state.link.health).toBe("up");
    expect(d.log.filter((a) => a.type === "switch")).toEqual([]);
  });
  test("downRounds failed rounds fail over to the best backup", () => {
    const d = healthy();
    expect(switches(rounds(d, cfg.downRounds - 1, 0))).toEqual([]);
    const acts = rounds(d, 1, 0);
    expect(switches(acts)).toEqual([
      {
        type: "switch",
        from: "dsl",
        to: "cable",
        kind: "failover",
        reason: "dsl down: no target answered in 5 rounds",
        rollback: false,
      },
    ]);
    expect(acts.some((a) => a.type === "notify" && a.severity === "warning")).toBe(true);
    expect(d.state.mode).toBe("switching");
    expect(d.state.probe).toBeNull();
    expect(d.state.inFlight?.to).toBe("cable");
  });
  test("a reply later than the timeout counts as lost", () => {
    const d = healthy();
    for (let i = 0; i < cfg.downRounds; i++) {
      d.now += 300;
      feed(d, {
        type: "probeRound",
        profile: "dsl",
        sentAt: d.now,
        results: [{ target: "a", rttMs: 1500 }],
      });
    }
    expect(d.state.mode).toBe("switching");
  });
  test("per-target statistics are kept for the status", () => {
    const d = healthy();
    rounds(d, 10, 2);
    const t = d.state.link.targets;
    expect(Object.keys(t).sort()).toEqual(["a", "b", "c"]);
    expect(t["c"]!.buckets.reduce((n, b) => n + b.lost, 0)).toBe(10);
  });
});

describe("link facts skip the probe arithmetic", () => {
  for (const [name, f] of [
    ["carrier lost", { carrier: false }],
    ["operstate down", { operUp: false }],
    ["red/active gone", { redActive: false }],
    ["address gone", { hasAddress: false }],
  ] as const) {
    test(`${name}: down after the debounce, not before`, () => {
      const d = healthy();
      facts(d, f);
      expect(d.state.probe).toBeNull();
      expect(switches(tick(d, cfg.linkDebounceMs - 1))).toEqual([]);
      expect(switches(tick(d, 1))).toHaveLength(1);
      expect(d.state.inFlight?.kind).toBe("failover");
    });
  }
  test("a blip shorter than the debounce is ignored, but the link must prove itself again", () => {
    const d = healthy();
    facts(d, { carrier: false });
    tick(d, 200);
    facts(d, {}, 100);
    tick(d, 1000);
    expect(d.log.filter((a) => a.type === "switch")).toEqual([]);
    rounds(d, 1, 3);
    expect(d.state.link.streak.good).toBe(1);
  });
  test("a primary dead at boot fails after the bring-up grace, even if RED never came up", () => {
    const d = start();
    facts(d, { redActive: false, hasAddress: false });
    expect(switches(tick(d, cfg.bringUpGraceMs - 1))).toEqual([]);
    expect(switches(tick(d, 1))).toHaveLength(1);
    expect(d.state.inFlight?.reason).toContain("not up within 20 s");
  });
  test("no report at all also runs out the grace", () => {
    const d = start();
    expect(switches(tick(d, cfg.bringUpGraceMs))).toHaveLength(1);
  });
  test("during bring-up a link may be down briefly (autonegotiation) without the debounce applying", () => {
    const d = start();
    facts(d, { carrier: false });
    tick(d, 3000);
    facts(d);
    rounds(d, cfg.upRounds, 3);
    expect(d.state.link.health).toBe("up");
    expect(d.log.filter((a) => a.type === "switch")).toEqual([]);
  });
  test("facts about another profile than RED's are ignored", () => {
    const d = healthy();
    feed(d, {
      type: "link",
      profile: "lte",
      facts: {
        carrier: false,
        operUp: false,
        redActive: false,
        hasAddress: false,
      },
    });
    tick(d, 5000);
    expect(d.state.link.health).toBe("up");
  });
});

describe("probe plan", () => {
  test("a healthy metered link is probed sparsely; a failed round brings full rounds back", () => {
    const d = healthy("lte");
    expect(d.state.probe).toEqual({
      profile: "lte",
      intervalMs: 10_000,
      targetsPerRound: 1,
      timeoutMs: 1000,
    });
    rounds(d, 1, 0, 10_000);
    expect(d.state.probe?.intervalMs).toBe(300);
    expect(d.state.probe?.targetsPerRound).toBe("all");
    rounds(d, 1, 3);
    expect(d.state.probe?.intervalMs).toBe(10_000);
  });
  // The daemon's probe scheduler compares plans by identity first.
  test("an unchanged plan is the same object after every event; a changed one is new", () => {
    const d = healthy("lte");
    const plan = d.state.probe;
    tick(d, 250);
    rounds(d, 1, 3, 10_000);
    expect(d.state.probe).toBe(plan);
    rounds(d, 1, 0, 10_000);
    expect(d.state.probe).not.toBe(plan);
    expect(d.state.probe?.intervalMs).toBe(300);
  });
  test("a sparse round to one target passes when it answers", () => {
    const d = healthy("lte");
    d.now += 10_000;
    feed(d, {
      type: "probeRound",
      profile: "lte",
      sentAt: d.now,
      results: [{ target: "a", rttMs: 40 }],
    });
    expect(d.state.link.streak.bad).toBe(0);
  });
});
