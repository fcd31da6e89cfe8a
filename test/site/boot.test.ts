// End to end on the virtual IPFire site: bad starts and no way out. The
// primary is dead when the firewall boots (its DHCP server is down), and
// later both lines are dead at once. The backup here is STATIC, so that
// IPFire's STATIC bring-up is exercised for real too.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mwanBin } from "../helpers/run-bin.ts";
import { skipNetTests } from "../net/netns.ts";
import {
  BACKUP,
  FAST_SETTINGS,
  PRIMARY,
  profileProblems,
  resetToPrimary,
  siteWithMwan,
  switchesSince,
  waitSettled,
} from "./scenario.ts";
import { ISP1, ISP2, type Site } from "./site.ts";

const FAILBACK_DELAY_MS = Number(FAST_SETTINGS.FAILBACK_DELAY) * 1000;

describe.skipIf(skipNetTests())("virtual site: dead primary at boot, both lines dead", () => {
  let site: Site;
  beforeAll(async () => {
    site = await siteWithMwan(mwanBin(), { backup: "static" });
  }, 90_000);
  afterAll(async () => {
    await site?.down();
  }, 30_000);

  test("primary dead at boot: RED comes up on the STATIC backup, back on the primary once it works", async () => {
    // A reboot: mwan starts before the network (S19mwan, S20network), while
    // ISP1's DHCP server is down.
    await site.mwanOk(["daemon", "stop"], 60_000);
    await site.network("stop");
    await site.dhcp(ISP1, false);
    const boot = Date.now();
    await site.mwanOk(["daemon", "start"]);
    await site.network("start");
    expect(site.redState().active).toBe(false);

    await waitSettled(site, BACKUP, 60_000);
    expect(await site.lanOnline()).toBe(true);
    expect(profileProblems(site, ISP2)).toEqual([]);
    expect(site.redState().local).toBe(ISP2.staticAddress);

    await site.dhcp(ISP1, true);
    await waitSettled(site, PRIMARY, FAILBACK_DELAY_MS + 40_000);
    expect(switchesSince(site, boot).map((h) => `${h.from}->${h.to} ${h.ok}`)).toEqual([
      `${PRIMARY}->${BACKUP} true`,
      `${BACKUP}->${PRIMARY} true`,
    ]);
    expect(await site.lanOnline()).toBe(true);
    expect(profileProblems(site, ISP1)).toEqual([]);
  }, 150_000);

  test("both lines dead: mwan keeps trying without a storm, and recovers when the primary returns", async () => {
    await resetToPrimary(site);
    const cut = Date.now();
    await site.blackhole(ISP1, true);
    await site.blackhole(ISP2, true);
    await Bun.sleep(45_000);
    expect(await site.lanOnline()).toBe(false);
    const during = switchesSince(site, cut);
    expect(during.length).toBeGreaterThanOrEqual(1);
    // Retries back off (10 s, then doubling): a handful in 45 s, not one per probe round.
    expect(during.length).toBeLessThanOrEqual(5);

    const healed = Date.now();
    await site.blackhole(ISP1, false);
    await site.waitFor(
      () => site.status()?.health.state === "up" && site.status()?.inFlight === null,
      60_000,
      "a working RED again",
    );
    const recovered = Date.now() - healed;
    expect(recovered).toBeLessThan(60_000);
    await site.waitFor(() => site.lanOnline(), 15_000, "the LAN client to be online");
    const on = site.status()?.active === PRIMARY ? ISP1 : ISP2;
    expect(on).toBe(ISP1);
    expect(profileProblems(site, on)).toEqual([]);
  }, 150_000);
});
