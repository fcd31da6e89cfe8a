// TEST CODE: a command-line switch that is interrupted (Ctrl-C, kill, the ssh
// session closing), a `network stop red` that outlives SWITCH_DOWN_TIMEOUT,
// and a profile deleted while a switch runs. Each time IPFire's files hold
// one whole profile, RED is left working, and no two `network` runs overlap.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, lstatSync, rmSync, statSync } from "node:fs";
import { holdsProblems, PPPOE, PRIMARY, Rig, STATIC, upProblems } from "./rig.ts";

const SLOW = 40_000;
const LOCK = "var/ipfire/mwan/state/lock";

let rig: Rig;
beforeAll(async () => {
  rig = await Rig.create({ delay: 0.05, upTimeout: 10 });
  // Once away and back, so that state/active names the primary.
  await rig.ok("switch", STATIC.name);
  await rig.ok("switch", PRIMARY.name);
}, 30_000);
afterAll(() => rig?.cleanup());

async function backOnPrimary(): Promise<void> {
  rig.configure({});
  await rig.idle();
  if (rig.activeProfile() !== PRIMARY.name) await rig.ok("switch", PRIMARY.name);
  await rig.idle();
  expect(upProblems(rig, PRIMARY, PRIMARY.ifname)).toEqual([]);
}

const waitForLock = () => rig.s.waitFor(() => existsSync(rig.s.path(LOCK)), 5000, "the switch lock");

for (const [sig, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
] as const) {
  test(
    `${sig} mid-switch: the switch finishes first, then mwan exits ${code}`,
    async () => {
      await backOnPrimary();
      rig.configure({ delay: 1.5 });
      const runs = rig.networkRuns().length;
      const p = rig.spawn("switch", STATIC.name);
      await waitForLock();
      p.kill(sig);
      const [exit, stderr] = await Promise.all([p.exited, new Response(p.stderr).text()]);
      expect(exit).toBe(code);
      expect(stderr).toContain(`mwan: ${sig}: finishing the switch first`);
      expect(upProblems(rig, STATIC, STATIC.ifname)).toEqual([]);
      expect(rig.activeProfile()).toBe(STATIC.name);
      expect(rig.journalExists()).toBe(false);
      expect(rig.s.events("network", "concurrent")).toEqual([]);
      expect(rig.networkRuns(runs).length).toBe(2); // one stop, one start
    },
    SLOW,
  );
}

test(
  "the ssh session gone (SIGHUP, output closed): the switch still finishes",
  async () => {
    await backOnPrimary();
    rig.configure({ delay: 1.5 });
    const p = rig.spawn("switch", STATIC.name);
    await waitForLock();
    await p.stdout.cancel(); // every later write fails with EPIPE
    await p.stderr.cancel();
    p.kill("SIGHUP");
    expect(await p.exited).toBe(129);
    expect(upProblems(rig, STATIC, STATIC.ifname)).toEqual([]);
    expect(rig.journalExists()).toBe(false);
  },
  SLOW,
);

test(
  "SIGINT while the target fails: RED goes back first, then mwan exits 130",
  async () => {
    await backOnPrimary();
    rig.configure({ delay: 0.5, fail: ["STATIC"] });
    const p = rig.spawn("switch", STATIC.name);
    await waitForLock();
    p.kill("SIGINT");
    expect(await p.exited).toBe(130);
    rig.configure({});
    expect(holdsProblems(rig.files(), PRIMARY, PRIMARY.ifname)).toEqual([]);
    expect(upProblems(rig, PRIMARY, PRIMARY.ifname)).toEqual([]);
    expect(rig.activeProfile()).toBe(PRIMARY.name);
  },
  SLOW,
);

