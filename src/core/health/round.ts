// One probe round = one echo to each target probed in that round. A round is
// judged as a whole so that one unreachable or rate-limiting target cannot
// fail a link on its own (dennypage/dpinger#22: one dead 8.8.8.8 was enough).

export interface ProbeResult {
  target: string;
  // Round-trip time of the reply, or null when no reply came in time.
  rttMs: number | null;
}

// Consecutive judged rounds; a round of the other kind resets a streak, which
// is what separates a black-holed link (long bad streak) from random loss.
export interface Streak {
  good: number;
  bad: number;
}

export const NO_STREAK: Streak = { good: 0, bad: 0 };

export function answered(result: ProbeResult, timeoutMs: number): boolean {
  return result.rttMs !== null && result.rttMs <= timeoutMs;
}

// A round passes when at least `quorum` targets answered; a round that probed
// fewer targets than the quorum (a sparse round on a metered link) needs them
// all. Returns null for an empty round, which says nothing about the link.
export function roundPassed(
  results: readonly ProbeResult[],
  quorum: number,
  timeoutMs: number,
): boolean | null {
  if (results.length === 0) return null;
  const need = Math.min(Math.max(1, quorum), results.length);
  let ok = 0;
  for (const r of results) if (answered(r, timeoutMs)) ok++;
  return ok >= need;
}

export function nextStreak(streak: Streak, passed: boolean): Streak {
  return passed ? { good: streak.good + 1, bad: 0 } : { good: 0, bad: streak.bad + 1 };
}
