// TEST CODE: when mwan must not switch (contract Appendix step 1): during
// shutdown, while another mwan holds the lock, and (it waits) while IPFire
// runs `network` itself. A lock whose owner is dead
// (or whose PID now belongs to another process) is taken over.

import { afterEach, beforeEach, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { holdsProblems, isRunning, PPPOE, PRIMARY, Rig, STATIC, upProblems } from "./rig.ts";

const SLOW = 30_000;
const LOCK = "var/ipfire/mwan/state/lock";

let rig: Rig;
beforeEach(async () => {
  rig = await Rig.create({ delay: 0.05 });
});
afterEach(() => rig?.cleanup());

function writeLock(text: string): void {
  mkdirSync(dirname(rig.s.path(LOCK)), { recursive: true });
  writeFileSync(rig.s.path(LOCK), text);
}

function runlevel(level: string): void {
  const p = rig.s.path("sbin/runlevel");
  writeFileSync(p, `#!/bin/sh\necho N ${level}\n`);
  chmodSync(p, 0o755);
}

for (const level of ["0", "6"]) {
  test(`runlevel ${level}: switch and failback are refused, nothing changes`, async () => {
    await rig.ok("switch", STATIC.name);
    await rig.idle();
    runlevel(level);
    const runs = rig.networkRuns().length;
    const tree = rig.tree();
    for (const args of [["switch", PPPOE.name], ["failback"]]) {
      const r = await rig.mwan(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`runlevel ${level}`);
    }
    expect(rig.networkRuns(runs)).toEqual([]);
    expect(rig.tree()).toEqual(tree);
    expect(upProblems(rig, STATIC, STATIC.ifname)).toEqual([]);
  });
}

test("runlevel 3: switching is allowed", async () => {
  runlevel("3");
  expect((await rig.mwan("switch", STATIC.name)).code).toBe(0);
});

test(
  "a second switch while one is running is refused; the first completes",
  async () => {
    rig.configure({ delay: 2 });
    const first = rig.spawn("switch", STATIC.name);
    await rig.s.waitFor(() => existsSync(rig.s.path(LOCK)), 5000, "the lock");
    const runs = rig.networkRuns().length;

    for (const args of [["switch", PPPOE.name], ["failback"], ["recover"]]) {
      const r = await rig.mwan(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`another mwan \\(pid ${first.pid}\\) is switching`));
    }
    expect(await first.exited).toBe(0);
    // The refused ones ran nothing: only the first switch's stop and start.
    expect(rig.networkRuns(runs).length).toBeLessThanOrEqual(2);
    expect(rig.s.events("network", "concurrent")).toEqual([]);
    expect(upProblems(rig, STATIC, STATIC.ifname)).toEqual([]);
    expect(existsSync(rig.s.path(LOCK))).toBe(false);
  },
  SLOW,
);

// IPFire has no lock of its own (contract §0.9). At boot S19mwan starts the
// daemon before S20network, so a dead primary's failover can come while rc
// is still in S20network's `red start` (dhcpcd waits up to 60 s).
test(
  "a network run mwan did not start (rc's S20network) ends before mwan runs its own",
  async () => {
    await rig.s.runScript(rig.s.path("etc/rc.d/init.d/network"), "stop", "red");
    const link = rig.s.path("etc/rc.d/rc3.d/S20network");
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync("../init.d/network", link);
    rig.configure({ delay: 2 });
    const boot = rig.s.spawnScript(link, "start");
    await rig.s.waitFor(() => rig.s.events("network", "invoke").length > 0, 5000, "S20network running");
    const r = await rig.ok("switch", STATIC.name);
    expect(r.stdout).toMatch(/ wait for IPFire's network run \(waited for pid \d+[\d, ]*\)/);
    expect(await boot.exited).toBe(0);
    expect(rig.s.events("network", "concurrent")).toEqual([]);
    expect(upProblems(rig, STATIC, STATIC.ifname)).toEqual([]);
  },
  SLOW,
);

// A PID that no process has: past every PID the kernel hands out now.
function deadPid(): number {
  const max = Number(readFileSync("/proc/sys/kernel/pid_max", "utf8"));
  for (let pid = max - 1; pid > 1; pid--) if (!isRunning(pid)) return pid;
  throw new Error("no free PID");
}

test("a stale lock (dead owner) is taken over", async () => {
  writeLock(`${deadPid()} 12345\n`);
  const r = await rig.mwan("switch", STATIC.name);
  expect(r.code).toBe(0);
  expect(holdsProblems(rig.files(), STATIC, STATIC.ifname)).toEqual([]);
  expect(existsSync(rig.s.path(LOCK))).toBe(false);
});

test("a lock whose PID was reused by another process is taken over", async () => {
  // Our own PID is alive, but its start time is not the one recorded.
  writeLock(`${process.pid} 1\n`);
  expect((await rig.mwan("failback")).code).toBe(0);
  expect((await rig.mwan("switch", STATIC.name)).code).toBe(0);
  expect(upProblems(rig, STATIC, STATIC.ifname)).toEqual([]);
  expect(rig.activeProfile()).not.toBe(PRIMARY.name);
});