test(
  "killed outright mid-switch: mwan status says so and names the command that mends it",
  async () => {
    await backOnPrimary();
    rig.configure({ delay: 2 });
    const p = rig.spawn("switch", STATIC.name);
    await rig.s.waitFor(() => rig.journalExists(), 5000, "the journal");
    p.kill("SIGKILL");
    await p.exited;
    const status = await rig.mwan("status");
    // The first line, wrapped at 80 columns.
    expect(status.stdout.replaceAll("\n  ", " ").split("\n")[0]).toBe(
      `the switch ${PRIMARY.name} -> ${STATIC.name} was cut short: IPFire's RED files may be half-switched; run mwan recover`,
    );
    expect(status.stdout).toMatch(
      new RegExp(`^interrupted ${PRIMARY.name} -> ${STATIC.name} at \\d{4}-`, "m"),
    );
    expect(status.code).toBe(1);
    rig.configure({});
    await rig.idle(10_000);
    expect((await rig.mwan("recover")).code).toBe(0);
    expect((await rig.mwan("status")).stdout).not.toMatch(/^interrupted|cut short/m);
  },
  SLOW,
);

test(
  "network stop red past SWITCH_DOWN_TIMEOUT is killed, never left to run beside what comes next",
  async () => {
    await backOnPrimary();
    // STATIC's stop (the red script's ip route del / addr flush) takes 4 s.
    rig.configure({ stopDelay: 4 });
    await rig.ok("switch", STATIC.name);
    await rig.ok("config", "set", "SWITCH_DOWN_TIMEOUT", "1");
    try {
      const r = await rig.mwan("switch", PRIMARY.name);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("network stop red did not finish within 1 s (killed)");
      // Nothing of the killed runs is left, and none ran beside another.
      expect(rig.procs().filter((p) => ["network", "red"].includes(p.comm))).toEqual([]);
      expect(rig.s.events("network", "concurrent")).toEqual([]);
      expect(holdsProblems(rig.files(), STATIC, STATIC.ifname)).toEqual([]);
      expect(upProblems(rig, STATIC, STATIC.ifname)).toEqual([]);
      await Bun.sleep(4500); // when a stop left running would have torn RED down
      expect(upProblems(rig, STATIC, STATIC.ifname)).toEqual([]);
      expect(rig.s.events("network", "concurrent")).toEqual([]);
    } finally {
      await rig.ok("config", "set", "SWITCH_DOWN_TIMEOUT", "30");
      rig.configure({});
    }
  },
  SLOW,
);

test(
  "a profile cannot be deleted while a switch runs, nor the one RED is on after it",
  async () => {
    await backOnPrimary();
    rig.configure({ delay: 1.5 });
    const p = rig.spawn("switch", STATIC.name);
    await waitForLock();
    const during = await rig.mwan("profile", "delete", STATIC.name, "--yes");
    expect(during.code).toBe(1);
    expect(during.stderr).toContain("is switching RED; try again when it is done");
    expect(await p.exited).toBe(0);
    const after = await rig.mwan("profile", "delete", STATIC.name, "--yes");
    expect(after.code).toBe(3);
    expect(after.stderr).toContain("RED is using this profile now");
    expect(existsSync(rig.s.path(`var/ipfire/mwan/profiles/${STATIC.name}`))).toBe(true);
  },
  SLOW,
);

// ppp/settings holds a PPPoE profile's PASSWORD: one mwan creates is 0600,
// and the web interface's (nobody's, like its directory).
test(
  "a ppp/settings that did not exist is created 0600, owned like its directory",
  async () => {
    await backOnPrimary();
    for (const f of ["settings", "settings-1"]) rmSync(rig.s.path(`var/ipfire/ppp/${f}`));
    const dir = statSync(rig.s.path("var/ipfire/ppp"));
    await rig.ok("switch", PPPOE.name);
    const st = lstatSync(rig.s.path("var/ipfire/ppp/settings"));
    expect({ mode: (st.mode & 0o777).toString(8), uid: st.uid, gid: st.gid }).toEqual({
      mode: "600",
      uid: dir.uid,
      gid: dir.gid,
    });
    await rig.ok("switch", PRIMARY.name);
  },
  SLOW,
);
