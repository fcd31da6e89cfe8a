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
import type { StandinLogEntry } from "../ipfire/standin.ts";

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

// pppd's ip-down (`connectd reconnect`) or the web UI's redctrl may have a
// `network restart red` of IPFire's own going when mwan's bring-up times out.
// In its pause between stop and start there is no connectd to stop, so the
// rollback must wait for the run itself, never run `network` beside it
// (contract §0.9), and leave nothing of it behind.
test(
  "an IPFire network run going when the bring-up times out is waited for, not run beside",
  async () => {
    rig.configure({});
    await rig.ok("switch", QMI.name);
    await rig.idle();
    // At time scale 2 the restart pauses 2 s (network's `scaled 1`), and
    // connectd's 10 s polls keep mwan's own start blocked until its deadline.
    rig.configure({ fail: ["PPPOE"], timeScale: 2 });
    const seen = rig.s.log().length;
    const switching = rig.mwan("switch", PPPOE.name);
    const isStart = (e: StandinLogEntry) =>
      e.who === "network" && e.ev === "invoke" && (e.argv as string[]).join(" ") === "start red";
    await rig.s.waitFor(() => rig.s.log().slice(seen).some(isStart), 10_000, "mwan's network start red");
    const start = rig.s.log().slice(seen).find(isStart) as StandinLogEntry;
    // 1 s before mwan's deadline: the restart's pause spans the rollback's first steps.
    await Bun.sleep(Math.max(0, start.t * 1000 + (UP_TIMEOUT - 1) * 1000 - Date.now()));
    const restart = rig.s.spawnScript(rig.s.path("etc/rc.d/init.d/network"), "restart", "red");

    const r = await switching;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`did not come up within ${UP_TIMEOUT} s; back on ${QMI.name}`);
    expect(r.stdout).toMatch(
      new RegExp(`wait for IPFire's network run \\(waited for pid [\\d, ]*\\b${restart.pid}\\b`),
    );
    expect(await restart.exited).toBe(0);
    // The restart's own overlap with mwan's blocked start is IPFire's doing;
    // any other overlap is the rollback's.
    const overlaps = rig.s
      .log()
      .slice(seen)
      .filter((e) => e.who === "network" && e.ev === "concurrent" && Number(e.other_pid) !== start.pid);
    expect(overlaps).toEqual([]);
    expect(upProblems(rig, QMI, QMI.ifname)).toEqual([]);
    expect(await settle(() => strayProblems(rig, QMI, QMI.ifname))).toEqual([]);
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
