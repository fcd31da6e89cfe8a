import { describe, expect, test } from "bun:test";
import { DEFAULT_ENGINE_CONFIG } from "../../../src/core/engine/config.ts";
import { decide, initialState } from "../../../src/core/engine/decide.ts";
import type { Action, Profile } from "../../../src/core/engine/types.ts";
import {
  type Driver,
  facts,
  feed,
  healthy,
  land,
  rounds,
  sideRounds,
  sideStatus,
  switches,
  tick,
} from "./driver.ts";

const cfg = DEFAULT_ENGINE_CONFIG;
const fb = cfg.failback;
const SIDE_MS = cfg.side.probeIntervalMs;
const DOWN_REASON = "no target answered in 5 rounds";

// dsl failed, cable (unmetered) carries RED and is up; dsl's side watch runs.
function onCable(): Driver {
  const d = healthy();
  rounds(d, cfg.downRounds, 0);
  expect(d.state.inFlight?.to).toBe("cable");
  land(d);
  rounds(d, cfg.upRounds, 3);
  sideStatus(d, "dsl", "running");
  return d;
}

// Good side rounds of dsl until just before `ms` of health; returns when the
// run of good rounds began (goodSince).
function goodFor(d: Driver, ms: number): number {
  const since = d.now + SIDE_MS;
  sideRounds(d, "dsl", Math.floor((ms - 1) / SIDE_MS), 3);
  expect(d.state.side["dsl"]?.goodSince).toBe(since);
  return since;
}

const info = (message: string): Action => ({ type: "log", level: "info", message });
const sideChanges = (d: Driver) => messages(d).filter((m) => / from the side: /.test(m));
const messages = (d: Driver) =>
  d.log.flatMap((a) => (a.type === "log" || a.type === "notify" ? [a.message] : []));

describe("folding side events", () => {
  test("a running watch starts unproven, is up after upRounds good rounds and down after downRounds failed ones, each change logged once", () => {
    const d = onCable();
    expect(d.state.side["dsl"]).toMatchObject({
      mode: "probes",
      status: "running",
      statusSince: d.now,
      statusReason: "lease 192.0.2.10",
      health: "unproven",
      goodSince: null,
      streak: { good: 0, bad: 0 },
    });
    sideRounds(d, "dsl", cfg.upRounds - 1, 3);
    expect(d.state.side["dsl"]?.health).toBe("unproven");
    sideRounds(d, "dsl", 1, 1);
    expect(d.state.side["dsl"]).toMatchObject({
      health: "up",
      healthSince: d.now,
      healthReason: "10 good rounds",
    });
    expect(d.state.side["dsl"]?.targets["a"]?.buckets.length).toBeGreaterThan(0);
    sideRounds(d, "dsl", cfg.downRounds - 1, 0);
    expect(d.state.side["dsl"]).toMatchObject({ health: "up", goodSince: null });
    sideRounds(d, "dsl", 20, 0);
    expect(d.state.side["dsl"]).toMatchObject({ health: "down", healthReason: DOWN_REASON });
    sideRounds(d, "dsl", 1, 3);
    expect(d.state.side["dsl"]).toMatchObject({ health: "unproven", healthReason: "recovering" });
    const changes = sideChanges(d);
    expect(changes).toEqual([
      "dsl is up from the side: 10 good rounds",
      `dsl is down from the side: ${DOWN_REASON}`,
      "dsl is unproven from the side: recovering",
    ]);
  });

  test("goodSince is the start of the current run of passed rounds", () => {
    const d = onCable();
    sideRounds(d, "dsl", 1, 3);
    const first = d.now;
    sideRounds(d, "dsl", 3, 2);
    expect(d.state.side["dsl"]?.goodSince).toBe(first);
    sideRounds(d, "dsl", 1, 0);
    expect(d.state.side["dsl"]?.goodSince).toBeNull();
    sideRounds(d, "dsl", 1, 1);
    expect(d.state.side["dsl"]?.goodSince).toBe(d.now);
  });

  test("unavailable forgets the health, running again starts afresh, stopped drops the entry", () => {
    const d = onCable();
    sideRounds(d, "dsl", cfg.upRounds, 3);
    const acts = sideStatus(d, "dsl", "unavailable");
    expect(acts).toContainEqual({
      type: "log",
      level: "warning",
      message: "dsl: side watch unavailable: no lease offered",
    });
    expect(d.state.side["dsl"]).toMatchObject({ status: "unavailable", health: "unproven", goodSince: null });
    // the same report again changes nothing and says nothing
    expect(sideStatus(d, "dsl", "unavailable")).toEqual([]);
    // a round from a watch that is not running is ignored
    sideRounds(d, "dsl", 1, 3);
    expect(d.state.side["dsl"]?.streak).toEqual({ good: 0, bad: 0 });
    sideStatus(d, "dsl", "running");
    expect(d.state.side["dsl"]).toMatchObject({ status: "running", statusSince: d.now, health: "unproven" });
    expect(d.state.side["dsl"]?.targets).toEqual({});
    // a round sent before this watch started belongs to the old one
    feed(d, { type: "sideRound", profile: "dsl", sentAt: d.now - 1, results: [{ target: "a", rttMs: 20 }] });
    expect(d.state.side["dsl"]?.streak).toEqual({ good: 0, bad: 0 });
    sideStatus(d, "dsl", "stopped");
    expect(d.state.side["dsl"]).toBeUndefined();
  });

  test("events about the profile RED carries are ignored", () => {
    const d = healthy();
    expect(sideStatus(d, "dsl", "running")).toEqual([]);
    sideRounds(d, "dsl", 3, 3);
    expect(d.state.side).toEqual({});
  });

  test("events about a switch's target are ignored while it is in flight, and its entry is dropped when it is done", () => {
    const d = healthy();
    sideStatus(d, "cable", "running");
    sideRounds(d, "cable", cfg.upRounds, 3);
    rounds(d, cfg.downRounds, 0);
    expect(d.state.inFlight?.to).toBe("cable");
    const before = d.state.side["cable"];
    sideStatus(d, "cable", "unavailable");
    sideRounds(d, "cable", 5, 0);
    expect(d.state.side["cable"]).toBe(before!);
    land(d);
    expect(d.state.side["cable"]).toBeUndefined();
  });
});

