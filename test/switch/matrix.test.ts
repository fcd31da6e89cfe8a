// TEST CODE: every profile kind switched to every other kind and back
// (DHCP primary, a second DHCP, STATIC, PPPoE, QMI): after each switch
// IPFire's files hold exactly the target, keys mwan does not own stay where
// they were, owner and mode stay, and the stand-in saw `network stop red`
// with the old settings, then `network start red` with the new ones.
// Back on the primary, the files are byte-identical to before the first switch.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  holdsProblems,
  PRIMARY,
  PROFILES,
  RED_KEYS_ETHERNET,
  RED_KEYS_PPP,
  type RedFiles,
  Rig,
  strayProblems,
  settle,
  unownedLines,
  upProblems,
} from "./rig.ts";

// The 20 ordered pairs of 5 profiles as one walk that starts and ends on the
// primary: for each step k = 1..4, i -> i+k (mod 5) is a cycle through all five.
const walk: [number, number][] = [];
for (let k = 1; k <= 4; k++) for (let i = 0; i < 5; i++) walk.push([(i * k) % 5, ((i + 1) * k) % 5]);

let rig: Rig;
let before: RedFiles; // as IPFire had them before mwan first switched

beforeAll(async () => {
  rig = await Rig.create({ delay: 0.05 });
  before = rig.files();
});
afterAll(() => rig?.cleanup());

describe("switch between every pair of profile kinds", () => {
  for (const [i, j] of walk) {
    const from = PROFILES[i];
    const to = PROFILES[j];
    if (!from || !to) throw new Error("walk out of range");
    test(`${from.name} (${from.kind}) -> ${to.name} (${to.kind})`, async () => {
      const runsBefore = rig.networkRuns().length;
      const old = rig.files();
      const r = await rig.mwan("switch", to.name);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`RED is on ${to.name}`);

      const now = rig.files();
      expect(holdsProblems(now, to, to.ifname)).toEqual([]);
      expect(upProblems(rig, to, to.ifname)).toEqual([]);
      expect(rig.journalExists()).toBe(false);

      // Keys mwan does not own: same lines, same order, in both files.
      expect(unownedLines(now.ethernet, RED_KEYS_ETHERNET)).toEqual(
        unownedLines(old.ethernet, RED_KEYS_ETHERNET),
      );
      // A backup's ppp/settings holds its keys and nothing of the GUI
      // profile's (issue 11: IPTV, VLANs, BACKUPPROFILE must not carry over).
      if (to.ppp && to !== PRIMARY) expect(unownedLines(now.ppp, RED_KEYS_PPP)).toEqual([]);
      // The GUI's numbered PPP profile is never rewritten.
      expect(now.settings1).toBe(before.settings1);
      // Owner and mode as IPFire had them; secrets stay 0600.
      expect(now.owners).toEqual(before.owners);
      expect(now.owners.secrets).toEndWith(" 600");

      // Stop with the old settings, then start with the new; only `red`.
      const runs = rig.networkRuns(runsBefore);
      expect(runs.map((x) => x.argv)).toEqual([
        ["stop", "red"],
        ["start", "red"],
      ]);
      const eth = (n: number) => runs[n]?.reads["/var/ipfire/ethernet/settings"] ?? {};
      expect(eth(0).RED_DEV).toBe(from.ifname);
      expect(eth(0).RED_TYPE).toBe(from.kind === "QMI" ? "PPPOE" : from.kind);
      expect(eth(1).RED_DEV).toBe(to.ifname);
      expect(eth(1).RED_TYPE).toBe(to.kind === "QMI" ? "PPPOE" : to.kind);
      expect(rig.s.events("network", "concurrent")).toEqual([]);

      if (to === PRIMARY) {
        expect(now.ethernet).toBe(before.ethernet);
        expect(now.ppp).toBe(before.ppp);
        expect(now.secrets).toBe(before.secrets);
        expect(now.pppLinked).toBe(true);
      }
      expect(await settle(() => strayProblems(rig, to, to.ifname))).toEqual([]);
    });
  }
});
