// Runs the probe rounds the engine asks for (State.probe) through RED's
// interface and address as they are at the time.
//
// Used for RED, and for each side path (side-watch.ts) through its NIC.
//
// Fast rounds (every target, every few hundred ms) ping each ICMP target
// through one long-running ping and assemble rounds from their replies; DNS
// and HTTP targets are probed per round alongside. Sparse rounds (a healthy
// metered link: one target every 10 s) start one probe per round, rotating
// through the targets.

import { sameProbePlan } from "../core/engine/probe.ts";
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
  // Where probes leave: the latest facts the daemon read of RED, or a side
  // path's; null or no iface: no probe is sent.
  facts(): Pick<LinkFacts, "iface" | "localAddress" | "gateway"> | null;
  targets(profile: string): TargetPlan;
  onRound(report: RoundReport): void;
  // Why the pings cannot run at all (missing or failing binary), and null
  // once one answers again.
  onProbeProblem(problem: string | null): void;
  startStream?: typeof startPingStream; // startPingStream; a twin in unit tests
}

// Longest interval still served by long-running pings (a side watch's 2 s
// rounds too: a ping process per probe cost 0.6 % of a core there).
const STREAM_MAX_INTERVAL_MS = 2000;
// DNS and HTTP probes join a fast round at most once a second: each costs a
// socket or a curl process, and ICMP carries the fast detection anyway.
const OTHERS_EVERY_MS = 1000;

const toEngine = (r: ProbeResult): EngineResult => ({
  target: probeKey(r),
  rttMs: r.ok ? (r.rttMs ?? 0) : null,
});

// A DNS/HTTP probe batch, joined to the fast round sent closest in time.
interface Batch {
  sentAt: number;
  results: EngineResult[] | null; // null while the probes run
}

interface Streams {
  plan: ProbePlan; // the plan they were started for
  key: string; // interface and targets (with their timeouts)
  assembler: RoundAssembler;
  pings: PingStream[];
  others: ProbeTarget[];
  batches: Batch[];
  lastBatchAt: number;
  pending: AssembledRound[];
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
    if (plan && this.plan && (plan === this.plan || sameProbePlan(plan, this.plan))) return;
    this.plan = plan;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopStreams();
    if (plan) this.round();
  }

  // Called on every daemon tick: hands finished fast rounds to the engine.
  // Rounds are counted by ping's sequence numbers and batches by mwan's
  // timer, which drift apart, so a batch joins by send time: the first round
  // handed out that was sent no earlier than about when the batch was.
  tick(now: number): void {
    const s = this.streams;
    const plan = this.plan;
    if (!s || !plan) return;
    s.pending.push(...s.assembler.finished(now));
    const near = plan.intervalMs / 2;
    while (s.pending.length > 0) {
      const round = s.pending[0] as AssembledRound;
      const batch =
        s.batches[0] !== undefined && s.batches[0].sentAt <= round.sentAt + near ? s.batches[0] : undefined;
      if (batch && batch.results === null) return; // its DNS/HTTP answers are still due
      s.pending.shift();
      if (batch) s.batches.shift();
      this.deps.onRound({
        profile: plan.profile,
        sentAt: round.sentAt,
        results: [...round.results, ...(batch?.results ?? [])],
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
    const now = Date.now();
    if (s.others.length === 0 || now - s.lastBatchAt < OTHERS_EVERY_MS - plan.intervalMs / 2) return;
    const batch: Batch = { sentAt: now, results: null };
    s.lastBatchAt = now;
    // With every ping gone no round takes batches: keep only the latest few.
    s.batches = [...s.batches.slice(-3), batch];
    void this.deps.runner.runRound(timed(s.others), via).then((results) => {
      batch.results = results.map(toEngine);
    });
  }

  private ensureStreams(plan: ProbePlan, iface: string, all: ProbeTarget[]): Streams {
    const start = this.deps.startStream ?? startPingStream;
    const icmp = all.filter((t) => t.kind === "icmp");
    // Plans are kept by identity while unchanged (core/engine/probe.ts).
    const key = `${iface} ${all.map((t) => `${t.kind}:${t.target}:${t.timeoutMs ?? ""}`).join(" ")}`;
    const current = this.streams;
    if (
      current?.plan === plan &&
      current.key === key &&
      !(current.exited && Date.now() - current.startedAt > 1000)
    )
      return current;
    this.stopStreams();
    const keys = icmp.map(probeKey);
    const assembler = new RoundAssembler(keys, plan.intervalMs, plan.timeoutMs, Date.now());
    const others = all.filter((t) => t.kind !== "icmp");
    const s: Streams = {
      plan,
      key,
      assembler,
      pings: [],
      others,
      batches: [],
      lastBatchAt: 0,
      pending: [],
      startedAt: Date.now(),
      exited: false,
    };
    s.pings = icmp.map((t, i) => {
      const target = keys[i] as string;
      return start(this.deps.pingPath, iface, t.target, plan.intervalMs, {
        reply: (seq, rtt, at) => {
          this.deps.onProbeProblem(null);
          assembler.reply(target, seq, rtt, at);
        },
        noAnswer: (seq, at) => {
          this.deps.onProbeProblem(null); // ping runs: a lost echo is the line's
          assembler.noAnswer(target, seq, at);
        },
        exited: (_code, failure) => {
          if (failure !== undefined) this.deps.onProbeProblem(failure);
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
