// End to end on the virtual IPFire site: while a backup carries RED, mwan
// watches the primary from the side (through the primary's own NIC) and
// fails back once it has been healthy for FAILBACK_DELAY, with no blind
// trial while it is dead; standby backups are watched the same way, and a
// failover skips one already known dead. The LAN client runs throughout,
// IPFire's filter rules and strict rp_filter are on, and counters on the
// primary's NIC prove that neither the LAN nor the firewall's own services
// take the side path.
//
// Site: isp1 DHCP primary (red0), isp2 DHCP backup (eth1), isp3 STATIC
// backup (eth2, priority after isp2).

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mwanBin } from "../helpers/run-bin.ts";
import { skipNetTests } from "../net/netns.ts";
import {
  BACKUP,
  FAST_SETTINGS,
  PRIMARY,
  profileProblems,
  redFiles,
  resetToPrimary,
  sideAddress,
  sideHealth,
  siteWithMwan,
  switchesSince,
  waitSettled,
} from "./scenario.ts";
import { ISP1, ISP2, ISP3, type Site } from "./site.ts";
import { UplinkMeter } from "./uplink-meter.ts";

const FAILBACK_DELAY_MS = Number(FAST_SETTINGS.FAILBACK_DELAY) * 1000;

describe.skipIf(skipNetTests())("virtual site: the side watch", () => {
  let site: Site;
  beforeAll(async () => {
    site = await siteWithMwan(mwanBin(), { third: "static" });
  }, 90_000);
  afterAll(async () => {
    await site?.down();
  }, 30_000);

  test("black-holed primary: one failover, no trial while it is dead, back within FAILBACK_DELAY + 15 s of the repair", async () => {
    const watch = site.lanWatch();
    await watch.sampledSince(Date.now());
    const cut = Date.now();
    await site.blackhole(ISP1, true);
    await waitSettled(site, BACKUP, 30_000);
    const settledAt = Date.now();
    await site.waitFor(() => watch.recoveredAt(cut) !== undefined, 15_000, "LAN traffic on the backup");
    const lanBack = watch.recoveredAt(cut) as number;

    // The side path on the primary's NIC: a lease of its own, no main-table route.
    await site.waitFor(() => sideAddress(site, ISP1.nic) !== undefined, 15_000, "the side lease on red0");
    const side = sideAddress(site, ISP1.nic) as string;
    expect(site.mainRoutesVia(ISP1.nic)).toEqual([]);
    const meter = await UplinkMeter.start(site, ISP1.nic, side);
    const red = redFiles(site);
    await site.waitFor(() => sideHealth(site, PRIMARY) === "down", 25_000, "the primary down from the side");

    // Three failback delays of a dead primary: no switch at all.
    await Bun.sleep(Math.max(0, settledAt + 3 * FAILBACK_DELAY_MS - Date.now()));
    expect(switchesSince(site, settledAt)).toEqual([]);
    expect(sideHealth(site, PRIMARY)).toBe("down");
    expect(redFiles(site)).toEqual(red);
    const counts = await meter.read();
    expect(counts.forwarded).toBe(0);
    expect(counts.foreign).toBe(0);
    // The counters see the side probes, so zero above means something.
    expect(counts.packetsOut).toBeGreaterThan(10);
    expect(profileProblems(site, ISP2)).toEqual([]);

    await site.blackhole(ISP1, false);
    const healed = Date.now();
    await waitSettled(site, PRIMARY, FAILBACK_DELAY_MS + 30_000);
    await meter.stop();
    const back = switchesSince(site, healed).find((h) => h.to === PRIMARY);
    expect(back?.kind).toBe("failback");
    expect(back?.ok).toBe(true);
    expect((back?.doneAt as number) - healed).toBeLessThanOrEqual(FAILBACK_DELAY_MS + 15_000);
    expect(switchesSince(site, cut).map((h) => `${h.from}->${h.to}`)).toEqual([
      `${PRIMARY}->${BACKUP}`,
      `${BACKUP}->${PRIMARY}`,
    ]);
    // IPFire's dhcpcd got the side lease's address (the same client identity).
    expect(site.redState().local).toBe(side);
    expect(profileProblems(site, ISP1)).toEqual([]);
    // Not one LAN sample lost between the failover settling and the failback.
    expect(watch.failures(lanBack, back?.at)).toEqual([]);
    await watch.stop();
  }, 150_000);

  test("mwan profile test on a standby: loss and RTT through its own NIC, RED untouched, with and without the daemon", async () => {
    await resetToPrimary(site);
    const red = redFiles(site);
    for (const daemon of [true, false]) {
      if (!daemon) await site.mwanOk(["daemon", "stop"], 60_000);
      const r = await site.mwan(["profile", "test", ISP2.name], 60_000);
      expect(r.code).toBe(0);
      // Through isp2's own line: its address on eth1, its router.
      expect(r.stdout).toMatch(new RegExp(`on ${ISP2.nic} via ${ISP2.router.replaceAll(".", "\\.")}`));
      expect(r.stdout).toMatch(/\b0% loss +rtt \d+\.\d ms avg/);
      expect(r.stdout).toContain(`verdict: ${ISP2.name} answers from the side`);
      expect(redFiles(site)).toEqual(red);
      expect(profileProblems(site, ISP1)).toEqual([]);
    }
    await site.mwanOk(["daemon", "start"]);
    await waitSettled(site, PRIMARY, 30_000);
  }, 120_000);

  test("a standby backup dead from the side is skipped: the primary fails to the next backup", async () => {
    await resetToPrimary(site);
    await site.blackhole(ISP2, true);
    await site.waitFor(() => sideHealth(site, BACKUP) === "down", 30_000, "isp2 down from the side");
    await site.waitFor(() => sideHealth(site, ISP3.name) === "up", 30_000, "isp3 up from the side");
    const cut = Date.now();
    await site.blackhole(ISP1, true);
    await waitSettled(site, ISP3.name, 40_000);
    expect(switchesSince(site, cut).map((h) => `${h.from}->${h.to}`)).toEqual([`${PRIMARY}->${ISP3.name}`]);
    expect(profileProblems(site, ISP3)).toEqual([]);
    expect(await site.lanOnline()).toBe(true);
  }, 120_000);

  test("SIDE_WATCH=off: failback by trial as without a side watch", async () => {
    await site.mwanOk(["config", "set", "SIDE_WATCH", "off"]);
    await resetToPrimary(site);
    await site.blackhole(ISP1, true);
    await waitSettled(site, BACKUP, 30_000);
    const settledAt = Date.now();
    expect(sideAddress(site, ISP1.nic)).toBeUndefined();
    // A blind trial of the still-dead primary after FAILBACK_DELAY.
    await site.waitFor(
      () => switchesSince(site, settledAt).some((h) => h.to === PRIMARY),
      FAILBACK_DELAY_MS + 20_000,
      "a failback trial",
    );
  }, 120_000);
});
