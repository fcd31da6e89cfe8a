// TEST CODE: a LAN client that samples continuously (lan-client.ts watch),
// and what its samples say about an outage.

import type { Subprocess } from "bun";

export interface Sample {
  t: number;
  icmp: boolean;
  dns: boolean;
  http: boolean;
}

export const sampleOk = (s: Sample) => s.icmp && s.dns && s.http;

export class LanWatch {
  readonly samples: Sample[] = [];
  private readonly proc: Subprocess<"ignore", "pipe", "ignore">;
  private readonly reading: Promise<void>;

  constructor(argv: string[]) {
    this.proc = Bun.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "ignore" });
    this.reading = this.read();
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of this.proc.stdout) {
      buffered += decoder.decode(chunk, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        try {
          this.samples.push(JSON.parse(line) as Sample);
        } catch {
          // a torn line at exit
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.proc.kill("SIGKILL");
    await this.proc.exited;
    await this.reading;
  }

  // Samples taken in [from, to).
  between(from: number, to = Number.POSITIVE_INFINITY): Sample[] {
    return this.samples.filter((s) => s.t >= from && s.t < to).sort((a, b) => a.t - b.t);
  }

  // When traffic flowed again after `from`: the first sample of a run of
  // `steady` good samples that lasts to the end of what was sampled, so a
  // short blip of service during a switch does not count as recovery.
  // undefined while the LAN is still out.
  recoveredAt(from: number, steady = 4): number | undefined {
    const s = this.between(from);
    let runStart: number | undefined;
    let run = 0;
    for (const x of s) {
      if (sampleOk(x)) {
        if (run === 0) runStart = x.t;
        run++;
      } else {
        run = 0;
        runStart = undefined;
      }
    }
    return run >= steady ? runStart : undefined;
  }

  // Samples in [from, to) in which something failed.
  failures(from: number, to?: number): Sample[] {
    return this.between(from, to).filter((x) => !sampleOk(x));
  }

  // Has any sample been taken since `t`? (The client answers within ~1 s.)
  async sampledSince(t: number, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.samples.some((x) => x.t >= t)) {
      if (Date.now() > until) throw new Error("the LAN client took no samples");
      await Bun.sleep(50);
    }
  }
}
