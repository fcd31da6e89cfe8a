// PPPoE and VDSL discovery (src/adapters/side/discovery.ts) with pppd's real
// pppoe-discovery against a real pppoe-server (rp-pppoe) in a namespace: a
// PADO proves the line, none is a failure, and the VLAN made for VDSL is
// never left behind.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import type { Subprocess } from "bun";
import { skipNetTests } from "./netns.ts";
import { type Driver, SideSite } from "./side-site.ts";

const PPP = {
  DEVICE: "side0",
  MACADDR: "52:54:00:00:00:09",
  PRIORITY: 1,
  METERED: "off",
  USERNAME: "user",
  PASSWORD: "secret",
  IPTV: "off",
  IPTV_VLAN: 8,
};

describe.skipIf(skipNetTests())("side discovery", () => {
  const site = new SideSite();
  beforeAll(() => site.build(), 30_000);
  afterAll(() => site.cleanup(), 30_000);

  const concentrator = (ifname: string): Subprocess =>
    site.lab.spawn(site.ns.isp2, [
      "pppoe-server",
      "-F",
      "-I",
      ifname,
      "-C",
      "isp2-ac",
      "-X",
      site.standin.path(`${ifname}.pppoe.pid`),
    ]);
  const discover = async (d: Driver) => {
    const from = d.lines.length;
    d.send("discover 1000");
    return (await d.waitFor((l) => "discovered" in l, 5000, from)).discovered as {
      ok: boolean;
      detail: string;
    };
  };
  const vlanLeft = async () =>
    (await site.lab.exec(site.ns.fw, ["ip", "link", "show", "side0.7"])).code === 0;

  test("PPPoE: ok with a concentrator on the NIC, fails without", async () => {
    const d = site.driver("dsl", { ...PPP, TYPE: "PPPOE" });
    const server = concentrator("cust");
    try {
      await Bun.sleep(200);
      expect(await discover(d)).toEqual({ ok: true, detail: "PADO from isp2-ac on side0" });
      server.kill("SIGKILL");
      await server.exited;
      expect(await discover(d)).toEqual({
        ok: false,
        detail: "no PADO on side0 within 1 s (Timeout waiting for PADO packets)",
      });
      await d.stop();
    } finally {
      await d.close();
    }
  }, 20_000);

  // The kernel may lack 802.1Q (a microVM's): then the VLAN cannot be made,
  // and discovery must say so and leave nothing behind.
  test("VDSL: discovery on the VLAN it makes for the purpose and deletes right after", async () => {
    const vlans =
      (
        await site.lab.exec(site.ns.isp2, [
          "ip",
          "link",
          "add",
          "link",
          "cust",
          "name",
          "cust.7",
          "type",
          "vlan",
          "id",
          "7",
        ])
      ).code === 0;
    const d = site.driver("vdsl", { ...PPP, TYPE: "VDSL", VLAN: 7 });
    try {
      if (!vlans) {
        const r = await discover(d);
        expect(r.ok).toBe(false);
        expect(r.detail).toStartWith("cannot create side0.7: ");
        expect(await vlanLeft()).toBe(false);
        expect(
          readdirSync(site.standin.path("var/run/mwan/side")).filter((n) => n.endsWith(".record")),
        ).toEqual([]);
        await d.stop();
        return;
      }
      await site.lab.ip(site.ns.isp2, "link", "set", "cust.7", "up");
      const server = concentrator("cust.7");
      await Bun.sleep(200);
      expect(await discover(d)).toEqual({ ok: true, detail: "PADO from isp2-ac on side0.7" });
      expect(await vlanLeft()).toBe(false);
      server.kill("SIGKILL");
      await server.exited;
      expect((await discover(d)).ok).toBe(false);
      expect(await vlanLeft()).toBe(false);
      // A VLAN that is not mwan's is left alone.
      await site.lab.ip(
        site.ns.fw,
        "link",
        "add",
        "link",
        "side0",
        "name",
        "side0.7",
        "type",
        "vlan",
        "id",
        "7",
      );
      expect((await discover(d)).detail).toBe("side0.7 already exists and is not mwan's: not touched");
      expect(await vlanLeft()).toBe(true);
      await d.stop();
    } finally {
      await d.close();
    }
  }, 20_000);
});
