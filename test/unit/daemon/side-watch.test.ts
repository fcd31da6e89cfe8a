// The side watch's shell: it follows the engine's side plan with one link per
// planned profile, runs their rounds, and turns everything into sideStatus /
// sideRound events; failures become "unavailable", never exceptions. With
// in-memory twins of the side link, the prober and ping's streams under the
// daemon's own probe scheduler, on short real timers.

import { describe, expect, test } from "bun:test";
import type { Event, SidePlan } from "../../../src/core/engine/types.ts";
import { FakeProber } from "../../../src/adapters/probe/fake.ts";
import { RoundRunner } from "../../../src/adapters/probe/round.ts";
import type { SideLink } from "../../../src/adapters/side/types.ts";
import { ProbeScheduler } from "../../../src/daemon/probing.ts";
import { DISCOVERY_TARGET, SideWatcher, type SideWatchDeps } from "../../../src/daemon/side-watch.ts";
import { PingStreamsTwin } from "./ping-stream-twin.ts";
import { SideLinkTwin } from "./side-link-twin.ts";

const plan = (profile: string, over: Partial<SidePlan> = {}): SidePlan => ({
  profile,
  mode: "probes",
  intervalMs: 40,
  timeoutMs: 500,
  ...over,
});

function rig(over: Partial<SideWatchDeps> = {}) {
  const events: Event[] = [];
  const logs: string[] = [];
  const links = new Map<string, SideLinkTwin>();
  const prober = new FakeProber();
  const pings = new PingStreamsTwin();
  const nics: Record<string, { ifname: string; up: boolean }> = {
    isp1: { ifname: "red0", up: true },
    isp2: { ifname: "eth1", up: true },
    dsl: { ifname: "eth2", up: true },
  };
  const deps: SideWatchDeps = {
    nicOf: (name) => {
      const n = nics[name];
      return n ? { ifname: n.ifname } : { missing: `no NIC found for ${name}` };
    },
    nicUp: (ifname) => Object.values(nics).some((n) => n.ifname === ifname && n.up),
    open: (name, ifname): SideLink => {
      const twin = new SideLinkTwin(name, name === "dsl" ? "discovery" : "probes", ifname);
      links.set(name, twin);
      return twin;
    },
    probes: (_name, via, onRound) => {
      const runner = new RoundRunner(prober, { graceMs: 100 });
      const s = new ProbeScheduler({
        runner,
        pingPath: "/bin/ping",
        facts: via,
        targets: () => ({ icmp: ["9.9.9.9"], dns: ["9.9.9.10"], gateway: true }),
        onRound,
        onProbeProblem: () => undefined,
        startStream: pings.start,
      });
      return {
        update: (p) => s.update(p),
        tick: (now) => s.tick(now),
        close: async () => {
          s.stop();
          await runner.close();
        },
      };
    },
    report: (e) => events.push(e),
    log: {
      info: (m) => logs.push(`info ${m}`),
      warn: (m) => logs.push(`warn ${m}`),
      debug: (m) => logs.push(`debug ${m}`),
    },
    ...over,
  };
  const watcher = new SideWatcher(deps);
  // The daemon's tick, which hands out the rounds the pings assembled.
  setInterval(() => watcher.tick(Date.now()), 10).unref();
  const of = <T extends Event["type"]>(type: T) =>
    events.filter((e): e is Extract<Event, { type: T }> => e.type === type);
  return { watcher, events, logs, links, prober, pings, nics, of };
}

const settle = () => Bun.sleep(0);

