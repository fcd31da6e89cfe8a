// TEST CODE: NICs are found by MAC (contract §0.10). A profile whose NIC is
// absent is refused before anything is torn down; a NIC that udev named
// differently on this boot is used under its new name.

import { afterEach, beforeEach, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
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

// Power lost between two of a switch's writes. At boot udev names NICs after
// the ethernet/settings on disk, which names the backup's NIC: the primary's
// NIC keeps a kernel name. The init script's `recover --files-only` (before
// S20network) rolls the files back under that name and leaves starting RED
// to S20network.
test("a switch cut short by a power loss is put right at boot, under this boot's NIC names", async () => {
  const original = rig.files();
  rig.configure({ delay: 1 });
  const sw = rig.spawn("switch", STATIC.name);
  const journal = () => JSON.parse(rig.read("var/ipfire/mwan/state/journal") || "null");
  await rig.s.waitFor(() => journal()?.phase === "written", 10_000, "the files written");
  sw.kill("SIGKILL");
  await sw.exited;
  // The power loss: nothing of the switch runs on, and the cut came before the last write.
  for (const pid of journal().children as number[]) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  writeFileSync(
    rig.s.path("var/ipfire/mwan/state/journal"),
    JSON.stringify({ ...journal(), phase: "writing" }),
  );
  rig.configure({ delay: 0.05 });
  await rig.idle();
  rmSync(rig.s.path("var/ipfire/red/active"), { force: true }); // cleanfs at boot
  rig.renameDevice(PRIMARY.ifname, "eth0");

  const runs = rig.networkRuns().length;
  const r = await rig.mwan("recover", "--files-only");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("interrupted switch rolled back: on dsl (RED is started by IPFire)");
  expect(rig.networkRuns(runs)).toEqual([]);
  expect(rig.journalExists()).toBe(false);
  expect(rig.activeProfile()).toBe(PRIMARY.name);
  expect(rig.files().ethernet).toBe(original.ethernet.replace(/^RED_DEV=red0$/m, "RED_DEV=eth0"));

  await rig.s.runScript(rig.s.network, "start", "red"); // S20network
  expect(upProblems(rig, PRIMARY, "eth0")).toEqual([]);
}, 30_000);
