// Runs one real probe, or one link-facts read, in the namespace it is started
// in, and prints the result as JSON. Sockets (the DNS probe) and sysfs cannot
// be moved into a namespace from the test process, so tests start this with
// `ip netns exec <ns> bun in-netns.ts '<request>'`.

import { readLinkFacts } from "../../../src/adapters/probe/link.ts";
import { type SystemProberOptions, systemProber } from "../../../src/adapters/probe/prober.ts";
import type { ProbeTarget, Via } from "../../../src/adapters/probe/types.ts";

export type InNetnsRequest =
  | {
      op: "probe";
      target: ProbeTarget;
      via: Via;
      timeoutMs: number;
      options?: SystemProberOptions;
    }
  | { op: "link"; root: string };

const request = JSON.parse(process.argv[2] ?? "null") as InNetnsRequest;
if (request.op === "probe") {
  const started = performance.now();
  const result = await systemProber(request.options).probe(request.target, request.via, {
    timeoutMs: request.timeoutMs,
  });
  console.log(JSON.stringify({ result, elapsedMs: performance.now() - started }));
} else {
  console.log(JSON.stringify(await readLinkFacts(request.root)));
}
