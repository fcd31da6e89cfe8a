// The STATIC and DHCP side paths (src/adapters/side) with the real ip and
// dhcpcd in network namespaces: probes answer through the side NIC, the LAN
// and the main table never see it, IPFire's files stay untouched, stop leaves
// nothing behind, and every way the path breaks is reported.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAlive } from "../../src/adapters/processes.ts";
import { skipNetTests } from "./netns.ts";
import { SIDE_FIRST, TEST_SLOT } from "../../src/adapters/side/routing.ts";
import { SIDE_DHCP, SIDE_NET, SIDE_STATIC, SideSite, TARGET } from "./side-site.ts";

// IPFire's config/dhcpc/dhcpcd.conf as to who the client is (duid, hostname,
// an empty vendorclassid), with noarp for speed.
const IPFIRE_CONF =
  "ipv4only\nhostname\nduid\npersistent\nvendorclassid\nnoipv4ll\nnoarp\nrequire dhcp_server_identifier\n";

describe.skipIf(skipNetTests())("side paths", () => {
  const site = new SideSite();
  let redBefore = "";
  const redDir = () => {
    const dir = site.standin.path("var/ipfire/red");
    return existsSync(dir)
      ? readdirSync(dir)
          .sort()
          .map((n) => `${n}=${readFileSync(join(dir, n), "utf8")}`)
          .join("\n")
      : "(none)";
  };
  const ping = (...extra: string[]) =>
    site.fw("ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", ...extra, TARGET);
  const lanPing = () => site.lab.exec(site.ns.lan, ["ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", TARGET]);

  beforeAll(async () => {
    await site.build();
    writeFileSync(site.standin.path("var/ipfire/dhcpc/dhcpcd.conf"), IPFIRE_CONF);
    redBefore = redDir();
  }, 30_000);
  afterAll(() => site.cleanup(), 30_000);

  // Everything a side path must leave alone, checked while it is up.
  async function proveIsolated(address: string): Promise<void> {
    await site.countersFor(address);
    expect((await ping("-I", "side0")).code).toBe(0);
    expect(await site.counter("own_src")).toBeGreaterThanOrEqual(2);
    // The LAN goes out through RED, never through the side NIC.
    expect((await lanPing()).code).toBe(0);
    expect(await site.counter("fwd_red")).toBeGreaterThanOrEqual(3);
    // The firewall's own traffic without -I takes RED too.
    expect((await ping()).code).toBe(0);
    expect(await site.counter("fwd_side")).toBe(0);
    expect(await site.counter("foreign_src")).toBe(0);
    expect(redDir()).toBe(redBefore);
  }

  test("STATIC: probes answer through the side NIC; main table, rules, LAN and red/ untouched; stop leaves nothing", async () => {
    const outside = await site.outsideState();
    const d = site.driver("backup", SIDE_STATIC);
    try {
      d.send("start");
      const { report } = await d.report("ready", 10_000);
      expect(report.via).toEqual({
        iface: "side0",
        localAddress: SIDE_NET.static,
        gateway: SIDE_NET.router,
        table: 4201,
      });
      expect(await site.outsideState()).toBe(outside);
      await proveIsolated(SIDE_NET.static);
      await d.stop();
    } finally {
      await d.close();
    }
    expect(await site.mwanLeftovers()).toBe("");
    expect(await site.outsideState()).toBe(outside);
    // Without the side path, the side NIC cannot reach anything.
    expect((await ping("-I", "side0")).code).not.toBe(0);
  }, 30_000);

  test("DHCP: a lease held with IPFire's identity, no hooks of IPFire's; dhcpcd killed → unavailable; stop leaves no dhcpcd", async () => {
    await site.startDhcp();
    const outside = await site.outsideState();
    let address = "";
    const d = site.driver("primary", SIDE_DHCP);
    try {
      d.send("start");
      const { report } = await d.report("ready", 15_000);
      address = report.via?.localAddress ?? "";
      expect(address).toMatch(/^198\.51\.100\.5\d$/);
      expect(await site.outsideState()).toBe(outside);
      await proveIsolated(address);
      // The renewal rule takes only the box's own UDP to the server: a LAN
      // packet to the same address and port goes out of RED.
      const rules = JSON.parse((await site.fw("ip", "-4", "-json", "rule", "show")).stdout) as unknown[];
      expect(rules.find((r) => (r as { priority?: number }).priority === 4203)).toMatchObject({
        dst: SIDE_NET.router,
        iif: "lo",
        ipproto: "udp",
        table: "4201",
      });
      const route = async (...extra: string[]) =>
        (
          await site.fw(
            "ip",
            "-4",
            "route",
            "get",
            SIDE_NET.router,
            ...extra,
            "ipproto",
            "udp",
            "sport",
            "68",
            "dport",
            "67",
          )
        ).stdout;
      expect(await route()).toContain("table 4201");
      const forwarded = await route("from", "192.168.1.2", "iif", "green0");
      expect(forwarded).toContain("dev red0");
      expect(forwarded).not.toContain("table 4201");
      // A renewal is unicast to the server from an unbound raw socket: mwan's
      // rule to the server keeps it off RED, and its answer passes IPFire's
      // INPUT as an ESTABLISHED reply.
      const event = site.standin.path("var/run/mwan/side/side0.event");
      process.kill(Number(site.standin.readTrimmed("var/run/dhcpcd/side0.pid")), "SIGUSR1");
      for (let i = 0; i < 50 && !readFileSync(event, "utf8").includes("RENEW"); i++) await Bun.sleep(100);
      expect(JSON.parse(readFileSync(event, "utf8")).reason).toBe("RENEW");
      expect(await site.counter("dhcp_red")).toBe(0);
      // The stand-in logged the side dhcpcd, with mwan's config and script.
      const runs = site.standin.events().filter((e) => e.who === "dhcpcd" && e.ev === "invoke");
      expect(JSON.stringify(runs.at(-1)?.argv)).toContain("mwan-side-dhcpcd-hook");
      const pid = Number(site.standin.readTrimmed("var/run/dhcpcd/side0.pid"));
      expect(isAlive(pid)).toBe(true);
      const from = d.lines.length;
      process.kill(pid, "SIGKILL");
      const lost = await d.report("unavailable", 5000, from);
      expect(lost.report.reason).toContain("dhcpcd on side0 exited");
      await d.stop();
    } finally {
      await d.close();
    }
    expect(await site.mwanLeftovers()).toBe("");

    // Again, stopped by mwan this time: no dhcpcd left, nothing released, and
    // IPFire's own dhcpcd (red start) gets the same address afterwards.
    const again = site.driver("primary", SIDE_DHCP);
    try {
      again.send("start");
      expect((await again.report("ready", 15_000)).report.via?.localAddress).toBe(address);
      await again.stop();
    } finally {
      await again.close();
    }
    const pid = Number(site.standin.readTrimmed("var/run/dhcpcd/side0.pid"));
    expect(isAlive(pid)).toBe(false);
    expect(await site.mwanLeftovers()).toBe("");
    expect(await site.outsideState()).toBe(outside);
    expect(redDir()).toBe(redBefore);
    // dnsmasq's lease: expiry, MAC, address, host name, client id.
    const leaseOf = () =>
      readFileSync(site.standin.path("side-isp.leases"), "utf8")
        .split("\n")
        .find((l) => l.split(" ")[2] === address)
        ?.split(" ")
        .slice(1);
    const side = leaseOf();
    expect(side?.[2]).toBe("fw-side");
    expect(side?.[3]).toMatch(/^ff:/); // RFC 4361: IAID + DUID, from IPFire's `duid`
    site.standin.updateSettings("var/ipfire/ethernet/settings", {
      RED_DEV: "side0",
      RED_TYPE: "DHCP",
      RED_DHCP_HOSTNAME: "fw-side",
    });
    expect((await site.fw(site.standin.network, "start", "red")).code).toBe(0);
    expect(site.standin.redState().local).toBe(address);
    expect(leaseOf()).toEqual(side);
    expect((await site.fw(site.standin.network, "stop", "red")).code).toBe(0);
  }, 60_000);

  test("a killed daemon's side path (dhcpcd, address, rules, table) is removed by cleanupSideLinks", async () => {
    const outside = await site.outsideState();
    const d = site.driver("primary", SIDE_DHCP);
    d.send("start");
    await d.report("ready", 15_000);
    const pid = Number(site.standin.readTrimmed("var/run/dhcpcd/side0.pid"));
    await d.kill();
    expect(await site.mwanLeftovers()).not.toBe("");
    expect(isAlive(pid)).toBe(true);
    await site.cleanupAs(SIDE_DHCP);
    expect(isAlive(pid)).toBe(false);
    expect(await site.mwanLeftovers()).toBe("");
    expect(await site.outsideState()).toBe(outside);
  }, 30_000);

  // A switch after the kill gave the NIC to RED, with the very address the
  // side path had (the same STATIC address, the same lease): cleanup removes
  // mwan's rules and table but leaves the address, which is IPFire's now.
  test("cleanup leaves a killed daemon's address alone when RED now holds it on that NIC", async () => {
    const d = site.driver("primary", SIDE_STATIC);
    d.send("start");
    await d.report("ready", 15_000);
    await d.kill();
    const red = (f: string) => site.standin.path(`var/ipfire/red/${f}`);
    writeFileSync(red("active"), "");
    writeFileSync(red("iface"), "side0\n");
    writeFileSync(red("local-ipaddress"), `${SIDE_NET.static}\n`);
    try {
      await site.cleanupAs(SIDE_STATIC);
      const left = (await site.mwanLeftovers()).split("\n");
      expect(left).toHaveLength(1); // no rule, no route: only the address
      expect(left[0]).toContain(`inet ${SIDE_NET.static}/24`);
    } finally {
      for (const f of ["active", "iface", "local-ipaddress"]) rmSync(red(f), { force: true });
      await site.fw("ip", "-4", "addr", "flush", "dev", "side0");
    }
  }, 30_000);

  // `mwan profile test` beside a daemon (records.ts: the roles): a daemon
  // that starts meanwhile leaves the test's path alone and keeps off its
  // NIC; a test that was killed is cleaned up by the next test.
  test("a profile test's path survives a daemon's cleanup, keeps the daemon off its NIC, and the next test removes it", async () => {
    const outside = await site.outsideState();
    const tester = site.driver("primary", SIDE_DHCP, "side0", 30_000, "test");
    tester.send("start");
    expect((await tester.report("ready", 15_000)).report.via?.table).toBe(SIDE_FIRST + TEST_SLOT);
    const pid = Number(site.standin.readTrimmed("var/run/dhcpcd/side0.pid"));
    const daemon = site.driver("primary", SIDE_DHCP);
    try {
      const opened = (await daemon.waitFor((l) => l.opened !== undefined, 10_000)).opened;
      expect((opened as { unavailable?: string }).unavailable).toMatch(
        /^mwan profile test \(pid \d+\) is using side0$/,
      );
      daemon.send("cleanup");
      await daemon.waitFor((l) => l.cleaned === true, 10_000);
    } finally {
      await daemon.close();
    }
    expect(isAlive(pid)).toBe(true);
    expect((await ping("-I", "side0")).code).toBe(0);
    await tester.kill();
    expect(await site.mwanLeftovers()).not.toBe("");
    // A daemon's cleanup still leaves a killed test's path: the next test's.
    await site.cleanupAs(SIDE_DHCP);
    expect(isAlive(pid)).toBe(true);
    await site.cleanupAs(SIDE_DHCP, "test");
    expect(isAlive(pid)).toBe(false);
    expect(await site.mwanLeftovers()).toBe("");
    expect(await site.outsideState()).toBe(outside);
  }, 60_000);

  // A NAK ends the lease (here at the INIT-REBOOT of a new dhcpcd, whose
  // request and answer go through BPF like every broadcast); the lease that
  // follows at once moves the path to the new address. (The side link reads
  // dhcpcd's latest event: a NAK and the next lease within one poll are one
  // "ready" with the new address.)
  test("DHCP: a refused lease (NAK) moves the path to the new lease", async () => {
    const logged = site.standin.log().length;
    const first = site.driver("primary", SIDE_DHCP);
    try {
      first.send("start");
      expect((await first.report("ready", 15_000)).report.via?.localAddress).toMatch(/^198\.51\.100\.5\d$/);
      await first.stop();
    } finally {
      await first.close();
    }
    await site.stopDhcp();
    await site.startDhcp(["198.51.100.60", "198.51.100.69"], "side-isp-2.leases");
    const d = site.driver("primary", SIDE_DHCP);
    try {
      d.send("start");
      const again = await d.report("ready", 15_000);
      expect(again.report.via?.localAddress).toMatch(/^198\.51\.100\.6\d$/);
      expect((await ping("-I", "side0")).code).toBe(0);
      const addrs = (await site.fw("ip", "-4", "-o", "addr", "show", "dev", "side0")).stdout
        .trim()
        .split("\n");
      expect(addrs).toHaveLength(1);
      expect(addrs[0]).toContain(`inet ${again.report.via?.localAddress}/24`);
      // IPFire's hooks never ran.
      expect(
        site.standin
          .log()
          .slice(logged)
          .filter((e) => e.who === "dhcpcd.exe"),
      ).toEqual([]);
      await d.stop();
    } finally {
      await d.close();
    }
    expect(await site.mwanLeftovers()).toBe("");
  }, 40_000);

  test("DHCP: no offer within the bound → unavailable; NIC deleted → unavailable", async () => {
    await site.stopDhcp();
    const d = site.driver("primary", SIDE_DHCP, "side0", 2000);
    try {
      const started = Date.now();
      d.send("start");
      const { report } = await d.report("unavailable", 6000);
      expect(report.reason).toBe("no DHCP lease offered within 2 s");
      expect(Date.now() - started).toBeLessThan(4000);
      await d.stop();
    } finally {
      await d.close();
    }
    expect(await site.mwanLeftovers()).toBe("");

    await site.startDhcp();
    const s = site.driver("backup", SIDE_STATIC);
    try {
      s.send("start");
      await s.report("ready", 10_000);
      const from = s.lines.length;
      await site.lab.ip(site.ns.fw, "link", "del", "side0");
      expect((await s.report("unavailable", 5000, from)).report.reason).toBe("side0 vanished");
      await s.stop();
    } finally {
      await s.close();
    }
    const rules = (await site.lab.ip(site.ns.fw, "-4", "rule", "show")).stdout;
    expect(await site.mwanLeftovers()).toBe("");
    expect(rules).toContain("from all lookup main");
  }, 30_000);
});
