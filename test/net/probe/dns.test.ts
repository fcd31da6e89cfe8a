import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { ProbeResult, Via } from "../../../src/adapters/probe/types.ts";
import { skipNetTests } from "../netns.ts";
import { inNetns, type ProbeLab, probeLab, RED, STANDBY, TARGETS, waitForListener } from "./topology.ts";

type Answer = { result: ProbeResult; elapsedMs: number };

describe.skipIf(skipNetTests())("DNS probe through RED (network namespaces, dnsmasq)", () => {
  let net: ProbeLab;
  const via: Via = { iface: RED.iface, localAddress: RED.localAddress };

  beforeAll(async () => {
    net = await probeLab();
    // A resolver on the "Internet" side: it answers probe.test itself and
    // NXDOMAIN for everything else (no upstream). It also listens on the
    // black-holed address, so only the path, not the server, is missing there.
    net.lab.spawn(net.inet, [
      "dnsmasq",
      "--keep-in-foreground",
      "--conf-file=/dev/null",
      "--pid-file=",
      "--user=root",
      "--no-resolv",
      "--no-hosts",
      "--bind-interfaces",
      `--listen-address=${TARGETS.a},${TARGETS.hole}`,
      "--address=/probe.test/192.0.2.53",
    ]);
    await waitForListener(net.lab, net.inet, "udp", 53);
  });
  afterAll(() => net?.lab.cleanup());

  const probe = (target: string, timeoutMs: number, queryName = "probe.test", v = via) =>
    inNetns<Answer>(net.lab, net.fw, {
      op: "probe",
      target: { kind: "dns", target },
      via: v,
      timeoutMs,
      options: { dns: { queryName } },
    });

  test("a resolver reached through RED answers with an RTT", async () => {
    const { result } = await probe(TARGETS.a, 1000);
    expect(result).toMatchObject({
      kind: "dns",
      target: TARGETS.a,
      ok: true,
    });
    expect(result.rttMs).toBeGreaterThan(0);
    expect(result.rttMs).toBeLessThan(1000);
  });

  // bun calls a failed connect's callback as if it had connected; the send
  // that followed threw there, uncaught, and would have ended the daemon.
  test("a resolver no route leads to from the address fails the probe, never the process", async () => {
    const { result } = await probe(TARGETS.a, 400, "probe.test", { iface: "lo", localAddress: "127.0.0.1" });
    expect(result).toMatchObject({ ok: false, fault: "unreachable" });
    expect(result.error).toContain("no route from 127.0.0.1");
  });

  test("a query from the standby uplink's address, which the default route takes, gets no answer", async () => {
    const { result } = await probe(TARGETS.a, 400, "probe.test", {
      iface: STANDBY.iface,
      localAddress: STANDBY.localAddress,
    });
    expect(result).toMatchObject({ ok: false, fault: "timeout" });
  });

  test("NXDOMAIN still proves the path", async () => {
    const { result } = await probe(TARGETS.a, 1000, "no-such-name.invalid");
    expect(result.ok).toBe(true);
  });

  test("a black-holed resolver fails within its timeout", async () => {
    const { result, elapsedMs } = await probe(TARGETS.hole, 400);
    expect(result).toMatchObject({
      ok: false,
      fault: "timeout",
      error: "no DNS reply within 400 ms",
    });
    expect(elapsedMs).toBeGreaterThanOrEqual(390);
    expect(elapsedMs).toBeLessThan(600);
  });

  test("no server on the address fails fast (ICMP port unreachable)", async () => {
    const { result, elapsedMs } = await probe(TARGETS.b, 2000);
    expect(result).toMatchObject({ ok: false, fault: "unreachable" });
    expect(elapsedMs).toBeLessThan(500);
  });

  test("an address RED does not have, or none at all, is a local fault", async () => {
    const wrong = await probe(TARGETS.a, 1000, "probe.test", {
      iface: RED.iface,
      localAddress: "10.9.9.9",
    });
    expect(wrong.result).toMatchObject({
      ok: false,
      fault: "local",
      error: "10.9.9.9 is not an address of this host",
    });
    const none = await probe(TARGETS.a, 1000, "probe.test", {
      iface: RED.iface,
      localAddress: null,
    });
    expect(none.result).toMatchObject({
      ok: false,
      fault: "local",
      error: "red0 has no local address",
    });
  });

  test("a missing interface, which has no address, is a local fault", async () => {
    const { result, elapsedMs } = await probe(TARGETS.a, 2000, "probe.test", {
      iface: "nosuch0",
      localAddress: null,
    });
    expect(result).toMatchObject({ ok: false, fault: "local", error: "nosuch0 has no local address" });
    expect(elapsedMs).toBeLessThan(100); // refused before a socket is opened
  });
});
