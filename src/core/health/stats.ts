// Rolling per-target statistics for the status output: loss, RTT average and
// jitter over a time window. Samples are folded into fixed-width time buckets
// so that the state stays small and cheap to copy at any probe rate (the
// engine copies its state on every event).

export interface StatsWindow {
  windowMs: number;
  bucketMs: number; // windowMs should be a multiple of it
}

export interface Bucket {
  start: number; // ms, a multiple of bucketMs
  sent: number;
  lost: number;
  rttSumMs: number;
  // Jitter = mean absolute difference between consecutive answered RTTs of a
  // target (the RFC 3550 idea without its smoothing).
  jitterSumMs: number;
  jitterCount: number;
}

export interface TargetStats {
  buckets: readonly Bucket[]; // oldest first
  lastRttMs: number | null; // last answered RTT, for the next jitter step
}

export interface TargetSummary {
  sent: number;
  lost: number;
  lossPct: number | null; // null before the first sample
  rttAvgMs: number | null; // null when nothing was answered
  jitterMs: number | null;
  lastRttMs: number | null;
}

export const EMPTY_STATS: TargetStats = { buckets: [], lastRttMs: null };

// The window is whole buckets: the current one and those that started less
// than windowMs ago, i.e. between windowMs - bucketMs and windowMs of samples.
function inWindow(b: Bucket, now: number, w: StatsWindow): boolean {
  return b.start > now - w.windowMs;
}

// rttMs null = lost.
export function recordSample(
  stats: TargetStats,
  at: number,
  rttMs: number | null,
  w: StatsWindow,
): TargetStats {
  const start = Math.floor(at / w.bucketMs) * w.bucketMs;
  const kept = stats.buckets.filter((b) => inWindow(b, at, w));
  const last = kept.at(-1);
  const current: Bucket =
    last && last.start === start
      ? { ...last }
      : {
          start,
          sent: 0,
          lost: 0,
          rttSumMs: 0,
          jitterSumMs: 0,
          jitterCount: 0,
        };
  current.sent++;
  if (rttMs === null) {
    current.lost++;
  } else {
    current.rttSumMs += rttMs;
    if (stats.lastRttMs !== null) {
      current.jitterSumMs += Math.abs(rttMs - stats.lastRttMs);
      current.jitterCount++;
    }
  }
  const buckets = last && last.start === start ? [...kept.slice(0, -1), current] : [...kept, current];
  return { buckets, lastRttMs: rttMs ?? stats.lastRttMs };
}

export function summarize(stats: TargetStats, now: number, w: StatsWindow): TargetSummary {
  let sent = 0;
  let lost = 0;
  let rttSum = 0;
  let jitterSum = 0;
  let jitterCount = 0;
  for (const b of stats.buckets) {
    if (!inWindow(b, now, w)) continue;
    sent += b.sent;
    lost += b.lost;
    rttSum += b.rttSumMs;
    jitterSum += b.jitterSumMs;
    jitterCount += b.jitterCount;
  }
  const answered = sent - lost;
  return {
    sent,
    lost,
    lossPct: sent === 0 ? null : (lost * 100) / sent,
    rttAvgMs: answered === 0 ? null : rttSum / answered,
    jitterMs: jitterCount === 0 ? null : jitterSum / jitterCount,
    lastRttMs: stats.lastRttMs,
  };
}
