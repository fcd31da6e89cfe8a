import { describe, expect, test } from "bun:test";
import { linkFault } from "../../../src/core/health/link.ts";
import { nextStreak, roundPassed } from "../../../src/core/health/round.ts";
import { EMPTY_STATS, recordSample, summarize } from "../../../src/core/health/stats.ts";

const r = (...rtts: (number | null)[]) => rtts.map((rttMs, i) => ({ target: `t${i}`, rttMs }));

describe("roundPassed", () => {
  test("passes when at least k of n answered", () => {
    expect(roundPassed(r(10, null, null), 1, 1000)).toBe(true);
    expect(roundPassed(r(10, null, null), 2, 1000)).toBe(false);
    expect(roundPassed(r(10, 12, null), 2, 1000)).toBe(true);
    expect(roundPassed(r(null, null, null), 1, 1000)).toBe(false);
  });
  test("a reply later than the timeout is a loss", () => {
    expect(roundPassed(r(1500), 1, 1000)).toBe(false);
  });
  test("a round with fewer targets than the quorum needs them all", () => {
    expect(roundPassed(r(10), 2, 1000)).toBe(true);
    expect(roundPassed(r(null), 2, 1000)).toBe(false);
  });
  test("an empty round says nothing", () => {
    expect(roundPassed([], 1, 1000)).toBeNull();
  });
});

test("nextStreak counts runs and resets on the other kind", () => {
  let s = { good: 0, bad: 0 };
  s = nextStreak(s, false);
  s = nextStreak(s, false);
  expect(s).toEqual({ good: 0, bad: 2 });
  s = nextStreak(s, true);
  expect(s).toEqual({ good: 1, bad: 0 });
});

describe("linkFault", () => {
  const ok = { carrier: true, operUp: true, redActive: true, hasAddress: true };
  test("a usable link has no fault", () => expect(linkFault(ok)).toBeNull());
  test("unknown carrier and operstate (ppp, qmi) are no fault", () => {
    expect(linkFault({ ...ok, carrier: null, operUp: null })).toBeNull();
  });
  test("names the first fact that rules the link out", () => {
    expect(linkFault({ ...ok, carrier: false, redActive: false })).toBe("no carrier");
    expect(linkFault({ ...ok, operUp: false })).toBe("operstate down");
    expect(linkFault({ ...ok, redActive: false })).toBe("red/active missing");
    expect(linkFault({ ...ok, hasAddress: false })).toBe("no address on RED");
  });
});

describe("target statistics", () => {
  const w = { windowMs: 60_000, bucketMs: 5_000 };
  test("loss, RTT average and jitter over the window", () => {
    let s = EMPTY_STATS;
    for (const [at, rtt] of [
      [0, 10],
      [1000, 20],
      [2000, null],
      [3000, 14],
    ] as const) {
      s = recordSample(s, at, rtt, w);
    }
    const sum = summarize(s, 3000, w);
    expect(sum.sent).toBe(4);
    expect(sum.lost).toBe(1);
    expect(sum.lossPct).toBe(25);
    expect(sum.rttAvgMs).toBeCloseTo(44 / 3);
    // |20-10| and |14-20|: a lost echo does not break the chain
    expect(sum.jitterMs).toBe(8);
    expect(sum.lastRttMs).toBe(14);
  });
  test("old samples fall out of the window and the state stays bounded", () => {
    let s = EMPTY_STATS;
    for (let at = 0; at < 600_000; at += 300) s = recordSample(s, at, at < 300_000 ? null : 10, w);
    expect(s.buckets.length).toBeLessThanOrEqual(12);
    const sum = summarize(s, 600_000, w);
    expect(sum.lost).toBe(0);
    expect(sum.rttAvgMs).toBe(10);
    expect(sum.jitterMs).toBe(0);
  });
  test("nothing measured yet", () => {
    expect(summarize(EMPTY_STATS, 0, w)).toEqual({
      sent: 0,
      lost: 0,
      lossPct: null,
      rttAvgMs: null,
      jitterMs: null,
      lastRttMs: null,
    });
  });
});
