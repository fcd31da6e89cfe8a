import {
  type Prober,
  type ProbeOptions,
  type ProbeResult,
  type ProbeTarget,
  probeKey,
  type Via,
} from "./types.ts";

// What the fake answers for one target. `delayMs` (default 0) is how long the
// answer takes; a delay beyond the probe's timeout yields a timeout at the
// timeout, like the real probers. `hang` ignores the timeout altogether (a
// misbehaving prober), ending only on abort.
export type FakeOutcome =
  | { ok: true; rttMs?: number; delayMs?: number }
  | {
      ok: false;
      fault: NonNullable<ProbeResult["fault"]>;
      error?: string;
      delayMs?: number;
    }
  | { hang: true };

export type FakeCall = { target: ProbeTarget; via: Via; timeoutMs: number };

// In-memory twin of the real prober for tests of whoever drives probes. Targets
// without a scripted outcome answer ok with a 10 ms RTT.
export class FakeProber implements Prober {
  readonly calls: FakeCall[] = [];
  private readonly outcomes = new Map<string, FakeOutcome>();

  constructor(private readonly now: () => number = Date.now) {}

  set(target: Pick<ProbeTarget, "kind" | "target">, outcome: FakeOutcome): this {
    this.outcomes.set(probeKey(target), outcome);
    return this;
  }

  probe(target: ProbeTarget, via: Via, { timeoutMs, signal }: ProbeOptions): Promise<ProbeResult> {
    this.calls.push({ target, via, timeoutMs });
    const at = this.now();
    const base = { kind: target.kind, target: target.target, at };
    const outcome = this.outcomes.get(probeKey(target)) ?? {
      ok: true,
      rttMs: 10,
    };

    // What the fake answers and when; a hang answers only to abort.
    const reply = "hang" in outcome ? null : scheduled(outcome, base, timeoutMs);

    return new Promise((resolve) => {
      const aborted = {
        ...base,
        ok: false,
        fault: "error" as const,
        error: "aborted",
      };
      if (signal?.aborted) return resolve(aborted);
      const finish = (r: ProbeResult) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(r);
      };
      const onAbort = () => finish(aborted);
      const timer = reply ? setTimeout(() => finish(reply.answer), reply.delayMs) : undefined;
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

function scheduled(
  { delayMs = 0, ...rest }: Exclude<FakeOutcome, { hang: true }>,
  base: Pick<ProbeResult, "kind" | "target" | "at">,
  timeoutMs: number,
): { answer: ProbeResult; delayMs: number } {
  return delayMs > timeoutMs
    ? {
        answer: {
          ...base,
          ok: false,
          fault: "timeout",
          error: `no reply within ${timeoutMs} ms`,
        },
        delayMs: timeoutMs,
      }
    : { answer: { ...base, ...rest }, delayMs };
}
