// Runs the probe rounds the engine asks for (State.probe): one round every
// intervalMs, to all of the profile's targets or to a rotating few, through
// RED's interface and address as they are at the time of the round.

import type { ProbePlan } from "../core/engine/types.ts";
import type { ProbeResult as EngineResult } from "../core/health/round.ts";
import type { RoundRunner } from "../adapters/probe/round.ts";
import { roundTargets, type TargetPlan } from "../adapters/probe/targets.ts";
import {
  type LinkFacts,
  type ProbeTarget,
  probeKey,
} from "../adapters/probe/types.ts";

export interface RoundReport {
  profile: string;
  sentAt: number;
  results: EngineResult[];
}

export interface ProbeSchedulerDeps {
  runner: RoundRunner;
  facts(): LinkFacts | null; // the latest facts the daemon read
  targets(profile: string): TargetPlan;
  onRound(report: RoundReport): void;
}

export class ProbeScheduler {
  private plan: ProbePlan | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private rotation = 0;

  constructor(private readonly deps: ProbeSchedulerDeps) {}

  // Called after every engine decision; restarts the cadence only when the
  // plan really changed, so rounds keep their spacing.
  update(plan: ProbePlan | null): void {
    const same =
      plan !== null &&
      this.plan !== null &&
      plan.profile === this.plan.profile &&
      plan.intervalMs === this.plan.intervalMs &&
      plan.targetsPerRound === this.plan.targetsPerRound &&
      plan.timeoutMs === this.plan.timeoutMs;
    if (same) return;
    this.plan = plan;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (plan) this.round();
  }

  stop(): void {
    this.update(null);
  }

  private round(): void {
    const plan = this.plan;
    if (!plan) return;
    this.timer = setTimeout(() => this.round(), plan.intervalMs);
    const facts = this.deps.facts();
    if (!facts?.iface) return; // the link facts already tell the engine
    const all = roundTargets(this.deps.targets(plan.profile), facts);
    const chosen = this.pick(all, plan.targetsPerRound);
    const sentAt = Date.now();
    const timed = chosen.map((t) => ({ ...t, timeoutMs: plan.timeoutMs }));
    void this.deps.runner
      .runRound(timed, { iface: facts.iface, localAddress: facts.localAddress })
      .then((results) =>
        this.deps.onRound({
          profile: plan.profile,
          sentAt,
          results: results.map((r) => ({
            target: probeKey(r),
            rttMs: r.ok ? (r.rttMs ?? 0) : null,
          })),
        }),
      );
  }

  // Sparse rounds (a healthy metered link) rotate through the targets.
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
