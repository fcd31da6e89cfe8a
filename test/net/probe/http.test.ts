import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { httpProber } from "../../../src/adapters/probe/http.ts";
import { skipNetTests } from "../netns.ts";
import { type ProbeLab, probeLab, RED, TARGETS, waitForListener } from "./topology.ts";

describe.skipIf(skipNetTests())("HTTP probe through RED (network namespaces, curl)", () => {
  let net: ProbeLab;
  let http: ReturnType<typeof httpProber>;
  const via = { iface: RED.iface, localAddress: RED.localAddress };

  beforeAll(async () => {
    net = await probeLab();
    http = httpProber({ wrap: net.lab.wrap(net.fw) });
    // A web server on the "Internet" side: 204 at /, 404 elsewhere.
    net.lab.spawn(net.inet, [
      process.execPath,
      "-e",
      `Bun.serve({ hostname: "0.0.0.0", port: 80, fetch: (r) => new Response(null, { status: new URL(r.url).pathname === "/" ? 204 : 404 }) })`,
    ]);
    await waitForListener(net.lab, net.inet, "tcp", 80);
  });
  afterAll(() => net?.lab.cleanup());

  test("any HTTP status proves the path", async () => {
    for (const url of [`http://${TARGETS.a}/`, `http://${TARGETS.a}/missing`]) {
      const r = await http({ kind: "http", target: url }, via, {
        timeoutMs: 2000,
      });
      expect(r).toMatchObject({ kind: "http", target: url, ok: true });
      expect(r.rttMs).toBeGreaterThan(0);
    }
  });

  test("a black-holed server fails within its timeout", async () => {
    const started = performance.now();
    const r = await http({ kind: "http", target: `http://${TARGETS.hole}/` }, via, { timeoutMs: 500 });
    expect(r).toMatchObject({ ok: false, fault: "timeout" });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test("a refused connection is unreachable, fast", async () => {
    const started = performance.now();
    const r = await http({ kind: "http", target: `http://${TARGETS.b}:81/` }, via, { timeoutMs: 2000 });
    expect(r).toMatchObject({ ok: false, fault: "unreachable" });
    expect(performance.now() - started).toBeLessThan(500);
  });

  test("a missing interface, a bad URL and a missing curl are local faults", async () => {
    const target = { kind: "http" as const, target: `http://${TARGETS.a}/` };
    const noIface = await http(target, { iface: "nosuch0", localAddress: null }, { timeoutMs: 1000 });
    expect(noIface).toMatchObject({ ok: false, fault: "local" });
    expect(noIface.error).toStartWith("cannot bind to interface nosuch0");
    expect(
      await http({ kind: "http", target: "-K/etc/passwd" }, via, {
        timeoutMs: 1000,
      }),
    ).toMatchObject({
      ok: false,
      fault: "local",
    });
    const noCurl = httpProber({ curlPath: "/nonexistent/curl" });
    expect(await noCurl(target, via, { timeoutMs: 1000 })).toMatchObject({
      ok: false,
      fault: "local",
      error: "/nonexistent/curl not found or not executable: the HTTP probe needs curl",
    });
  });
});
