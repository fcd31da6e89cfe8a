// A daemon stopped in the middle of a failover. Killed outright (kill -9,
// OOM, power loss), the next start must finish or undo the switch before
// anything else; asked to stop (SIGTERM, shutdown), it must finish the switch
// first. Either way IPFire's files end up holding one whole profile.

import { afterEach, describe, expect, test } from "bun:test";
import { EXIT } from "../helpers/expect-cli.ts";
import { skipNetTests } from "../net/netns.ts";
import { CABLE, DaemonRig, PRIMARY } from "./rig.ts";

// Slow enough that the test can hit the switch in the middle.
const SLOW = { delay: 2 };

describe.skipIf(skipNetTests())("a switch interrupted", () => {
  let rig: DaemonRig | undefined;
  afterEach(async () => {
    await rig?.cleanup();
    rig = undefined;
  });

  // Black hole on dsl; resolves once the failover has rewritten IPFire's
  // files and `network start red` for cable is under way.
  async function midSwitch(r: DaemonRig): Promise<void> {
    const mark = r.logMark();
    await r.blackHole(true);
    await r.waitLog(/ write settings /, 15_000, mark);
    await Bun.sleep(300);
    expect(r.read("var/ipfire/mwan/state/journal")).toBeDefined();
  }

  test("kill -9 mid-switch: the next start completes or rolls it back", async () => {
    rig = await DaemonRig.create(SLOW);
    const old = await rig.start();
    await midSwitch(rig);
    process.kill(old, "SIGKILL");
    await rig.blackHole(false); // whichever profile recovery picks must work

    const mark = rig.logMark();
    const pid = await rig.start(false);
    expect(pid).not.toBe(old);
    const line = await rig.waitLog(/WARN +interrupted switch /, 30_000, mark);
    expect(line).toMatch(/interrupted switch (completed|rolled back): RED is on (dsl|cable)$/);
    const on = /RED is on (\w+)/.exec(line)?.[1];

    expect(rig.read("var/ipfire/mwan/state/journal")).toBeUndefined();
    expect(rig.heldProfile()).toBe(on);
    expect(rig.read("var/ipfire/mwan/state/active")?.trim() ?? PRIMARY.name).toBe(on as string);
    // The new daemon took over from there and says so in a fresh status.
    const since = Date.now();
    await rig.waitFor(() => (rig?.snapshot()?.writtenAt ?? 0) > since, 5000, "a fresh status.json");
    expect(rig.snapshot()).toMatchObject({ pid, active: on });
    await rig.waitLog(new RegExp(`${on} is up: `), 15_000, mark);
    expect(rig.s.redState().active).toBe(true);
  });

  // The pid file is taken before the recovery, so `mwan config set` (SIGHUP),
  // a hook (SIGUSR1), `mwan switch` (SIGUSR2) and K40mwan at shutdown
  // (SIGTERM) can all reach a daemon that is still recovering.
  test("signals while the next start recovers: none kills it, SIGTERM waits for the recovery", async () => {
    rig = await DaemonRig.create(SLOW);
    const old = await rig.start();
    await midSwitch(rig);
    process.kill(old, "SIGKILL");
    await rig.blackHole(false);

    const mark = rig.logMark();
    const daemon = rig.foreground();
    await rig.waitFor(() => rig?.daemonPid() === daemon.pid, 10_000, "the new daemon's pid file");
    expect(rig.read("var/ipfire/mwan/state/journal")).toBeDefined(); // still recovering
    for (const sig of ["SIGHUP", "SIGUSR1", "SIGUSR2", "SIGTERM"] as const) daemon.kill(sig);
    expect(await daemon.exited).toBe(EXIT.ok);
    const log = Buffer.from(rig.log()).subarray(mark).toString();
    expect(log).toMatch(/interrupted switch (completed|rolled back): RED is on (dsl|cable)\n/);
    expect(log.indexOf("SIGTERM: stopping")).toBeGreaterThan(log.indexOf("interrupted switch"));
    expect(rig.read("var/ipfire/mwan/state/journal")).toBeUndefined();
    expect(rig.s.redState().active).toBe(true);
    expect(rig.s.events("network", "concurrent")).toEqual([]);
  });

  test("SIGTERM mid-switch: the daemon finishes the switch, then exits 0", async () => {
    rig = await DaemonRig.create(SLOW);
    const daemon = rig.foreground();
    await rig.waitLog(/ is up: /, 10_000);
    expect(rig.daemonPid()).toBe(daemon.pid);
    await midSwitch(rig);

    daemon.kill("SIGTERM");
    expect(await daemon.exited).toBe(EXIT.ok);
    const log = rig.log();
    expect(log).toMatch(/INFO +SIGTERM: stopping after the switch in progress/);
    // The switch's last step comes before "stopped".
    const started = log.indexOf("network start red (eth1");
    expect(started).toBeGreaterThan(-1);
    expect(log.indexOf(" stopped\n", started)).toBeGreaterThan(started);

    expect(rig.heldProfile()).toBe(CABLE.name);
    expect(rig.read("var/ipfire/mwan/state/active")?.trim()).toBe(CABLE.name);
    expect(rig.read("var/ipfire/mwan/state/journal")).toBeUndefined();
    expect(rig.s.redState()).toMatchObject({ active: true, iface: CABLE.ifname, local: CABLE.lease.ip });
    expect(rig.history().at(-1)).toMatchObject({ from: PRIMARY.name, to: CABLE.name, ok: true });
    expect(rig.read("var/run/mwan.pid")).toBeUndefined();
  });
});