describe("the side plan", () => {
  test("every watchable profile but the one RED carries; mid-switch neither end of the switch; none in shutdown", () => {
    const d = healthy();
    const plan = d.state.sidePlan;
    expect(plan).toEqual([{ profile: "cable", mode: "probes", intervalMs: 2_000, timeoutMs: 1_000 }]);
    tick(d, 250);
    expect(d.state.sidePlan).toBe(plan);
    rounds(d, cfg.downRounds, 0);
    expect(d.state.mode).toBe("switching");
    expect(d.state.sidePlan).toEqual([]);
    land(d);
    expect(d.state.sidePlan).toEqual([
      { profile: "dsl", mode: "probes", intervalMs: 2_000, timeoutMs: 1_000 },
    ]);
    feed(d, { type: "shutdown" });
    expect(d.state.sidePlan).toEqual([]);
  });

  test("a PPPoE primary is planned for discovery, a metered profile sparsely; the initial state already has the plan", () => {
    const profiles: Profile[] = [
      { name: "vdsl", priority: 0, metered: false, isPrimary: true, side: "discovery" },
      { name: "cable", priority: 1, metered: false, isPrimary: false, side: "probes" },
      { name: "router", priority: 2, metered: true, isPrimary: false, side: "probes" },
      { name: "lte", priority: 3, metered: true, isPrimary: false },
    ];
    const s = initialState({ profiles, active: "lte", now: 0 });
    expect(s.sidePlan).toEqual([
      { profile: "vdsl", mode: "discovery", intervalMs: 30_000, timeoutMs: cfg.side.discoveryTimeoutMs },
      { profile: "cable", mode: "probes", intervalMs: 2_000, timeoutMs: 1_000 },
      { profile: "router", mode: "probes", intervalMs: 10_000, timeoutMs: 1_000 },
    ]);
    const { state } = decide(s, { type: "tick" }, 250);
    expect(state.sidePlan).toBe(s.sidePlan);
  });
});

