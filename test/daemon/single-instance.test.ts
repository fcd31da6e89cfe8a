// One daemon per firewall: the pid file (`PID STARTTIME BOOTID NONCE`) is the lock. A file
// whose owner is gone (kill -9, power loss, a PID reused by another program)
// must not keep mwan from starting again.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { EXIT, expectExit } from "../helpers/expect-cli.ts";
import { skipNetTests } from "../net/netns.ts";
import { alive, DaemonRig, startTime } from "./rig.ts";

describe.skipIf(skipNetTests())("one daemon at a time", () => {
  let rig: DaemonRig;
  beforeAll(async () => {
    rig = await DaemonRig.create();
  });
  afterAll(() => rig?.cleanup());

  // Writes the pid file, starts a daemon and says what became of it.
  async function startOver(pidFile: string): Promise<number> {
    writeFileSync(rig.path("var/run/mwan.pid"), pidFile);
    const pid = await rig.start(false);
    expect(rig.read("var/run/mwan.pid")).toMatch(
      new RegExp(`^${pid} ${startTime(pid)} \\S+ [0-9a-f]{16}\n$`),
    );
    await rig.ok("daemon", "stop");
    return pid;
  }

  test("a second daemon run exits non-zero and names the running one", async () => {
    const pid = await rig.start(false);
    const second = rig.foreground();
    const [code, stderr] = await Promise.all([second.exited, new Response(second.stderr).text()]);
    expect(code).toBe(EXIT.failure);
    expect(stderr).toContain(`already running (pid ${pid})`);
    expect(rig.daemonPid()).toBe(pid);
    // `daemon start` with one running reports that one instead of a second.
    const again = await rig.mwan("daemon", "start");
    expect(again.stdout).toContain(`running (pid ${pid})`);
    await rig.ok("daemon", "stop");
  });

  test("a pid file of a dead process is taken over", async () => {
    const dead = Bun.spawn(["true"]);
    await dead.exited;
    expect(alive(dead.pid)).toBe(false);
    await startOver(`${dead.pid} 12345\n`);
  });

  test("a pid file naming a live PID with another start time is taken over", async () => {
    const other = Bun.spawn(["sleep", "30"]);
    try {
      await startOver(`${other.pid} ${Number(startTime(other.pid)) + 1}\n`);
      expect(alive(other.pid)).toBe(true); // and nothing was done to it
    } finally {
      other.kill();
    }
  });

  test("a pid file without a start time (a PID alone) is taken over", async () => {
    await startOver(`${process.pid}\n`);
    expect(alive(process.pid)).toBe(true);
  });

  test("a failed start leaves no pid file", async () => {
    const settings = rig.read("var/ipfire/mwan/settings") as string;
    writeFileSync(rig.path("var/ipfire/mwan/settings"), `${settings}garbage\n`);
    try {
      const r = await rig.mwan("daemon", "start");
      // The reason, as the daemon logged it, and exit 3: its configuration is invalid.
      expectExit(r, EXIT.config);
      expect(r.stderr).toMatch(/^mwan: the daemon did not start: settings:\d+: not a KEY=VALUE line \(see /);
      expect(rig.read("var/run/mwan.pid")).toBeUndefined();
      expect(rig.log()).toMatch(/ERROR +not started: settings:\d+: not a KEY=VALUE line/);
    } finally {
      writeFileSync(rig.path("var/ipfire/mwan/settings"), settings);
    }
  });
});
