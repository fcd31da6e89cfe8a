import { describe, expect, test } from "bun:test";
import { DEFAULT_ENGINE_CONFIG } from "../../../src/core/engine/config.ts";
import { facts, feed, healthy, land, rounds, switches, tick } from "./driver.ts";

const cfg = DEFAULT_ENGINE_CONFIG;

describe("several backups", () => {
  test("a backup that does not come up gives way to the next, in priority order", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    expect(d.state.inFlight?.to).toBe("cable");
    feed(d, { type: "switchDone", to: "cable", ok: true }, 4_000);
    facts(d, { redActive: false, hasAddress: false });
    expect(switches(tick(d, cfg.bringUpGraceMs - 1))).toEqual([]);
    const acts = tick(d, 1);
    expect(switches(acts)).toEqual([
      {
        type: "switch",
        from: "cable",
        to: "lte",
        kind: "rescue",
        reason: "cable down: red/active missing, not up within 20 s",
        rollback: false,
      },
    ]);
    expect(d.state.rescue?.failed).toEqual(["dsl", "cable"]);
  });

  test("an unhealthy backup gives way to the next", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    land(d);
    rounds(d, cfg.downRounds, 0);
    expect(d.state.inFlight).toMatchObject({
      from: "cable",
      to: "lte",
      kind: "rescue",
    });
  });

  test("a failed switch moves on to the next profile at once", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    const acts = feed(d, { type: "switchDone", to: "cable", ok: false, reason: "dhcpcd failed" }, 60_000);
    expect(switches(acts)).toHaveLength(1);
    expect(d.state.inFlight?.to).toBe("lte");
    expect(d.state.history.at(-1)).toMatchObject({
      to: "cable",
      ok: false,
      failure: "dhcpcd failed",
    });
  });

  test("a backup without carrier is skipped", () => {
    const d = healthy();
    feed(d, { type: "standbyCarrier", profile: "cable", carrier: false });
    rounds(d, cfg.downRounds, 0);
    expect(d.state.inFlight?.to).toBe("lte");
  });

  test("when nothing works, mwan pauses with back-off, says so, and tries again from the top", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    feed(d, { type: "switchDone", to: "cable", ok: false, reason: "x" }, 1_000);
    const acts = feed(d, { type: "switchDone", to: "lte", ok: false, reason: "no SIM" }, 1_000);
    expect(switches(acts)).toEqual([]);
    expect(acts).toContainEqual({
      type: "notify",
      severity: "critical",
      message: "no working uplink (dsl, cable, lte failed); next attempt in 10 s",
    });
    expect(d.state.rescue).toEqual({
      failed: ["dsl", "cable", "lte"],
      round: 1,
      retryAt: d.now + 10_000,
    });
    expect(d.state.active).toBe("lte");
    expect(switches(tick(d, 9_999))).toEqual([]);
    expect(switches(tick(d, 1))).toMatchObject([{ type: "switch", from: "lte", to: "dsl", kind: "retry" }]);
    // second fruitless round: twice the pause
    for (const to of ["dsl", "cable", "lte"])
      feed(d, { type: "switchDone", to, ok: false, reason: "x" }, 1_000);
    expect(d.state.rescue?.round).toBe(2);
    expect(d.state.rescue?.retryAt).toBe(d.now + 20_000);
  });

  test("the retry pause is capped", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    for (let round = 1; round <= 8; round++) {
      for (let i = 0; i < 3; i++) {
        const to = d.state.inFlight?.to;
        if (to === undefined) break;
        feed(d, { type: "switchDone", to, ok: false, reason: "x" }, 1_000);
      }
      expect(d.state.rescue?.round).toBe(round);
      tick(d, d.state.rescue!.retryAt! - d.now);
    }
    expect(d.state.rescue!.retryAt! - d.state.history.at(-1)!.doneAt!).toBeLessThanOrEqual(
      cfg.noLink.retryCapMs,
    );
  });

  test("a single profile is restarted after the pause", () => {
    const d = healthy();
    for (const p of ["cable", "lte"]) feed(d, { type: "standbyCarrier", profile: p, carrier: false });
    rounds(d, cfg.downRounds, 0);
    expect(d.state.mode).toBe("running");
    expect(d.state.rescue?.retryAt).toBe(d.now + 10_000);
    tick(d, 10_000);
    expect(d.state.inFlight).toMatchObject({
      from: "dsl",
      to: "dsl",
      kind: "retry",
    });
  });

  test("a rescued link that comes up ends the rescue", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    land(d);
    rounds(d, cfg.upRounds, 3);
    expect(d.state.rescue).toBeNull();
    expect(d.log).toContainEqual({
      type: "notify",
      severity: "info",
      message: "cable is up",
    });
  });
});
