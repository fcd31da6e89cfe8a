// TEST CODE: NICs are found by MAC (contract §0.10). A profile whose NIC is
// absent is refused before anything is torn down; a NIC that udev named
// differently on this boot is used under its new name.

import { afterEach, beforeEach, expect, test } from "bun:test";
import {
  DHCP2,
  holdsProblems,
  PPPOE,
  PRIMARY,
  type ProfileSpec,
  QMI,
  RED_KEYS_ETHERNET,
  Rig,
  STATIC,
  unownedLines,
  upProblems,
} from "./rig.ts";

let rig: Rig;
beforeEach(async () => {
  rig = await Rig.create({ delay: 0.05 });
});
afterEach(() => rig?.cleanup());

// Refused with exit 1, naming the MAC, with no `network` run and not one byte changed.
async function expectRefused(args: string[], p: ProfileSpec): Promise<void> {
  await rig.idle();
  const runs = rig.networkRuns().length;
  const tree = rig.tree();
  const r = await rig.mwan(...args);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(p.mac);
  expect(rig.networkRuns(runs)).toEqual([]);
  expect(rig.tree()).toEqual(tree);
  expect(rig.s.redState().active).toBe(true);
}

test("a backup whose NIC is absent is refused before RED is touched", async () => {
  for (const p of [DHCP2, STATIC, PPPOE, QMI]) {
    rig.removeDevice(p.ifname);
    await expectRefused(["switch", p.name], p);
    expect(holdsProblems(rig.files(), PRIMARY, PRIMARY.ifname)).toEqual([]);
  }
});

test("failback with the primary's NIC absent leaves RED on the backup", async () => {
  await rig.ok("switch", STATIC.name);
  rig.removeDevice(PRIMARY.ifname);
  await expectRefused(["failback"], PRIMARY);
  expect(upProblems(rig, STATIC, STATIC.ifname)).toEqual([]);
});

test("renamed NICs are found by MAC and RED_DEV gets the new name", async () => {
  for (const [p, name] of [
    [STATIC, "eth9"],
    [QMI, "wwan5"],
    [PPPOE, "enp3s0"],
  ] as const) {
    rig.renameDevice(p.ifname, name);
    const before = rig.files();
    const r = await rig.mwan("switch", p.name);
    expect(r.code).toBe(0);
    expect(holdsProblems(rig.files(), p, name)).toEqual([]);
    expect(upProblems(rig, p, name)).toEqual([]);
    expect(unownedLines(rig.files().ethernet, RED_KEYS_ETHERNET)).toEqual(
      unownedLines(before.ethernet, RED_KEYS_ETHERNET),
    );
  }
});

test("failback to a primary NIC renamed at boot (booted on a backup)", async () => {
  const original = rig.files();
  await rig.ok("switch", STATIC.name);
  await rig.idle();
  // As if IPFire had booted on STATIC: udev named the primary's NIC eth7.
  await rig.s.runScript(rig.s.network, "stop", "red");
  rig.renameDevice(PRIMARY.ifname, "eth7");
  await rig.s.runScript(rig.s.network, "start", "red");

  const r = await rig.mwan("failback");
  expect(r.code).toBe(0);
  const now = rig.files();
  expect(holdsProblems(now, PRIMARY, "eth7")).toEqual([]);
  expect(upProblems(rig, PRIMARY, "eth7")).toEqual([]);
  // Only RED_DEV differs from the primary's original file.
  expect(now.ethernet).toBe(original.ethernet.replace(/^RED_DEV=red0$/m, "RED_DEV=eth7"));
});
