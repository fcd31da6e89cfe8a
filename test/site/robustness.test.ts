// End to end on the virtual IPFire site: what must NOT cause a switch. A
// lossy primary that still works stays; a flapping primary is left for the
// backup, and the failback trials back off instead of chasing every flap.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mwanBin } from "../helpers/run-bin.ts";
import { skipNetTests } from "../net/netns.ts";
import { BACKUP, PRIMARY, resetToPrimary, siteWithMwan, switchesSince } from "./scenario.ts";
import { ISP1, type Site } from "./site.ts";

describe.skipIf(skipNetTests())("virtual site: no false failovers, no flapping", () => {
  let site: Site;
  beforeAll(async () => {
    site = await siteWithMwan(mwanBin());
  }, 90_000);
  afterAll(async () => {
    await site?.down();
  }, 30_000);

  test("20 % loss on the primary for 60 s: no switch, the LAN stays online", async () => {
    const watch = site.lanWatch(500);
    const start = Date.now();
    await site.loss(ISP1, 20);
    await Bun.sleep(60_000);
    await site.loss(ISP1, 0);
    await watch.stop();
    expect(switchesSince(site, start)).toEqual([]);
    expect(site.status()?.active).toBe(PRIMARY);
    // The LAN sees the loss (a lost ping or fetch now and then), never an outage.
    const samples = watch.between(start);
    expect(samples.length).toBeGreaterThan(60);
    expect(watch.failures(start).length / samples.length).toBeLessThan(0.5);
    expect(await site.lanOnline()).toBe(true);
  }, 90_000);

  test("a primary flapping every 4 s for 70 s: one failover, then back-off, not a switch per flap", async () => {
    await resetToPrimary(site);
    const start = Date.now();
    let broken = false;
    while (Date.now() - start < 70_000) {
      broken = !broken;
      await site.blackhole(ISP1, broken);
      await Bun.sleep(4_000);
    }
    await site.blackhole(ISP1, false);
    const switches = switchesSince(site, start);
    // Chasing the flaps would be a switch every 4 s (17 here).
    expect(switches.length).toBeGreaterThanOrEqual(1);
    expect(switches.length).toBeLessThanOrEqual(6);
    expect(switches[0]?.to).toBe(BACKUP);
    // Each failback trial waits longer than the one before.
    const trials = switches.filter((h) => h.kind === "failback").map((h) => h.at);
    const gaps = trials.slice(1).map((t, i) => t - (trials[i] as number));
    for (let i = 1; i < gaps.length; i++) expect(gaps[i] as number).toBeGreaterThan(gaps[i - 1] as number);
    await site.waitFor(() => site.lanOnline(), 30_000, "the LAN client to be online after the flapping");
  }, 150_000);
});