describe("failback watched from the side", () => {
  test("back on the primary once it has been healthy from the side for FAILBACK_DELAY: not earlier, at the next event", () => {
    const d = onCable();
    const since = goodFor(d, fb.minBackupMs);
    expect(d.state.failback.nextTrialAt).toBeLessThan(d.now); // the blind schedule is not used
    expect(switches(tick(d, since + fb.minBackupMs - 1 - d.now))).toEqual([]);
    expect(switches(tick(d, 1))).toEqual([
      {
        type: "failback",
        from: "cable",
        to: "dsl",
        trial: 1,
        probationMs: fb.probationMs,
        reason: "dsl healthy from the side for 60 s",
      },
    ]);
    land(d);
    expect(d.state.side["dsl"]).toBeUndefined();
    expect(d.state.failback.probation?.until).toBe(d.now + fb.probationMs);
  });

  test("a delay shorter than the proof of health: back after the delay and 3 passed rounds, not after the 10 that prove up", () => {
    const short = { ...cfg, failback: { ...fb, minBackupMs: 5000 } };
    const d = healthy("dsl", short);
    rounds(d, cfg.downRounds, 0);
    land(d);
    rounds(d, cfg.upRounds, 3);
    sideStatus(d, "dsl", "running");
    sideRounds(d, "dsl", 2, 3);
    expect(switches(tick(d, 5000))).toEqual([]); // 2 rounds only
    const out = sideRounds(d, "dsl", 1, 3);
    expect(d.state.side["dsl"]?.health).toBe("unproven");
    expect(switches(out).map((a) => a.type)).toEqual(["failback"]);
  });

  test("a metered backup waits half as long", () => {
    const d = healthy();
    feed(d, { type: "standbyCarrier", profile: "cable", carrier: false });
    rounds(d, cfg.downRounds, 0);
    land(d, 8_000);
    rounds(d, cfg.upRounds, 3);
    sideStatus(d, "dsl", "running");
    const since = goodFor(d, fb.meteredMinBackupMs);
    expect(switches(tick(d, since + fb.meteredMinBackupMs - 1 - d.now))).toEqual([]);
    expect(switches(tick(d, 1))).toMatchObject([
      { type: "failback", reason: "dsl healthy from the side for 30 s" },
    ]);
  });

  test("no trial while the primary is down from the side, even after hours", () => {
    const d = onCable();
    sideRounds(d, "dsl", 3 * 1800, 0); // 3 hours
    expect(switches(d.log).filter((a) => a.type === "failback")).toEqual([]);
    expect(d.state.active).toBe("cable");
    expect(d.state.failback.deferred).toBe(`dsl: down from the side (${DOWN_REASON})`);
    expect(messages(d).filter((m) => m.startsWith("failback deferred"))).toEqual([
      `failback deferred: dsl: down from the side (${DOWN_REASON})`,
    ]);
    expect(sideChanges(d)).toEqual([`dsl is down from the side: ${DOWN_REASON}`]);
  });

  test("a single failed round starts the healthy time again", () => {
    const d = onCable();
    goodFor(d, 50_000);
    sideRounds(d, "dsl", 1, 0);
    const since = goodFor(d, fb.minBackupMs);
    expect(switches(tick(d, since + fb.minBackupMs - 1 - d.now))).toEqual([]);
    expect(switches(tick(d, 1))).toHaveLength(1);
  });

  test("a failed trial doubles the healthy time asked for next", () => {
    const d = onCable();
    const since = goodFor(d, fb.minBackupMs);
    tick(d, since + fb.minBackupMs - d.now);
    land(d);
    rounds(d, cfg.downRounds, 0);
    expect(d.state.inFlight?.kind).toBe("return");
    land(d);
    expect(d.state.failback.failedTrials).toBe(1);
    sideStatus(d, "dsl", "running");
    const again = goodFor(d, 2 * fb.minBackupMs);
    expect(switches(tick(d, again + 2 * fb.minBackupMs - 1 - d.now))).toEqual([]);
    expect(switches(tick(d, 1))).toMatchObject([
      { type: "failback", trial: 2, reason: "dsl healthy from the side for 120 s" },
    ]);
  });

  test("carrier rules still hold: no failback to a primary without carrier", () => {
    const d = onCable();
    feed(d, { type: "standbyCarrier", profile: "dsl", carrier: false });
    goodFor(d, 3 * fb.minBackupMs);
    expect(switches(d.log).filter((a) => a.type === "failback")).toEqual([]);
    expect(d.state.failback.deferred).toBe("dsl: no carrier");
  });

  test("the operator's failback still goes, and the log says the side watch disagrees", () => {
    const d = onCable();
    sideRounds(d, "dsl", cfg.downRounds, 0);
    const acts = feed(d, { type: "command", command: { kind: "failbackNow" } });
    expect(switches(acts)).toMatchObject([{ type: "failback", to: "dsl", reason: "operator: failback now" }]);
    expect(acts).toContainEqual({
      type: "log",
      level: "warning",
      message: `failback as asked, although dsl is down from the side (${DOWN_REASON})`,
    });
  });
});

describe("a side watch that cannot run", () => {
  test("unavailable before the first trial keeps the schedule set on landing", () => {
    const d = healthy();
    rounds(d, cfg.downRounds, 0);
    land(d);
    const at = d.state.failback.nextTrialAt!;
    sideStatus(d, "dsl", "unavailable");
    expect(d.state.failback.nextTrialAt).toBe(at);
    rounds(d, cfg.upRounds, 3);
    expect(switches(tick(d, at - 1 - d.now))).toEqual([]);
    expect(switches(tick(d, 1))).toMatchObject([{ type: "failback", reason: "60 s on cable" }]);
  });

  test("a watch lost while on the backup brings back the trials, a full delay later", () => {
    const d = onCable();
    sideRounds(d, "dsl", 300, 0); // 10 minutes down from the side
    expect(d.state.failback.nextTrialAt).toBeLessThan(d.now);
    sideStatus(d, "dsl", "unavailable", "probes", "lease lost");
    const at = d.now + fb.minBackupMs;
    expect(d.state.failback.nextTrialAt).toBe(at);
    expect(d.state.failback.deferred).toBeNull();
    expect(switches(tick(d, at - 1 - d.now))).toEqual([]);
    expect(switches(tick(d, 1))).toMatchObject([{ type: "failback", trial: 1 }]);
  });

  test("a watch stopped while on the backup brings back the trials too", () => {
    const d = onCable();
    sideRounds(d, "dsl", 100, 0);
    sideStatus(d, "dsl", "stopped", "probes", "profile changed");
    expect(d.state.side["dsl"]).toBeUndefined();
    expect(d.state.failback.nextTrialAt).toBe(d.now + fb.minBackupMs);
    expect(switches(tick(d, fb.minBackupMs - 1))).toEqual([]);
    expect(switches(tick(d, 1))).toMatchObject([{ type: "failback", trial: 1 }]);
  });
});

