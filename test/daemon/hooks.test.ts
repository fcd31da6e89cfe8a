// The red.up/red.down hooks (contract §0.5, §2): run synchronously inside
// dhcpcd's, pppd's or the initscript's hook run, so they must return at once,
// and they only poke the daemon: never start one, never stop one, and stay
// out of the way while mwan itself is switching RED.

import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { run } from "../helpers/run-bin.ts";
import { skipNetTests } from "../net/netns.ts";
import { alive, CABLE, DaemonRig, eventually, hookLink } from "./rig.ts";

const FAST_MS = 1000; // a hook that waits for anything is caught; the median is in test/bench/hook-latency.ts
const HOOKS = [
  ["red.up", "up"],
  ["red.down", "down"],
] as const;

// As run_subdir does it: the link's full path as argv[0], up/down as argv[1].
function callHook(root: string, dir: "red.up" | "red.down", event: string) {
  return run([event], { exe: hookLink(root, dir), root });
}

// The real daemon logs every SIGUSR1 at debug level, so the log says what a
// hook did: the pid file names a daemon only while it is a live root mwan
// process of the same executable, so no stand-in can take its place.
describe.skipIf(skipNetTests())("hooks and what the daemon hears", () => {
  let rig: DaemonRig;
  const heard = (mark: number) =>
    Buffer.from(rig.log())
      .subarray(mark)
      .toString()
      .split("\n")
      .filter((l) => l.includes("SIGUSR1")).length;
  beforeAll(async () => {
    rig = await DaemonRig.create({ settings: { LOG_LEVEL: "debug" }, delay: 1 });
    await rig.start();
  });
  afterEach(() => {
    for (const f of ["journal", "lock"]) rmSync(rig.path(`var/ipfire/mwan/state/${f}`), { force: true });
  });
  afterAll(() => rig?.cleanup());

  test("up and down each send the daemon one SIGUSR1 and nothing else", async () => {
    const pid = rig.daemonPid();
    for (const [dir, event] of HOOKS) {
      const mark = rig.logMark();
      const r = await callHook(rig.root, dir, event);
      expectOk(r);
      expect(r.ms).toBeLessThan(FAST_MS);
      expect(await eventually(() => heard(mark) === 1, 2000)).toBe(true);
      await Bun.sleep(200);
      expect(heard(mark)).toBe(1);
    }
    expect(rig.daemonPid()).toBe(pid);
    expect(rig.log()).not.toMatch(/reloaded|stopping/);
  });

  test("during the daemon's own switch (it holds state/lock) they do nothing at all", async () => {
    const mark = rig.logMark();
    const done = rig.mwan("switch", CABLE.name);
    await rig.waitLog(/network stop red/, 5000, mark);
    for (const [dir, event] of HOOKS) expectOk(await callHook(rig.root, dir, event));
    expectOk(await done);
    expect(heard(mark)).toBe(0);
    expectOk(await rig.mwan("failback"));
  }, 30_000);

  test("while a switch journal is there, they do nothing at all", async () => {
    mkdirSync(rig.path("var/ipfire/mwan/state"), { recursive: true });
    writeFileSync(rig.path("var/ipfire/mwan/state/journal"), "{}");
    const mark = rig.logMark();
    await expectUntouched(rig.path("var/ipfire"), async () => {
      for (const [dir, event] of HOOKS) {
        const r = await callHook(rig.root, dir, event);
        expectOk(r);
        expect(r.ms).toBeLessThan(FAST_MS);
      }
    });
    await Bun.sleep(300); // a signal would have been logged by now
    expect(heard(mark)).toBe(0);
  });

  test("a lock left by a dead switch does not silence them", async () => {
    const dead = Bun.spawn(["true"]);
    await dead.exited;
    writeFileSync(rig.path("var/ipfire/mwan/state/lock"), `${dead.pid} 1\n`);
    const mark = rig.logMark();
    expectOk(await callHook(rig.root, "red.up", "up"));
    expect(await eventually(() => heard(mark) === 1, 2000)).toBe(true);
  });
});

describe.skipIf(skipNetTests())("hooks and the real daemon", () => {
  let rig: DaemonRig;
  beforeAll(async () => {
    rig = await DaemonRig.create();
  });
  afterAll(() => rig?.cleanup());

  test("with no daemon running, they start none", async () => {
    for (const [dir, event] of HOOKS) {
      const r = await callHook(rig.root, dir, event);
      expectOk(r);
      expect(r.ms).toBeLessThan(FAST_MS);
    }
    await Bun.sleep(500);
    expect(rig.read("var/run/mwan.pid")).toBeUndefined();
    expect(rig.read("var/log/mwan.log")).toBeUndefined();
  });

  test("20 calls leave the running daemon running, the same process, still publishing", async () => {
    const pid = await rig.start();
    for (let i = 0; i < 10; i++)
      for (const [dir, event] of HOOKS) {
        const r = await callHook(rig.root, dir, event);
        expectOk(r);
        expect(r.ms).toBeLessThan(FAST_MS);
      }
    expect(rig.daemonPid()).toBe(pid);
    const since = Date.now();
    await rig.waitFor(() => (rig.snapshot()?.writtenAt ?? 0) > since, 3000, "a fresh status.json");
    expect(alive(pid)).toBe(true);
    expect(rig.snapshot()?.health.state).toBe("up");
    expect(rig.history()).toEqual([]);
  });
});
