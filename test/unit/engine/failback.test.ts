import { describe, expect, test } from "bun:test";
import { DEFAULT_ENGINE_CONFIG } from "../../../src/core/engine/config.ts";
import { trialWait } from "../../../src/core/engine/failback.ts";
import { type Driver, facts, feed, healthy, land, rounds, switches, tick } from "./driver.ts";

const cfg = DEFAULT_ENGINE_CONFIG;
const fb = cfg.failback;

// On the metered backup, healthy; cable is unplugged so it is skipped.
function onLte(): Driver {
  const d = healthy();
  feed(d, { type: "standbyCarrier", profile: "cable", carrier: false });
  rounds(d, cfg.downRounds, 0);
  expect(d.state.inFlight?.to).toBe("lte");
  land(d, 8_000);
  rounds(d, cfg.upRounds, 3);
  return d;
}

describe("trialWait", () => {
  test("doubles per failed trial up to the cap; a metered backup starts earlier and caps lower", () => {
    expect([0, 1, 2, 3].map((n) => trialWait(cfg, n, false))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(trialWait(cfg, 10, false)).toBe(fb.backoffCapMs);
    expect([0, 1, 2].map((n) => trialWait(cfg, n, true))).toEqual([30_000, 60_000, 120_000]);
    expect(trialWait(cfg, 10, true)).toBe(fb.meteredBackoffCapMs);
  });
});

describe("failback trial", () => {
  test("landing on a metered backup schedules the first trial after meteredMinBackupMs", () => {
    const d = onLte();
    expect(d.state.active).toBe("lte");
    expect(d.state.failback.nextTrialAt).toBe(d.state.activeSince + fb.meteredMinBackupMs);
    expect(d.state.rescue).toBeNull();
  });

  test("a trial is a failback action; a primary proven within probation stays", () => {
    const d = onLte();
    const due = d.state.failback.nextTrialAt!;
    expect(switches(tick(d, due - d.now - 1))).toEqual([]);
    const acts = tick(d, 1);
    expect(switches(acts)).toEqual([
      {
        type: "failback",
        from: "lte",
        to: "dsl",
        trial: 1,
        probationMs: fb.probationMs,
        reason: "30 s on lte",
      },
    ]);
    land(d);
    expect(d.state.failback.probation).toEqual({
      trial: 1,
      returnTo: "lte",
      until: d.now + fb.probationMs,
    });
    expect(d.state.failback.nextTrialAt).toBeNull();
    rounds(d, cfg.upRounds, 3);
    expect(d.state.link.health).toBe("up");
    tick(d, fb.probationMs);
    expect(d.state.failback.probation).toBeNull();
    expect(d.state.failback.failedTrials).toBe(0);
    expect(d.log.at(-1)).toEqual({
      type: "notify",
      severity: "info",
      message: "dsl passed trial 1, staying on it",
    });
  });

  test("a primary that fails within probation sends RED straight back, with more back-off", () => {
    const d = onLte();
    tick(d, d.state.failback.nextTrialAt! - d.now);
    land(d);
    const acts = rounds(d, cfg.downRounds, 0);
    expect(switches(acts)).toEqual([
      {
        type: "switch",
        from: "dsl",
        to: "lte",
        kind: "return",
        reason: "trial 1 of dsl failed: no target answered in 5 rounds",
        rollback: false,
      },
    ]);
    expect(d.state.failback.failedTrials).toBe(1);
    land(d, 8_000);
    expect(d.state.failback.nextTrialAt).toBe(d.now + 2 * fb.meteredMinBackupMs);
  });

  test("a primary not proven healthy by the end of probation counts as failed", () => {
    const d = onLte();
    tick(d, d.state.failback.nextTrialAt! - d.now);
    land(d);
    // alternating rounds: never down, never proven
    for (let i = 0; i < 120; i++) rounds(d, 1, i % 2 === 0 ? 3 : 0);
    tick(d, fb.probationMs);
    expect(d.state.inFlight?.kind).toBe("return");
    expect(d.state.inFlight?.reason).toContain("not proven healthy");
  });

  test("a failed switch to the primary (settings unchanged) counts as a failed trial and stays", () => {
    const d = onLte();
    tick(d, d.state.failback.nextTrialAt! - d.now);
    feed(
      d,
      {
        type: "switchDone",
        to: "dsl",
        ok: false,
        reason: "settings not writable",
        active: "lte",
      },
      2_000,
    );
    expect(d.state.mode).toBe("running");
    expect(d.state.active).toBe("lte");
    expect(d.state.failback.failedTrials).toBe(1);
    expect(d.state.failback.probation).toBeNull();
    expect(d.state.failback.nextTrialAt).toBe(d.now + 2 * fb.meteredMinBackupMs);
  });

  test("a failed bring-up of the primary returns to the backup at once", () => {
    const d = onLte();
    tick(d, d.state.failback.nextTrialAt! - d.now);
    const acts = feed(
      d,
      {
        type: "switchDone",
        to: "dsl",
        ok: false,
        reason: "network start red timed out",
      },
      30_000,
    );
    expect(switches(acts)).toHaveLength(1);
    expect(d.state.inFlight?.kind).toBe("return");
  });

  test("no trial while the primary's NIC has no carrier; a trial once it has been back for the settle time", () => {
    const d = onLte();
    feed(d, { type: "standbyCarrier", profile: "dsl", carrier: false });
    expect(switches(tick(d, 10 * 60_000))).toEqual([]);
    expect(d.state.failback.deferred).toBe("dsl: no carrier");
    expect(d.state.failback.failedTrials).toBe(0);
    feed(d, { type: "standbyCarrier", profile: "dsl", carrier: true }, 1_000);
    expect(switches(tick(d, fb.carrierSettleMs - 1))).toEqual([]);
    expect(d.state.failback.deferred).toBe("dsl: carrier settling");
    expect(switches(tick(d, 1))).toHaveLength(1);
  });

  test("no trial while the backup itself is down", () => {
    const d = onLte();
    facts(d, { redActive: false });
    tick(d, d.state.failback.nextTrialAt! - d.now);
    expect(d.state.inFlight?.kind).not.toBe("failback");
  });

  test("a primary failing soon after its return counts as a failed trial; staying stable resets the back-off", () => {
    const d = onLte();
    tick(d, d.state.failback.nextTrialAt! - d.now);
    land(d);
    rounds(d, cfg.upRounds, 3);
    tick(d, fb.probationMs);
    tick(d, 60_000);
    rounds(d, cfg.downRounds, 0);
    expect(d.state.inFlight?.kind).toBe("failover");
    expect(d.state.failback.failedTrials).toBe(1);
    land(d, 8_000);
    expect(d.state.failback.nextTrialAt).toBe(d.now + 2 * fb.meteredMinBackupMs);
    rounds(d, cfg.upRounds, 3);
    tick(d, d.state.failback.nextTrialAt! - d.now);
    land(d);
    rounds(d, cfg.upRounds, 3);
    expect(d.state.failback.failedTrials).toBe(1);
    for (let t = 0; t < fb.stableMs; t += 1000) tick(d, 1000);
    expect(d.state.failback.failedTrials).toBe(0);
    expect(d.state.failback.returnedAt).toBeNull();
  });

  test("the first failure after start is not a relapse", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    expect(d.state.failback.failedTrials).toBe(0);
  });
});
