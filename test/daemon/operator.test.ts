// `mwan switch` and `mwan failback` while the daemon runs: the daemon owns
// RED then, so the commands go through it (and its engine records why)
// instead of racing it with a switch of their own.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectOk } from "../helpers/expect-cli.ts";
import { skipNetTests } from "../net/netns.ts";
import { CABLE, DaemonRig, PRIMARY } from "./rig.ts";

// Short, so that a trial, were one planned despite the hold, would show.
const FAILBACK_DELAY_S = 5;

describe.skipIf(skipNetTests())("operator commands through the running daemon", () => {
  let rig: DaemonRig;
  let pid: number;
  beforeAll(async () => {
    rig = await DaemonRig.create({ settings: { FAILBACK_DELAY: `${FAILBACK_DELAY_S}` } });
    pid = await rig.start();
  });
  afterAll(() => rig?.cleanup());

  test("mwan switch cable: the daemon switches, and the history says the operator asked", async () => {
    const mark = rig.logMark();
    const r = await rig.mwan("switch", CABLE.name);
    expectOk(r);
    expect(r.stdout).toContain("asked the daemon");
    expect(r.stdout).toContain(`RED is on ${CABLE.name}`);
    // The log says what the admin asked in words, not as the command's JSON.
    expect(await rig.waitLog(/ admin: /, 1000, mark)).toContain(
      `admin: switch to ${CABLE.name} (held there until mwan resume)`,
    );
    const entry = rig.history().at(-1);
    expect(entry).toMatchObject({ from: PRIMARY.name, to: CABLE.name, ok: true });
    expect(entry?.reason).toMatch(/^operator/);
    expect(rig.heldProfile()).toBe(CABLE.name);
    expect(rig.daemonPid()).toBe(pid);
    await rig.waitFor(() => rig.snapshot()?.active === CABLE.name, 3000, "status.json on cable");
    expect(rig.snapshot()?.hold).toBe(true);
  });

  test("switched by hand, RED stays there: no failback trial", async () => {
    const n = rig.history().length;
    await Bun.sleep((FAILBACK_DELAY_S + 3) * 1000);
    expect(rig.history().slice(n)).toEqual([]);
    expect(rig.snapshot()).toMatchObject({ active: CABLE.name, hold: true });
  }, 20_000);

  test("mwan failback: back on dsl through the daemon", async () => {
    const n = rig.history().length;
    const r = await rig.mwan("failback");
    expectOk(r);
    expect(r.stdout).toContain(`RED is on ${PRIMARY.name}`);
    const added = rig.history().slice(n);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ from: CABLE.name, to: PRIMARY.name, ok: true });
    expect(added[0]?.reason).toContain("operator");
    expect(rig.heldProfile()).toBe(PRIMARY.name);
    await rig.waitFor(() => rig.snapshot()?.active === PRIMARY.name, 3000, "status.json on dsl");
    expect(rig.snapshot()?.hold).toBe(false);
    expect(rig.daemonPid()).toBe(pid);
  });
});
