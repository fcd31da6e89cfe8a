// The red.up/red.down hooks (contract §0.5, §2): run synchronously inside
// dhcpcd's, pppd's or the initscript's hook run, so they must return at once,
// and they only poke the daemon: never start one, never stop one, and stay
// out of the way while mwan itself is switching RED.

import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Subprocess } from "bun";
import { expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { run } from "../helpers/run-bin.ts";
import { Standin } from "../ipfire/standin.ts";
import { skipNetTests } from "../net/netns.ts";
import { alive, DaemonRig, eventually, hookLink, startTime } from "./rig.ts";

const FAST_MS = 1000; // a hook that waits for anything is caught; the median is in test/bench/hook-latency.ts
const HOOKS = [
  ["red.up", "up"],
  ["red.down", "down"],
] as const;

// As run_subdir does it: the link's full path as argv[0], up/down as argv[1].
function callHook(root: string, dir: "red.up" | "red.down", event: string) {
  return run([event], { exe: hookLink(root, dir), root });
}

describe("hooks and a daemon that only records signals", () => {
  let s: Standin;
  let fake: Subprocess;
  let sleeper: Subprocess;
  const got = () => readFileSync(s.path("signals"), "utf8");

  // A stand-in for the daemon: it owns the pid file and writes down every
  // signal it gets, which the real daemon cannot show (SIGUSR1 only makes
  // it read RED's facts again). It runs under bun, which mwan's pid file
  // check accepts as mwan (from source); a bash stand-in would be refused.
  beforeAll(async () => {
    s = await Standin.install({ delay: 0.05 });
    writeFileSync(s.path("signals"), "");
    const record = `const f = ${JSON.stringify(s.path("signals"))};
      for (const sig of ["USR1", "USR2", "HUP", "TERM"])
        process.on("SIG" + sig, () => require("node:fs").appendFileSync(f, sig + "\\n"));
      setInterval(() => {}, 1000);`;
    fake = Bun.spawn([process.execPath, "-e", record]);
    await Bun.sleep(300); // bun has installed its handlers
    mkdirSync(s.path("var/run"), { recursive: true });
    writeFileSync(s.path("var/run/mwan.pid"), `${fake.pid} ${startTime(fake.pid)}\n`);
    // The switch holding the lock: an mwan-like process (bun), as lock owners must be.
    sleeper = Bun.spawn([process.execPath, "-e", "setTimeout(() => {}, 60_000)"]);
  });
  afterEach(() => {
    rmSync(s.path("var/ipfire/mwan/state"), { recursive: true, force: true });
    writeFileSync(s.path("signals"), "");
  });
  afterAll(async () => {
    fake?.kill("SIGKILL");
    sleeper?.kill("SIGKILL");
    await s?.cleanup();
  });

  test("up and down send the daemon SIGUSR1 and nothing else", async () => {
    for (const [dir, event] of HOOKS) {
      writeFileSync(s.path("signals"), "");
      const r = await callHook(s.root, dir, event);
      expectOk(r);
      expect(r.ms).toBeLessThan(FAST_MS);
      // One at a time: two pending USR1 would be delivered as one.
      expect(await eventually(() => got() === "USR1\n", 1000)).toBe(true);
    }
    await Bun.sleep(100);
    expect(got()).toBe("USR1\n");
  });

  for (const [what, rel, text] of [
    [
      "a switch holds state/lock",
      "var/ipfire/mwan/state/lock",
      () => `${sleeper.pid} ${startTime(sleeper.pid)}\n`,
    ],
    ["a switch journal is there", "var/ipfire/mwan/state/journal", () => "{}"],
  ] as const) {
    test(`while ${what}, they do nothing at all`, async () => {
      const file = s.path(rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text());
      await expectUntouched(s.root, async () => {
        for (const [dir, event] of HOOKS) {
          const r = await callHook(s.root, dir, event);
          expectOk(r);
          expect(r.ms).toBeLessThan(FAST_MS);
        }
      });
      await Bun.sleep(300); // a signal would have been written down by now
      expect(got()).toBe("");
    });
  }

  test("a lock left by a dead switch does not silence them", async () => {
    const dead = Bun.spawn(["true"]);
    await dead.exited;
    const lock = s.path("var/ipfire/mwan/state/lock");
    mkdirSync(dirname(lock), { recursive: true });
    writeFileSync(lock, `${dead.pid} 1\n`);
    expectOk(await callHook(s.root, "red.up", "up"));
    expect(await eventually(() => got() === "USR1\n", 1000)).toBe(true);
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
