// TEST CODE: a profile that does not come up within SWITCH_UP_TIMEOUT. By
// default RED goes back to where it was, files byte-identical; with
// --no-rollback it stays on the failed profile. Either way mwan exits 1 and
// says why, and nothing the failed bring-up started keeps running.

import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  holdsProblems,
  PPPOE,
  PRIMARY,
  type ProfileSpec,
  QMI,
  Rig,
  settle,
  STATIC,
  strayProblems,
  upProblems,
} from "./rig.ts";

const UP_TIMEOUT = 5; // mwan's minimum
const SLOW = 30_000; // per test: a rollback waits UP_TIMEOUT, then more

let rig: Rig;
beforeAll(async () => {
  rig = await Rig.create({ delay: 0.05, upTimeout: UP_TIMEOUT });
});
afterAll(() => rig?.cleanup());

// Switch to `to` while its kind fails; RED must end up back on `from`.
async function expectRolledBack(from: ProfileSpec, to: ProfileSpec) {
  rig.configure({});
  if ((await rig.mwan("switch", from.name)).code !== 0) throw new Error(`setup: switch ${from.name} failed`);
  await rig.idle();
  const before = rig.files();
  rig.configure({ fail: [to.kind === "QMI" ? "QMI" : to.kind] });

  const r = await rig.mwan("switch", to.name);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`did not come up within ${UP_TIMEOUT} s`);
  expect(r.stderr).toContain(`back on ${from.name}`);
  expect(r.ms).toBeLessThan((UP_TIMEOUT + 5) * 1000);

  const now = rig.files();
  expect(now.ethernet).toBe(before.ethernet);
  expect(now.ppp).toBe(before.ppp);
  expect(now.secrets).toBe(before.secrets);
  expect(now.pppLinked).toBe(before.pppLinked);
  expect(now.owners).toEqual(before.owners);
  expect(upProblems(rig, from, from.ifname)).toEqual([]);
  expect(rig.journalExists()).toBe(false);
  // connectd's retries (PPPoE) and dhcpcd's (QMI) must not outlive the rollback.
  expect(await settle(() => strayProblems(rig, from, from.ifname))).toEqual([]);
  await Bun.sleep(1000);
  expect(upProblems(rig, from, from.ifname)).toEqual([]);
  expect(strayProblems(rig, from, from.ifname)).toEqual([]);
}

test(
  "STATIC fails: back on the DHCP primary, byte for byte",
  async () => {
    await expectRolledBack(PRIMARY, STATIC);
  },
  SLOW,
);

test(
  "PPPoE fails (connectd retrying): back on QMI",
  async () => {
    await expectRolledBack(QMI, PPPOE);
  },
  SLOW,
);

test(
  "QMI fails (dhcpcd still trying): back on PPPoE",
  async () => {
    await expectRolledBack(PPPOE, QMI);
  },
  SLOW,
);

test(
  "--no-rollback leaves RED on the profile that failed",
  async () => {
    rig.configure({});
    await rig.ok("failback");
    rig.configure({ fail: ["STATIC"] });
    const r = await rig.mwan("switch", STATIC.name, "--no-rollback");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`did not come up within ${UP_TIMEOUT} s`);
    expect(r.stderr).toContain("--no-rollback");
    expect(holdsProblems(rig.files(), STATIC, STATIC.ifname)).toEqual([]);
    expect(rig.activeProfile()).toBe(STATIC.name);
    expect(rig.s.redState().active).toBe(false);
    expect(rig.journalExists()).toBe(false);

    // Once the cause is gone, failback works from there.
    rig.configure({});
    expect((await rig.mwan("failback")).code).toBe(0);
    expect(upProblems(rig, PRIMARY, PRIMARY.ifname)).toEqual([]);
  },
  SLOW,
);
