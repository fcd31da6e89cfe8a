// End to end on the virtual IPFire site: the daemon is killed (SIGKILL) in
// the middle of a failover, at the worst moment: the old RED is torn down and
// the new one not yet up. The next daemon start must finish or undo the
// switch, so that IPFire's files hold one whole profile and the LAN is online.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mwanBin } from "../helpers/run-bin.ts";
import { skipNetTests } from "../net/netns.ts";
import { BACKUP, PRIMARY, profileProblems, resetToPrimary, siteWithMwan, waitSettled } from "./scenario.ts";
import { ISP1, ISP2, type Site } from "./site.ts";

describe.skipIf(skipNetTests())("virtual site: daemon killed in the middle of a switch", () => {
  let site: Site;
  beforeAll(async () => {
    site = await siteWithMwan(mwanBin());
  }, 90_000);
  afterAll(async () => {
    await site?.down();
  }, 30_000);

  for (const moment of ["red down", "journal written"] as const) {
    test(`kill -9 when ${moment}: the next start recovers, one whole profile, LAN online`, async () => {
      await resetToPrimary(site);
      const pid = site.daemonPid() as number;
      expect(pid).toBeGreaterThan(0);
      await site.blackhole(ISP1, true);
      const journal = site.path("var/ipfire/mwan/state/journal");
      await site.waitFor(
        () => existsSync(journal) && (moment === "journal written" || !site.redState().active),
        20_000,
        `the switch to reach "${moment}"`,
      );
      process.kill(pid, "SIGKILL");
      await site.waitFor(() => !existsSync(`/proc/${pid}`), 5_000, "the daemon to die");
      expect(existsSync(journal)).toBe(true);

      await site.mwanOk(["daemon", "start"], 60_000);
      // The primary is still black-holed: wherever recovery put RED, mwan
      // must end on the backup.
      await waitSettled(site, BACKUP, 60_000);
      expect(existsSync(journal)).toBe(false);
      expect(profileProblems(site, ISP2)).toEqual([]);
      expect(await site.lanOnline()).toBe(true);
      expect(site.daemonLog().some((l) => /interrupted switch/.test(l.text))).toBe(true);
      await site.blackhole(ISP1, false);
    }, 150_000);
  }

  test("after the crashes the primary still works end to end", async () => {
    await resetToPrimary(site);
    expect(site.status()?.active).toBe(PRIMARY);
    expect(profileProblems(site, ISP1)).toEqual([]);
  }, 90_000);
});
