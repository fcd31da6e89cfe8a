// Turns the replies of long-running pings (one per target) into the engine's
// probe rounds. Round k is echo request k of every target. Each ping keeps
// its own schedule, so the time request k was sent is estimated from the
// latest thing that ping said about its own schedule (a reply tells its send
// time through its RTT; "no answer yet for k" is printed as k+1 goes out):
// no drift between ping's timer and mwan's accumulates. Pure: time is passed
// in; the daemon feeds it lines and asks for finished rounds on every tick.

import type { ProbeResult } from "../core/health/round.ts";

interface Timeline {
  anchorSeq: number;
  anchorAt: number; // when request anchorSeq was sent
  replies: Map<number, number>; // seq -> rtt
  dead: boolean; // the ping exited; no more replies will come
}

export interface AssembledRound {
  sentAt: number;
  results: ProbeResult[];
}

export class RoundAssembler {
  private readonly lines = new Map<string, Timeline>();
  private next = 1; // the next round (= sequence number) to hand out

  constructor(
    targets: readonly string[],
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    startedAt: number,
  ) {
    for (const t of targets) {
      this.lines.set(t, {
        anchorSeq: 1,
        anchorAt: startedAt,
        replies: new Map(),
        dead: false,
      });
    }
  }

  reply(target: string, seq: number, rttMs: number, now: number): void {
    const l = this.lines.get(target);
    if (!l || seq < this.next) return; // a late reply to a round already judged
    l.replies.set(seq, rttMs);
    if (seq >= l.anchorSeq) {
      l.anchorSeq = seq;
      l.anchorAt = now - rttMs;
    }
  }

  noAnswer(target: string, seq: number, now: number): void {
    const l = this.lines.get(target);
    if (!l || seq + 1 < l.anchorSeq) return;
    l.anchorSeq = seq + 1;
    l.anchorAt = now;
  }

  exited(target: string): void {
    const l = this.lines.get(target);
    if (l) l.dead = true;
  }

  private sentAt(l: Timeline, seq: number): number {
    return l.anchorAt + (seq - l.anchorSeq) * this.intervalMs;
  }

  // Rounds whose every target has answered or run out of time, oldest first.
  finished(now: number): AssembledRound[] {
    const out: AssembledRound[] = [];
    const all = [...this.lines.entries()];
    // Without a live ping there are no rounds: RED's link facts speak then.
    if (all.every(([, l]) => l.dead)) return out;
    for (;;) {
      const seq = this.next;
      const done = all.every(
        ([, l]) => l.replies.has(seq) || l.dead || now >= this.sentAt(l, seq) + this.timeoutMs,
      );
      // Request seq must have gone out on every line, or it is not a round yet.
      const sent = all.every(([, l]) => l.dead || this.sentAt(l, seq) <= now);
      if (!done || !sent || all.length === 0) return out;
      out.push({
        sentAt: Math.min(...all.map(([, l]) => this.sentAt(l, seq))),
        results: all.map(([target, l]) => {
          const rtt = l.replies.get(seq);
          return {
            target,
            rttMs: rtt !== undefined && rtt <= this.timeoutMs ? rtt : null,
          };
        }),
      });
      for (const [, l] of all) l.replies.delete(seq);
      this.next++;
    }
  }
}