describe("the side watch follows the plan", () => {
  test("a planned profile gets a link on its NIC, its rounds go through the side path, and it stops when unplanned", async () => {
    const r = rig();
    r.watcher.update([plan("isp1")]);
    await settle();
    const link = r.links.get("isp1") as SideLinkTwin;
    expect(link.calls).toEqual(["start"]);
    link.ready();
    await settle();
    expect(r.of("sideStatus")).toEqual([
      {
        type: "sideStatus",
        profile: "isp1",
        status: "running",
        mode: "probes",
        reason: "192.0.2.7 on red0 via 192.0.2.1",
      },
    ]);
    await Bun.sleep(1200); // DNS joins a round at most once a second
    const rounds = r.of("sideRound");
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    // The profile's targets and the side path's gateway, ICMP through
    // long-running pings on its NIC, DNS from its address.
    expect(r.pings.started).toEqual([
      { iface: "red0", target: "9.9.9.9", intervalMs: 40 },
      { iface: "red0", target: "192.0.2.1", intervalMs: 40 },
    ]);
    expect(rounds[0]?.results.slice(0, 2)).toEqual([
      { target: "icmp:9.9.9.9", rttMs: 10 },
      { target: "icmp:192.0.2.1", rttMs: 10 },
    ]);
    expect(rounds.some((x) => x.results.some((t) => t.target === "dns:9.9.9.10" && t.rttMs === 10))).toBe(
      true,
    );
    expect(r.prober.calls[0]?.via).toMatchObject({ iface: "red0", localAddress: "192.0.2.7" });
    expect(r.prober.calls[0]?.timeoutMs).toBe(500);

    r.watcher.update([]);
    await Bun.sleep(20);
    expect(link.calls).toEqual(["start", "stop", "stopped"]);
    expect(r.of("sideStatus").at(-1)).toMatchObject({ profile: "isp1", status: "stopped" });
    expect(r.pings.running).toBe(0);
    const count = r.of("sideRound").length;
    await Bun.sleep(100);
    expect(r.of("sideRound").length).toBe(count);
  });

  test("the same plan again changes nothing; a lost path is reported unavailable, logged once, and ready again", async () => {
    const r = rig();
    const p = [plan("isp2", { intervalMs: 1000 })];
    r.watcher.update(p);
    r.watcher.update([...p]);
    await settle();
    expect(r.links.size).toBe(1);
    const link = r.links.get("isp2") as SideLinkTwin;
    link.ready();
    link.lost("the lease was lost");
    link.lost("the lease was lost");
    link.ready({ localAddress: "192.0.2.8" });
    await settle();
    expect(r.of("sideStatus").map((e) => `${e.status}: ${e.reason}`)).toEqual([
      "running: 192.0.2.7 on eth1 via 192.0.2.1",
      "unavailable: the lease was lost",
      "running: 192.0.2.8 on eth1 via 192.0.2.1",
    ]);
    expect(r.logs.filter((l) => l.startsWith("warn"))).toEqual([
      "warn isp2: side watch cannot run: the lease was lost",
    ]);
    await r.watcher.stopAll();
  });

  test("a path that stays unavailable (its dhcpcd died) is built afresh; one that comes back is left alone", async () => {
    const r = rig({ reopenMs: 30 });
    r.watcher.update([plan("isp2", { intervalMs: 1000 })]);
    await settle();
    const first = r.links.get("isp2") as SideLinkTwin;
    first.ready();
    first.lost("dhcpcd on eth1 exited (1)");
    for (let i = 0; i < 100 && r.links.get("isp2") === first; i++) await Bun.sleep(10);
    expect(first.calls).toEqual(["start", "stop", "stopped"]);
    const second = r.links.get("isp2") as SideLinkTwin;
    expect(second).not.toBe(first);
    expect(second.calls).toEqual(["start"]);
    second.lost("no DHCP lease offered within 30 s");
    second.ready();
    await Bun.sleep(60);
    expect(r.links.get("isp2")).toBe(second);
    expect(second.calls).toEqual(["start"]);
    await r.watcher.stopAll();
  });

  test("no probe before the path is ready, none while it is lost, and a silent target fails its rounds", async () => {
    const r = rig();
    r.watcher.update([plan("isp1")]);
    await Bun.sleep(100);
    expect(r.pings.started).toEqual([]);
    expect(r.prober.calls).toEqual([]);
    const link = r.links.get("isp1") as SideLinkTwin;
    link.ready();
    await Bun.sleep(100);
    expect(r.pings.running).toBe(2);
    link.lost("the lease was lost");
    await settle();
    expect(r.pings.running).toBe(0);
    const lostAt = Date.now();
    await Bun.sleep(100);
    expect(r.of("sideRound").filter((x) => x.sentAt > lostAt)).toEqual([]);
    r.pings.silent.add("9.9.9.9");
    link.ready();
    await Bun.sleep(800); // past the 500 ms timeout
    expect(r.pings.running).toBe(2);
    const later = r.of("sideRound").filter((x) => x.sentAt > lostAt);
    expect(later.length).toBeGreaterThan(0);
    expect(later[0]?.results[0]).toEqual({ target: "icmp:9.9.9.9", rttMs: null });
    await r.watcher.stopAll();
  });

  test("discovery: one PADI/PADO exchange per interval, reported as a round of one result", async () => {
    const r = rig();
    r.watcher.update([plan("dsl", { mode: "discovery", timeoutMs: 300 })]);
    await Bun.sleep(60);
    const link = r.links.get("dsl") as SideLinkTwin;
    expect(r.of("sideStatus")[0]).toMatchObject({
      status: "running",
      mode: "discovery",
      reason: "PPPoE discovery on eth2",
    });
    expect(link.calls).toContain("discover 300");
    expect(r.of("sideRound")[0]?.results).toEqual([{ target: DISCOVERY_TARGET, rttMs: expect.any(Number) }]);
    link.pado = false;
    await Bun.sleep(60);
    expect(r.of("sideRound").at(-1)?.results).toEqual([{ target: DISCOVERY_TARGET, rttMs: null }]);
    await r.watcher.stopAll();
  });
});

