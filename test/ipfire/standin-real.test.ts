// The stand-in's real mode (install-standin.sh --real): the same scripts and
// contract, acting on a network namespace with the real dhcpcd and `ip`.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import { dnsmasqDhcpArgv } from "../net/dnsmasq.ts";
import { Lab, skipNetTests } from "../net/netns.ts";
import { Standin } from "./standin.ts";

describe.skipIf(skipNetTests())("stand-in, real mode", () => {
  const lab = new Lab();
  let fw = "";
  let isp = "";
  let s: Standin;
  const inFw = (...argv: string[]) => lab.exec(fw, argv);
  const addrs = async () => (await lab.ip(fw, "-4", "-o", "addr", "show", "dev", "red0")).stdout;
  const routes = async () => (await lab.ip(fw, "route")).stdout;

  beforeAll(async () => {
    fw = await lab.ns("fw");
    isp = await lab.ns("isp");
    await lab.veth({ ns: fw, name: "red0" }, { ns: isp, name: "cust", address: "10.9.0.1/24" });
    await lab.ip(fw, "link", "set", "red0", "down");
    s = await Standin.install({ real: true, timeScale: 0.1 });
    lab.spawn(
      isp,
      dnsmasqDhcpArgv({
        iface: "cust",
        range: ["10.9.0.100", "10.9.0.199"],
        router: "10.9.0.1",
        leaseFile: s.path("isp.leases"),
        extra: ["--dhcp-option=option:dns-server,198.51.100.53"],
      }),
    );
    await Bun.sleep(200);
  }, 30_000);
  afterAll(async () => {
    await s?.cleanup();
    await lab.cleanup();
  }, 30_000);

  test("ROOT/sys is the kernel's", () => {
    expect(lstatSync(s.path("sys")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(s.path("sys"))).toBe("/sys");
  });

  test("DHCP: the real dhcpcd leases, dhcpcd.exe writes RED's files and runs red.up; stop undoes it", async () => {
    s.addHook("red.up", "50-record");
    s.addHook("red.down", "50-record");
    const up = await inFw(s.network, "start", "red");
    expect(up.code).toBe(0);
    const red = s.redState();
    expect(red.active).toBe(true);
    expect(red.iface).toBe("red0");
    expect(red.local).toMatch(/^10\.9\.0\.1\d\d$/);
    expect(red.remote).toBe("10.9.0.1");
    expect(await addrs()).toContain(`inet ${red.local}/24`);
    expect(await routes()).toContain("default via 10.9.0.1 dev red0");
    expect(s.hookCalls().some((l) => l.includes("red.up/50-record") && l.includes("reason=BOUND"))).toBe(
      true,
    );
    // The pid file is the root's own, as on IPFire, and names a live dhcpcd.
    const pid = Number(s.readTrimmed("var/run/dhcpcd/red0.pid"));
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    // The NAT hook masquerades out of red/iface.
    expect((await inFw("nft", "list", "table", "ip", "standin_firewall")).stdout).toContain(
      'oifname "red0" masquerade',
    );

    const down = await inFw(s.network, "stop", "red");
    expect(down.code).toBe(0);
    expect(s.redState().active).toBe(false);
    expect(s.redState().iface).toBe("red0"); // never removed (contract §1.3)
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(await addrs()).toBe("");
    expect(s.hookCalls().some((l) => l.includes("red.down/50-record"))).toBe(true);
    expect((await lab.ip(fw, "link", "show", "red0")).stdout).not.toContain(",UP");
  }, 60_000);

  test("STATIC: ip addr and the default route; stop removes both and leaves the NIC down", async () => {
    s.updateSettings("var/ipfire/ethernet/settings", {
      RED_TYPE: "STATIC",
      RED_ADDRESS: "10.9.0.2",
      RED_NETMASK: "255.255.255.0",
      DEFAULT_GATEWAY: "10.9.0.1",
    });
    expect((await inFw(s.network, "start", "red")).code).toBe(0);
    expect(s.redState()).toEqual(
      expect.objectContaining({ active: true, local: "10.9.0.2", remote: "10.9.0.1" }),
    );
    expect(await addrs()).toContain("inet 10.9.0.2/24");
    expect(await routes()).toContain("default via 10.9.0.1 dev red0");
    expect((await inFw("ping", "-c", "1", "-W", "2", "10.9.0.1")).code).toBe(0);

    expect((await inFw(s.network, "stop", "red")).code).toBe(0);
    expect(s.redState().active).toBe(false);
    expect(await addrs()).toBe("");
    expect(await routes()).not.toContain("default");
  }, 60_000);
});
