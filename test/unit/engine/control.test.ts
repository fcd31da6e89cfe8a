import { describe, expect, test } from "bun:test";
import { DEFAULT_ENGINE_CONFIG } from "../../../src/core/engine/config.ts";
import { facts, feed, healthy, land, rounds, start, switches, tick } from "./driver.ts";

const cfg = DEFAULT_ENGINE_CONFIG;

describe("one switch at a time", () => {
  test("nothing is decided while a switch is in flight", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    expect(d.state.mode).toBe("switching");
    expect(switches(tick(d, 60_000))).toEqual([]);
    expect(
      switches(
        feed(d, {
          type: "command",
          command: { kind: "switchTo", profile: "lte" },
        }),
      ),
    ).toEqual([]);
    expect(d.log.at(-1)).toEqual({
      type: "log",
      level: "warning",
      message: "switch to lte refused: a switch is in progress",
      refused: true,
    });
  });
  test("probe rounds and facts of the old link are ignored after the switch", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    const sentAt = d.now;
    land(d);
    const lost = ["a", "b", "c"].map((target) => ({ target, rttMs: null }));
    for (let i = 0; i < 10; i++) feed(d, { type: "probeRound", profile: "cable", sentAt, results: lost });
    for (let i = 0; i < 10; i++)
      feed(d, {
        type: "probeRound",
        profile: "dsl",
        sentAt: d.now,
        results: lost,
      });
    expect(d.state.link.streak.bad).toBe(0);
    expect(d.state.mode).toBe("running");
  });
  test("a switchDone for another switch is ignored", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    feed(d, { type: "switchDone", to: "lte", ok: true });
    expect(d.state.mode).toBe("switching");
    expect(d.state.active).toBe("dsl");
    feed(d, { type: "switchDone", to: "cable", ok: true });
    expect(d.state.active).toBe("cable");
    expect(d.state.history).toHaveLength(1);
  });
  test("the history keeps the last switches with their reasons", () => {
    const d = healthy();
    for (let i = 0; i < cfg.historySize + 5; i++) {
      feed(d, {
        type: "command",
        command: { kind: "switchTo", profile: i % 2 ? "dsl" : "cable" },
      });
      land(d);
    }
    expect(d.state.history).toHaveLength(cfg.historySize);
    expect(d.state.history.at(-1)).toMatchObject({
      kind: "operator",
      ok: true,
      reason: "operator: switch to cable and hold",
    });
  });
});

describe("shutdown", () => {
  test("no decisions once shutdown has begun, but a switch outcome is still recorded", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    feed(d, { type: "shutdown" });
    land(d);
    expect(d.state.mode).toBe("shutdown");
    expect(d.state.active).toBe("cable");
    expect(d.state.probe).toBeNull();
    facts(d, { carrier: false });
    expect(switches(tick(d, 3_600_000))).toEqual([]);
    expect(switches(feed(d, { type: "command", command: { kind: "failbackNow" } }))).toEqual([]);
  });
  test("a shutdown while healthy ignores a dying link", () => {
    const d = healthy();
    feed(d, { type: "shutdown" });
    facts(d, { redActive: false });
    expect(switches(tick(d, 60_000))).toEqual([]);
  });
});

describe("operator commands", () => {
  test("switch to pins the profile: no failback until resume", () => {
    const d = healthy();
    feed(d, { type: "command", command: { kind: "switchTo", profile: "lte" } });
    expect(d.state.inFlight).toMatchObject({ to: "lte", kind: "operator" });
    land(d);
    rounds(d, cfg.upRounds, 3);
    expect(d.state.hold).toBe(true);
    expect(switches(tick(d, 3_600_000))).toEqual([]);
    const acts = feed(d, { type: "command", command: { kind: "resume" } });
    expect(d.state.hold).toBe(false);
    expect(switches(acts)).toMatchObject([{ type: "failback", to: "dsl" }]);
  });
  test("switch to a profile that does not come up: rolled back, the hold ends", () => {
    const d = healthy();
    const acts = feed(d, { type: "command", command: { kind: "switchTo", profile: "lte" } });
    expect(switches(acts)).toMatchObject([{ type: "switch", to: "lte", kind: "operator", rollback: true }]);
    feed(d, { type: "switchDone", to: "lte", ok: false, reason: "lte: RED did not come up", active: "dsl" });
    expect(d.state.active).toBe("dsl");
    expect(d.state.hold).toBe(false);
    expect(d.state.reason).toMatch(/; back on dsl, automatic switching resumed$/);
    // Not held on a profile nobody chose: a failing dsl is left as usual.
    facts(d);
    expect(switches(rounds(d, cfg.downRounds, 0))).toMatchObject([{ type: "switch", kind: "failover" }]);
  });
  test("switch to a profile that does not come up, without rollback: held there", () => {
    const d = healthy();
    const command = { kind: "switchTo", profile: "lte", rollback: false } as const;
    expect(switches(feed(d, { type: "command", command }))).toMatchObject([{ rollback: false }]);
    feed(d, { type: "switchDone", to: "lte", ok: false, reason: "lte: RED did not come up" });
    expect(d.state.active).toBe("lte");
    expect(d.state.hold).toBe(true);
    expect(switches(tick(d, 3_600_000))).toEqual([]);
  });
  test("on hold, a dead link is reported but not switched away from", () => {
    const d = healthy();
    feed(d, { type: "command", command: { kind: "hold" } });
    const acts = rounds(d, cfg.downRounds, 0);
    expect(switches(acts)).toEqual([]);
    expect(acts).toContainEqual({
      type: "notify",
      severity: "warning",
      message: "dsl is down (no target answered in 5 rounds); on hold, not switching",
    });
    expect(d.state.probe).not.toBeNull();
    feed(d, { type: "command", command: { kind: "resume" } });
    expect(d.state.inFlight?.kind).toBe("failover");
  });
  test("switch to the current healthy profile just holds", () => {
    const d = healthy();
    expect(
      switches(
        feed(d, {
          type: "command",
          command: { kind: "switchTo", profile: "dsl" },
        }),
      ),
    ).toEqual([]);
    expect(d.state.hold).toBe(true);
  });
  test("switch to an unknown profile is refused", () => {
    const d = healthy();
    feed(d, {
      type: "command",
      command: { kind: "switchTo", profile: "wlan" },
    });
    expect(d.state.hold).toBe(false);
    expect(d.log.at(-1)?.type).toBe("log");
  });
  test("failback now ignores the back-off and the carrier check", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    land(d);
    feed(d, { type: "standbyCarrier", profile: "dsl", carrier: false });
    expect(switches(feed(d, { type: "command", command: { kind: "failbackNow" } }))).toMatchObject([
      {
        type: "failback",
        from: "cable",
        to: "dsl",
        trial: 1,
        reason: "operator: failback now",
      },
    ]);
  });
  test("failback now on the primary is refused", () => {
    const d = healthy();
    expect(switches(feed(d, { type: "command", command: { kind: "failbackNow" } }))).toEqual([]);
  });
});

describe("purity", () => {
  test("decide does not change the state it is given", () => {
    const d = start();
    facts(d);
    const before = structuredClone(d.state);
    const frozen = d.state;
    rounds(d, 30, 0);
    expect(frozen).toEqual(before);
  });
});