describe("a PPPoE/VDSL primary watched by discovery", () => {
  test("a due trial waits for a PADO; one comes and the trial goes at once", () => {
    const d = onCable();
    sideStatus(d, "dsl", "stopped");
    sideStatus(d, "dsl", "running", "discovery", "on eth1");
    const at = d.state.failback.nextTrialAt!;
    sideRounds(d, "dsl", 1, 0);
    expect(d.state.side["dsl"]).toMatchObject({
      health: "down",
      healthReason: "no PADO from the access concentrator",
    });
    tick(d, at - d.now);
    sideRounds(d, "dsl", 10, 0); // 5 minutes without a PADO
    expect(switches(d.log).filter((a) => a.type === "failback")).toEqual([]);
    expect(d.state.failback.deferred).toBe("dsl: no PADO from the access concentrator");
    const acts = sideRounds(d, "dsl", 1, 1);
    expect(switches(acts)).toMatchObject([
      {
        type: "failback",
        trial: 1,
        reason: `${(d.now - d.state.activeSince) / 1000} s on cable; dsl's access concentrator answers`,
      },
    ]);
  });

  test("an answering access concentrator does not bring the trial forward", () => {
    const d = onCable();
    sideStatus(d, "dsl", "running", "discovery", "on eth1");
    const at = d.state.failback.nextTrialAt!;
    sideRounds(d, "dsl", 1, 1);
    expect(d.state.side["dsl"]).toMatchObject({ health: "up", goodSince: d.now });
    expect(switches(tick(d, at - 1 - d.now))).toEqual([]);
    expect(switches(tick(d, 1))).toHaveLength(1);
  });
});

describe("rescue with side watches", () => {
  // dsl carries RED and is up; cable is known dead from the side.
  function cableDead(): Driver {
    const d = healthy();
    sideStatus(d, "cable", "running");
    sideRounds(d, "cable", cfg.downRounds, 0);
    expect(d.state.side["cable"]?.health).toBe("down");
    return d;
  }

  test("a backup known dead from the side is skipped for the next one", () => {
    const d = cableDead();
    const acts = rounds(d, cfg.downRounds, 0);
    expect(switches(acts)).toMatchObject([{ type: "switch", from: "dsl", to: "lte", kind: "failover" }]);
    expect(acts).toContainEqual(info(`skipping cable: down from the side (${DOWN_REASON})`));
  });

  test("it is still tried when nothing else is left, and skipped again in the retry round", () => {
    const d = cableDead();
    feed(d, { type: "standbyCarrier", profile: "lte", carrier: false });
    const acts = rounds(d, cfg.downRounds, 0);
    expect(switches(acts)).toMatchObject([{ type: "switch", from: "dsl", to: "cable", kind: "failover" }]);
    expect(acts).toContainEqual(
      info(`trying cable although it is down from the side (${DOWN_REASON}): nothing else is left`),
    );
    feed(d, { type: "switchDone", to: "cable", ok: false, reason: "no lease" }, 30_000);
    // while pausing, the primary's side watch finds it dead too: its 5th
    // failed round comes as the pause ends
    expect(d.state.rescue!.retryAt).toBe(d.now + cfg.downRounds * SIDE_MS);
    sideStatus(d, "dsl", "running");
    const retry = sideRounds(d, "dsl", cfg.downRounds, 0);
    expect(switches(retry)).toMatchObject([{ type: "switch", from: "cable", to: "cable", kind: "retry" }]);
    expect(retry).toContainEqual(info(`skipping dsl: down from the side (${DOWN_REASON})`));
  });

  test("a backup whose watch is unavailable or only unproven is not skipped", () => {
    const d = healthy();
    sideStatus(d, "cable", "unavailable");
    facts(d);
    rounds(d, cfg.downRounds, 0);
    expect(d.state.inFlight?.to).toBe("cable");
  });
});
