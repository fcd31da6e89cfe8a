import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { icmpProber } from "../../../src/adapters/probe/icmp.ts";
import { skipNetTests } from "../netns.ts";
import { type ProbeLab, probeLab, RED, STANDBY, TARGETS } from "./topology.ts";

describe.skipIf(skipNetTests())("ICMP probe through RED (network namespaces)", () => {
  let net: ProbeLab;
  let ping: ReturnType<typeof icmpProber>;
  const via = { iface: RED.iface, localAddress: RED.localAddress };

  beforeAll(async () => {
    net = await probeLab();
    ping = icmpProber({ wrap: net.lab.wrap(net.fw) });
  });
  afterAll(() => net?.lab.cleanup());

  test("healthy targets answer with an RTT", async () => {
    const results = await Promise.all(
      [TARGETS.a, TARGETS.b, RED.gateway].map((target) =>
        ping({ kind: "icmp", target }, via, { timeoutMs: 1000 }),
      ),
    );
    for (const r of results) {
      expect(r).toMatchObject({ kind: "icmp", ok: true });
      expect(r.rttMs).toBeGreaterThan(0);
      expect(r.rttMs).toBeLessThan(1000);
    }
  });

  test("a ping out of the standby uplink, which holds the default route, gets no answer", async () => {
    const r = await ping(
      { kind: "icmp", target: TARGETS.a },
      { iface: STANDBY.iface, localAddress: null },
      {
        timeoutMs: 400,
      },
    );
    expect(r).toMatchObject({ ok: false, fault: "timeout" });
  });

  test("a black-holed target fails within its timeout", async () => {
    const started = performance.now();
    const r = await ping({ kind: "icmp", target: TARGETS.hole }, via, {
      timeoutMs: 400,
    });
    const elapsed = performance.now() - started;
    expect(r).toMatchObject({
      ok: false,
      fault: "timeout",
      error: "no reply within 400 ms",
    });
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(900); // the timeout plus process start-up, not ping's 10 s default
  });

  test("a missing interface fails fast with a clear error", async () => {
    const started = performance.now();
    const r = await ping(
      { kind: "icmp", target: TARGETS.a },
      { iface: "nosuch0", localAddress: null },
      { timeoutMs: 2000 },
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(r.ok).toBe(false);
    expect(r.fault).toBe("local");
    expect(r.error).toStartWith("interface nosuch0 does not exist");
  });

  test("bad input and a missing ping are refused before anything runs", async () => {
    const bad = await ping({ kind: "icmp", target: "-f" }, via, {
      timeoutMs: 500,
    });
    expect(bad).toMatchObject({ ok: false, fault: "local" });
    const dash = await ping(
      { kind: "icmp", target: TARGETS.a },
      { iface: "-h", localAddress: null },
      { timeoutMs: 500 },
    );
    expect(dash).toMatchObject({ ok: false, fault: "local" });
    const noPing = icmpProber({ pingPath: "/nonexistent/ping" });
    expect(
      await noPing({ kind: "icmp", target: TARGETS.a }, via, {
        timeoutMs: 500,
      }),
    ).toMatchObject({
      ok: false,
      fault: "local",
      error: "/nonexistent/ping not found or not executable",
    });
  });

  test("a hung ping is killed at timeout + slack", async () => {
    // A shell that ignores its arguments (the ping argv) stands in for a ping that never returns.
    const hung = icmpProber({
      wrap: ["sh", "-c", "exec sleep 5", "--"],
      slackMs: 200,
    });
    const started = performance.now();
    const r = await hung({ kind: "icmp", target: TARGETS.a }, via, {
      timeoutMs: 300,
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r).toMatchObject({ ok: false, fault: "timeout" });
  });

  test("RED administratively down fails fast as unreachable", async () => {
    await net.lab.ip(net.fw, "link", "set", RED.iface, "down");
    try {
      const started = performance.now();
      const r = await ping({ kind: "icmp", target: TARGETS.a }, via, {
        timeoutMs: 2000,
      });
      expect(performance.now() - started).toBeLessThan(500);
      expect(r).toMatchObject({ ok: false, fault: "unreachable" });
      expect(r.error).toEndWith("connect: Network is unreachable");
    } finally {
      await net.lab.ip(net.fw, "link", "set", RED.iface, "up");
    }
  });
});
