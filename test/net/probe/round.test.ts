import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { FakeProber } from "../../../src/adapters/probe/fake.ts";
import { systemProber } from "../../../src/adapters/probe/prober.ts";
import { RoundRunner } from "../../../src/adapters/probe/round.ts";
import type { ProbeTarget, Via } from "../../../src/adapters/probe/types.ts";
import { skipNetTests } from "../netns.ts";
import { type ProbeLab, probeLab, RED, TARGETS } from "./topology.ts";

const via: Via = { iface: RED.iface, localAddress: RED.localAddress };
const icmp = (target: string, timeoutMs?: number): ProbeTarget => ({
  kind: "icmp",
  target,
  timeoutMs,
});

// Child processes of this test process, from /proc: "no ping left behind".
function children(): string[] {
  return readdirSync(`/proc/${process.pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${process.pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean),
  );
}

describe("round runner (fake prober)", () => {
  test("probes all targets at once, each with its own timeout", async () => {
    const fake = new FakeProber()
      .set(icmp("a"), { ok: true, rttMs: 5, delayMs: 100 })
      .set(icmp("b"), { ok: true, rttMs: 7, delayMs: 100 })
      .set(icmp("c"), { ok: true, delayMs: 500 });
    const runner = new RoundRunner(fake, { defaultTimeoutMs: 1000 });
    const started = performance.now();
    const results = await runner.runRound([icmp("a"), icmp("b"), icmp("c", 200)], via);
    const elapsed = performance.now() - started;

    expect(elapsed).toBeLessThan(300); // concurrent: ~200 ms, not 100 + 100 + 200
    expect(results.map((r) => [r.target, r.ok, r.rttMs ?? r.fault])).toEqual([
      ["a", true, 5],
      ["b", true, 7],
      ["c", false, "timeout"],
    ]);
    expect(fake.calls.map((c) => c.timeoutMs)).toEqual([1000, 1000, 200]);
    expect(fake.calls.every((c) => c.via === via)).toBe(true);
  });

  test("a target still in flight is skipped, not probed twice", async () => {
    const fake = new FakeProber().set(icmp("slow"), { ok: true, delayMs: 300 });
    const runner = new RoundRunner(fake);
    const first = runner.runRound([icmp("slow"), icmp("fast")], via);
    await Bun.sleep(100);
    expect(runner.busy()).toEqual(["icmp:slow"]);

    const second = await runner.runRound([icmp("slow"), icmp("fast")], via);
    expect(second.map((r) => [r.target, r.ok, r.fault])).toEqual([
      ["slow", false, "in-flight"],
      ["fast", true, undefined],
    ]);
    expect((await first).map((r) => r.ok)).toEqual([true, true]);
    expect(fake.calls.filter((c) => c.target.target === "slow")).toHaveLength(1);

    // Once it has finished, the next round probes it again.
    await runner.runRound([icmp("slow")], via);
    expect(fake.calls.filter((c) => c.target.target === "slow")).toHaveLength(2);
  });

  test("a prober that overruns its timeout does not hold up the round", async () => {
    const fake = new FakeProber().set(icmp("stuck"), { hang: true });
    const runner = new RoundRunner(fake, {
      defaultTimeoutMs: 100,
      graceMs: 50,
    });
    const started = performance.now();
    const [r] = await runner.runRound([icmp("stuck")], via);
    expect(performance.now() - started).toBeLessThan(250);
    expect(r).toMatchObject({ ok: false, fault: "timeout" });
    // Still running, so still blocking a second probe of the same target.
    expect(runner.busy()).toEqual(["icmp:stuck"]);
    expect((await runner.runRound([icmp("stuck")], via))[0]?.fault).toBe("in-flight");

    await runner.close(); // aborts it
    expect(runner.busy()).toEqual([]);
  });

  test("a throwing prober becomes a failed result", async () => {
    const runner = new RoundRunner({
      probe: () => Promise.reject(new Error("boom")),
    });
    expect(await runner.runRound([icmp("x")], via)).toMatchObject([
      { ok: false, fault: "error", error: "boom" },
    ]);
  });
});

describe.skipIf(skipNetTests())("round runner with real pings (network namespaces)", () => {
  let net: ProbeLab;
  beforeAll(async () => {
    net = await probeLab();
  });
  afterAll(() => net?.lab.cleanup());

  test("a slow target with timeout > interval never piles up", async () => {
    const runner = new RoundRunner(systemProber({ icmp: { wrap: net.lab.wrap(net.fw) } }), {
      defaultTimeoutMs: 1000,
    });
    const targets = [icmp(TARGETS.a), icmp(TARGETS.b), icmp(TARGETS.hole, 1200)];
    const intervalMs = 200;

    // Four rounds, one every 200 ms, none awaited before the next: the daemon's loop.
    const rounds = [];
    for (let i = 0; i < 4; i++) {
      rounds.push(runner.runRound(targets, via));
      await Bun.sleep(intervalMs);
    }
    const results = await Promise.all(rounds);

    const hole = results.map((r) => r[2]?.fault);
    expect(hole).toEqual(["timeout", "in-flight", "in-flight", "in-flight"]);
    for (const r of results) expect(r.slice(0, 2).every((x) => x.ok)).toBe(true);

    await runner.close();
    expect(children()).toEqual([]);
  });

  test("close() kills running pings", async () => {
    const runner = new RoundRunner(systemProber({ icmp: { wrap: net.lab.wrap(net.fw) } }));
    const round = runner.runRound([icmp(TARGETS.hole, 5000)], via);
    await Bun.sleep(100);
    expect(children().length).toBe(1);
    const started = performance.now();
    await runner.close();
    expect(performance.now() - started).toBeLessThan(300);
    expect(await round).toMatchObject([{ ok: false, fault: "error" }]);
    expect(children()).toEqual([]);
  });
});