describe("a reload", () => {
  test("an unchanged profile's link keeps running and is told again as it is; a changed one is rebuilt", async () => {
    const r = rig();
    const p = [plan("isp1", { intervalMs: 1000 }), plan("isp2", { intervalMs: 1000 })];
    r.watcher.update(p);
    await settle();
    const isp1 = r.links.get("isp1") as SideLinkTwin;
    const isp2 = r.links.get("isp2") as SideLinkTwin;
    isp1.ready();
    isp2.lost("no DHCP lease offered within 30 s");
    await settle();
    const told = r.events.length;
    r.watcher.reconfigured((name) => name === "isp2");
    await settle();
    expect(r.events.slice(told)).toEqual([
      {
        type: "sideStatus",
        profile: "isp1",
        status: "running",
        mode: "probes",
        reason: "192.0.2.7 on red0 via 192.0.2.1",
      },
      {
        type: "sideStatus",
        profile: "isp2",
        status: "stopped",
        mode: "probes",
        reason: "its settings changed",
      },
    ]);
    // The engine's new plan, a new array with the same profiles.
    r.watcher.update([...p]);
    await Bun.sleep(20);
    expect(isp1.calls).toEqual(["start"]);
    expect(r.links.get("isp1")).toBe(isp1);
    expect(isp2.calls).toEqual(["start", "stop", "stopped"]);
    expect(r.links.get("isp2")).not.toBe(isp2);
    await r.watcher.stopAll();
  });
});

describe("before a switch and at the end", () => {
  test("release awaits the link's stop, so RED's start finds the NIC as it was", async () => {
    const r = rig();
    r.watcher.update([plan("isp1"), plan("isp2")]);
    await settle();
    const isp1 = r.links.get("isp1") as SideLinkTwin;
    isp1.stopMs = 80;
    await r.watcher.release("isp1");
    expect(isp1.stopped).toBe(true);
    expect(r.links.get("isp2")?.stopped).toBe(false);
    // A profile not watched: nothing to wait for.
    await r.watcher.release("lte");
    await r.watcher.stopAll();
    expect(r.links.get("isp2")?.stopped).toBe(true);
  });

  test("a link planned again while its old one still stops waits for it", async () => {
    const r = rig();
    r.watcher.update([plan("isp1")]);
    await settle();
    const first = r.links.get("isp1") as SideLinkTwin;
    first.stopMs = 60;
    r.watcher.update([]);
    r.watcher.update([plan("isp1")]);
    await Bun.sleep(20);
    expect(r.links.get("isp1")).toBe(first);
    await Bun.sleep(80);
    const second = r.links.get("isp1") as SideLinkTwin;
    expect(second).not.toBe(first);
    expect(first.stopped).toBe(true);
    expect(second.calls).toEqual(["start"]);
    await r.watcher.stopAll();
  });
});

describe("failures are reported, never thrown", () => {
  test("an adapter that throws, refuses or has no NIC: unavailable with why", async () => {
    const r = rig({
      open: (name) => {
        if (name === "isp1") throw new Error("dhcpcd: not found");
        return { unavailable: "a QMI modem has no side path: trials as before" };
      },
    });
    expect(() => r.watcher.update([plan("isp1"), plan("isp2"), plan("gone")])).not.toThrow();
    await settle();
    expect(
      r
        .of("sideStatus")
        .map((e) => `${e.profile} ${e.status}: ${e.reason}`)
        .sort(),
    ).toEqual([
      "gone unavailable: no NIC found for gone",
      "isp1 unavailable: dhcpcd: not found",
      "isp2 unavailable: a QMI modem has no side path: trials as before",
    ]);
    await r.watcher.stopAll();
  });

  test("a NIC not up yet: the link waits for the standby watch to raise it", async () => {
    const r = rig();
    (r.nics.isp2 as { up: boolean }).up = false;
    r.watcher.update([plan("isp2")]);
    await settle();
    expect(r.links.size).toBe(0);
    expect(r.events).toEqual([]);
    await r.watcher.stopAll();
  });

  test("a stop past its bound: the release returns at the bound and the link is abandoned, so it leaves the NIC's address alone", async () => {
    const r = rig({ stopBoundMs: 80 });
    r.watcher.update([plan("isp1")]);
    await settle();
    const link = r.links.get("isp1") as SideLinkTwin;
    link.stopMs = 400;
    const asked = Date.now();
    await r.watcher.release("isp1");
    expect(Date.now() - asked).toBeLessThan(300);
    expect(link.calls).toEqual(["start", "stop", "abandon"]);
    expect(r.logs).toContain("warn isp1: side watch stop: not stopped within 0.08 s");
  });

  test("a stop that fails or hangs is logged; the release still returns", async () => {
    const r = rig();
    r.watcher.update([plan("isp1")]);
    await settle();
    const link = r.links.get("isp1") as SideLinkTwin;
    link.stop = () => Promise.reject(new Error("ip rule del: busy"));
    await r.watcher.release("isp1");
    expect(r.logs).toContain("warn isp1: side watch stop: ip rule del: busy");
  });
});
