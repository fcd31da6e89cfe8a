// The side watch in the daemon, against the stand-in: the STATIC standby
// cable is watched from the side while RED stays on dsl. The stand-in's ip
// knows links only, so cable's side path cannot be built here (real paths are
// test/net/side-*.test.ts and test/site): what is tested is that the daemon
// says so once, shows it in the status, `mwan profile test` reports it, and
// RED is never touched.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { skipNetTests } from "../net/netns.ts";
import { CABLE, DaemonRig, PRIMARY } from "./rig.ts";

describe.skipIf(skipNetTests())("the side watch of a standby whose path cannot be built", () => {
  let rig: DaemonRig;
  beforeAll(async () => {
    rig = await DaemonRig.create({ settings: { SIDE_WATCH: "on" } });
  }, 30_000);
  afterAll(() => rig?.cleanup());

  const cable = () => rig.snapshot()?.side?.[CABLE.name];

  test("cable's watch is unavailable, with why, logged once; mwan status says it on cable's line; RED untouched", async () => {
    const red = rig.redFiles();
    await rig.start();
    await rig.waitFor(() => cable()?.status === "unavailable", 15_000, "cable's side watch unavailable");
    expect(cable()).toMatchObject({ mode: "probes", health: "unproven" });
    expect(cable()?.statusReason).toContain(CABLE.ifname);
    const s = await rig.mwan("status");
    expect(s.stdout).toMatch(
      new RegExp(`^ {2}${CABLE.name} +backup \\d+ +standby, side watch unavailable: `, "m"),
    );
    await Bun.sleep(3000); // more rounds of the watcher's retries
    expect(rig.log().match(/cable: side watch cannot run/g)?.length).toBe(1);
    expect(rig.redFiles()).toEqual(red);
    expect(rig.snapshot()?.active).toBe(PRIMARY.name);
  }, 30_000);

  test("a reload keeps the watch: the engine hears cable's watch again, and it is not rebuilt or logged twice", async () => {
    const mark = rig.log().length;
    const since = cable()?.statusSince as number;
    await rig.ok("config", "set", "LOG_LEVEL", "info"); // a SIGHUP, and waits for it
    // status.json is written every 2 s; the reload's own write comes first.
    await Bun.sleep(2500);
    expect(cable()).toMatchObject({ status: "unavailable", mode: "probes" });
    expect(cable()?.statusSince).toBeGreaterThanOrEqual(since);
    expect(rig.log().slice(mark)).not.toMatch(/cable: side watch cannot run/);
  }, 30_000);

  test("a reload that changes cable's settings rebuilds its watch", async () => {
    const mark = rig.log().length;
    await rig.ok("profile", "edit", CABLE.name, "--description", "renamed");
    await rig.waitFor(
      () => /cable: side watch cannot run/.test(rig.log().slice(mark)),
      15_000,
      "cable's watch built afresh",
    );
    await rig.waitFor(() => cable()?.status === "unavailable", 5000, "cable's new watch in the status");
  }, 30_000);

  test("mwan profile test: no path for cable (exit 3, why), the daemon's or its own; RED's profile refused", async () => {
    const live = await rig.mwan("profile", "test", CABLE.name, "--rounds", "1");
    expect(live.code).toBe(3);
    expect(live.stdout).toMatch(/verdict: no side path: /);
    const onRed = await rig.mwan("profile", "test", PRIMARY.name);
    expect(onRed.code).toBe(2);
    expect(onRed.stderr).toContain(`${PRIMARY.name} carries RED`);
    await rig.ok("daemon", "stop");
    const red = rig.redFiles();
    const own = await rig.mwan("profile", "test", CABLE.name, "--rounds", "1", "--json");
    expect(own.code).toBe(3);
    expect(JSON.parse(own.stdout)).toMatchObject({ source: "test", built: false });
    expect(rig.redFiles()).toEqual(red);
  }, 30_000);
});
