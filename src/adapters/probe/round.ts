import { type Prober, type ProbeResult, type ProbeTarget, probeKey, type Via } from "./types.ts";

export type RoundRunnerOptions = {
  // Used for targets without their own timeoutMs.
  defaultTimeoutMs?: number;
  // How long past a probe's timeout the round waits before reporting it as
  // timed out on its own; covers process start-up and a prober that overruns.
  graceMs?: number;
  now?: () => number;
};

// Probes every target of a round at once and answers within the slowest
// target's timeout (plus grace), whatever the probes do.
//
// Rounds may overlap: the daemon starts one per interval without waiting for
// the last. A target whose previous probe is still running is not probed
// again; it is reported as "in-flight" (a failure: the target is slower than
// the interval). So a black hole costs at most one process or socket per
// target, never one per round.
export class RoundRunner {
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();
  private readonly defaultTimeoutMs: number;
  private readonly graceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly prober: Prober,
    opts: RoundRunnerOptions = {},
  ) {
    this.defaultTimeoutMs = opts.defaultTimeoutMs ?? 2000;
    this.graceMs = opts.graceMs ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  runRound(targets: readonly ProbeTarget[], via: Via): Promise<ProbeResult[]> {
    return Promise.all(targets.map((t) => this.one(t, via)));
  }

  // Keys ("icmp:1.1.1.1") of probes that have not finished yet.
  busy(): string[] {
    return [...this.inFlight];
  }

  // Daemon shutdown: kill what is running and wait until it is gone. A closed
  // runner answers every later probe at once with an "aborted" failure.
  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.running]);
  }

  private one(target: ProbeTarget, via: Via): Promise<ProbeResult> {
    const key = probeKey(target);
    const base = { kind: target.kind, target: target.target, ok: false };
    if (this.inFlight.has(key)) {
      return Promise.resolve({
        ...base,
        fault: "in-flight",
        error: "previous probe still running",
        at: this.now(),
      });
    }
    const at = this.now();
    const timeoutMs = target.timeoutMs ?? this.defaultTimeoutMs;
    this.inFlight.add(key);
    const probe = this.prober
      .probe(target, via, { timeoutMs, signal: this.stopping.signal })
      .catch((e: unknown): ProbeResult => ({
        ...base,
        fault: "error",
        error: e instanceof Error ? e.message : String(e),
        at,
      }))
      .finally(() => {
        this.inFlight.delete(key);
        this.running.delete(probe);
      });
    this.running.add(probe);

    // The probe stays in `inFlight` until it really ends; only the round's
    // answer is cut short here.
    let timer: Timer | undefined;
    const overrun = new Promise<ProbeResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            ...base,
            fault: "timeout",
            error: `probe still running ${timeoutMs + this.graceMs} ms after it started`,
            at,
          }),
        timeoutMs + this.graceMs,
      );
    });
    return Promise.race([probe, overrun]).finally(() => clearTimeout(timer));
  }
}
