// Runs the probe rounds the engine asks for (State.probe) through RED's
// interface and address as they are at the time.
//
// Fast rounds (every target, every few hundred ms) ping each ICMP target
// through one long-running ping and assemble rounds from their replies; DNS
// and HTTP targets are probed per round alongside. Sparse rounds (a healthy
// metered link: one target every 10 s) start one probe per round, rotating
// through the targets.

import type { ProbePlan } from "../core/engine/types.ts";
import type { ProbeResult as EngineResult } from "../core/health/round.ts";
import type { RoundRunner } from "../adapters/probe/round.ts";
import { type PingStream, startPingStream } from "../adapters/probe/ping-stream.ts";
import { roundTargets, type TargetPlan } from "../adapters/probe/targets.ts";
import { type LinkFacts, type ProbeResult, type ProbeTarget, probeKey } from "../adapters/probe/types.ts";
import { type AssembledRound, RoundAssembler } from "./round-assembler.ts";

export interface RoundReport {
  profile: string;
  sentAt: number;
  results: EngineResult[];
}

export interface ProbeSchedulerDeps {
  runner: RoundRunner;
  pingPath: string;
  facts(): LinkFacts | null; // the latest facts the daemon read
  targets(profile: string): TargetPlan;
  onRound(report: RoundReport): void;
}

// Longest interval still served by long-running pings.
const STREAM_MAX_INTERVAL_MS = 2000;
// DNS and HTTP probes join a fast round at most once a second: each costs a
// socket or a curl process, and ICMP carries the fast detection anyway.
const OTHERS_EVERY_MS = 1000;

const toEngine = (r: ProbeResult): EngineResult => ({
  target: probeKey(r),
  rttMs: r.ok ? (r.rttMs ?? 0) : null,
});

interface Streams {
  key: string; // what they were started for: plan, interface and targets
  assembler: RoundAssembler;
  pings: PingStream[];
  others: ProbeTarget[];
  otherResults: Map<number, EngineResult[]>;
  othersDue: Set<number>; // rounds that include DNS/HTTP probes
  pending: AssembledRound[];
  round: number; // rounds of `others` started
  handed: number; // rounds handed to the engine
  startedAt: number;
  exited: boolean; // a ping ended: restart them (at most once a second)
}

export class ProbeScheduler {
  private plan: ProbePlan | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private rotation = 0;
  private streams: Streams | null = null;

  constructor(private readonly deps: ProbeSchedulerDeps) {}

  // Called after every engine decision; keeps the cadence unless the plan
  // really changed.
  update(plan: ProbePlan | null): void {
    if (plan && this.plan && JSON.stringify(plan) === JSON.stringify(this.plan)) return;
    this.plan = plan;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopStreams();
    if (plan) this.round();
  }

  // Called on every daemon tick: hands finished fast rounds to the engine.
  tick(now: number): void {
    const s = this.streams;
    const plan = this.plan;
    if (!s || !plan) return;
    s.pending.push(...s.assembler.finished(now));
    while (s.pending.length > 0) {
      const index = s.handed + 1;
      const others = s.othersDue.has(index) ? s.otherResults.get(index) : [];
      if (others === undefined) return; // this round's DNS/HTTP answers are still due
      s.othersDue.delete(index);
      const round = s.pending.shift() as AssembledRound;
      s.otherResults.delete(index);
      s.handed = index;
      this.deps.onRound({
        profile: plan.profile,
        sentAt: round.sentAt,
        results: [...round.results, ...others],
      });
    }
  }

  stop(): void {
    this.update(null);
  }

  private round(): void {
    const plan = this.plan;
    if (!plan) return;
    this.timer = setTimeout(() => this.round(), plan.intervalMs);
    const facts = this.deps.facts();
    if (!facts?.iface) return; // RED's link facts already tell the engine
    const all = roundTargets(this.deps.targets(plan.profile), facts);
    const via = { iface: facts.iface, localAddress: facts.localAddress };
    const timed = (ts: ProbeTarget[]) => ts.map((t) => ({ ...t, timeoutMs: plan.timeoutMs }));
    if (plan.targetsPerRound !== "all" || plan.intervalMs > STREAM_MAX_INTERVAL_MS) {
      const sentAt = Date.now();
      void this.deps.runner.runRound(timed(this.pick(all, plan.targetsPerRound)), via).then((results) =>
        this.deps.onRound({
          profile: plan.profile,
          sentAt,
          results: results.map(toEngine),
        }),
      );
      return;
    }
    const s = this.ensureStreams(plan, facts.iface, all);
    const index = ++s.round;
    // Answers for rounds that never complete (every ping gone) are dropped.
    for (const k of s.otherResults.keys()) if (k < index - 20) s.otherResults.delete(k);
    for (const k of s.othersDue) if (k < index - 20) s.othersDue.delete(k);
    const every = Math.max(1, Math.round(OTHERS_EVERY_MS / plan.intervalMs));
    if (s.others.length > 0 && (index - 1) % every === 0) {
      s.othersDue.add(index);
      void this.deps.runner.runRound(timed(s.others), via).then((results) => {
        if (this.streams === s) s.otherResults.set(index, results.map(toEngine));
      });
    }
  }

  private ensureStreams(plan: ProbePlan, iface: string, all: ProbeTarget[]): Streams {
    const icmp = all.filter((t) => t.kind === "icmp");
    const key = JSON.stringify([plan, iface, all]);
    const current = this.streams;
    if (current?.key === key && !(current.exited && Date.now() - current.startedAt > 1000)) return current;
    this.stopStreams();
    const keys = icmp.map(probeKey);
    const assembler = new RoundAssembler(keys, plan.intervalMs, plan.timeoutMs, Date.now());
    const others = all.filter((t) => t.kind !== "icmp");
    const s: Streams = {
      key,
      assembler,
      pings: [],
      others,
      otherResults: new Map(),
      othersDue: new Set(),
      pending: [],
      round: 0,
      handed: 0,
      startedAt: Date.now(),
      exited: false,
    };
    s.pings = icmp.map((t, i) => {
      const target = keys[i] as string;
      return startPingStream(this.deps.pingPath, iface, t.target, plan.intervalMs, {
        reply: (seq, rtt, at) => assembler.reply(target, seq, rtt, at),
        noAnswer: (seq, at) => assembler.noAnswer(target, seq, at),
        exited: () => {
          assembler.exited(target);
          s.exited = true;
        },
      });
    });
    this.streams = s;
    return s;
  }

  private stopStreams(): void {
    for (const p of this.streams?.pings ?? []) p.stop();
    this.streams = null;
  }

  // Sparse rounds rotate through the targets.
  private pick(all: ProbeTarget[], perRound: number | "all"): ProbeTarget[] {
    if (perRound === "all" || perRound >= all.length) return all;
    const out: ProbeTarget[] = [];
    for (let i = 0; i < perRound; i++) {
      const t = all[(this.rotation + i) % all.length];
      if (t) out.push(t);
    }
    this.rotation = (this.rotation + perRound) % Math.max(1, all.length);
    return out;
  }
}
