// End to end on the virtual IPFire site: the primary line fails (black hole
// beyond the ISP's router, then the cable), mwan moves RED to the backup, the
// LAN client stays online, and RED comes back when the primary does.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mwanBin } from "../helpers/run-bin.ts";
import { skipNetTests } from "../net/netns.ts";
import {
  BACKUP,
  FAST_SETTINGS,
  PRIMARY,
  logTime,
  profileProblems,
  resetToPrimary,
  siteWithMwan,
  switchesSince,
  waitSettled,
} from "./scenario.ts";
import { ISP1, ISP2, type Site } from "./site.ts";

const FAILBACK_DELAY_MS = Number(FAST_SETTINGS.FAILBACK_DELAY) * 1000;

describe.skipIf(skipNetTests())("virtual site: failover and failback", () => {
  let site: Site;
  beforeAll(async () => {
    site = await siteWithMwan(mwanBin());
  }, 90_000);
  afterAll(async () => {
    await site?.down();
  }, 30_000);

  test("installed the admin's way, RED on the primary holds the imported profile", async () => {
    const out = await site.mwanOk(["status"]);
    expect(out).toContain(`on ${PRIMARY} (primary)`);
    expect(profileProblems(site, ISP1)).toEqual([]);
    expect(await site.lanOnce()).toEqual(expect.objectContaining({ icmp: true, dns: true, http: true }));
  });

  test("black hole beyond the primary's router: down within 5 s, the LAN back on the backup, then failback", async () => {
    const watch = site.lanWatch();
    await watch.sampledSince(Date.now());
    const cut = Date.now();
    await site.blackhole(ISP1, true);

    await waitSettled(site, BACKUP, 30_000);
    const down = logTime(site, cut, new RegExp(`${PRIMARY} is down`));
    expect(down).toBeDefined();
    expect((down as number) - cut).toBeLessThan(5_000);
    await site.waitFor(() => watch.recoveredAt(cut) !== undefined, 15_000, "LAN traffic to flow again");
    expect((watch.recoveredAt(cut) as number) - cut).toBeLessThan(15_000);
    expect(await site.lanOnline()).toBe(true);
    expect(profileProblems(site, ISP2)).toEqual([]);
    const failover = switchesSince(site, cut).find((h) => h.to === BACKUP);
    expect(failover?.ok).toBe(true);

    // The primary comes back; mwan tries it after FAILBACK_DELAY and keeps it
    // once the probation is over.
    await site.blackhole(ISP1, false);
    const healed = Date.now();
    await waitSettled(site, PRIMARY, FAILBACK_DELAY_MS + 30_000);
    const back = switchesSince(site, healed).find((h) => h.to === PRIMARY);
    expect(back?.kind).toBe("failback");
    // Not before FAILBACK_DELAY on the backup (counted from the switch's end).
    expect((back?.at as number) - (failover?.doneAt as number)).toBeGreaterThanOrEqual(
      FAILBACK_DELAY_MS - 500,
    );
    await site.waitFor(() => site.status()?.failback.probationUntil === null, 30_000, "the probation to end");
    expect(site.status()?.active).toBe(PRIMARY);
    const failbackStart = back?.at as number;
    await site.waitFor(
      () => watch.recoveredAt(failbackStart) !== undefined,
      15_000,
      "LAN traffic after failback",
    );
    // A failback costs the LAN a moment (a RED restart), not more.
    const outage = (watch.recoveredAt(failbackStart) as number) - failbackStart;
    expect(outage).toBeLessThan(10_000);
    expect(profileProblems(site, ISP1)).toEqual([]);
    await watch.stop();
  }, 120_000);

  test("carrier loss on the primary: failover; carrier back: failback", async () => {
    await resetToPrimary(site);
    const cut = Date.now();
    await site.carrier(ISP1, false);
    await waitSettled(site, BACKUP, 30_000);
    expect(await site.lanOnline()).toBe(true);
    expect(profileProblems(site, ISP2)).toEqual([]);

    await site.carrier(ISP1, true);
    await waitSettled(site, PRIMARY, FAILBACK_DELAY_MS + 30_000);
    expect(switchesSince(site, cut).map((h) => `${h.kind} ${h.from}->${h.to}`)).toEqual([
      expect.stringMatching(`${PRIMARY}->${BACKUP}`),
      `failback ${BACKUP}->${PRIMARY}`,
    ]);
    expect(await site.lanOnline()).toBe(true);
    expect(profileProblems(site, ISP1)).toEqual([]);
  }, 120_000);
});
