// TEST CODE: `mwan switch --dry-run` and `mwan failback --dry-run` print every
// key the real switch then changes, and the commands, with passwords masked,
// and touch nothing below the root.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { parseSettings } from "../ipfire/standin.ts";
import { DHCP2, PPP_PASSWORD, PPPOE, PRIMARY, QMI, type RedFiles, Rig, STATIC } from "./rig.ts";

let rig: Rig;
beforeAll(async () => {
  rig = await Rig.create({ delay: 0.05 });
});
afterAll(() => rig?.cleanup());

const MASK = "********";

// "file: KEY" for every key whose value differs, as the dry run names them.
function changedKeys(a: RedFiles, b: RedFiles): string[] {
  const out: string[] = [];
  for (const [name, file] of [
    ["ethernet", "/var/ipfire/ethernet/settings"],
    ["ppp", "/var/ipfire/ppp/settings"],
  ] as const) {
    const x = parseSettings(a[name]);
    const y = parseSettings(b[name]);
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)]))
      if ((x[k] ?? "") !== (y[k] ?? "")) out.push(`${file}: ${k}:`);
  }
  if (a.secrets !== b.secrets) out.push("/var/ipfire/ppp/secrets: (credentials):");
  return out;
}

// Dry run, then the real thing: the dry run must have named every change.
async function dryThenReal(args: string[]): Promise<string> {
  await rig.idle();
  const tree = rig.tree();
  const dry = await rig.mwan(...args, "--dry-run");
  expect(dry.code).toBe(0);
  expect(rig.tree()).toEqual(tree);

  const beforeReal = rig.files();
  expect((await rig.mwan(...args)).code).toBe(0);
  const out = dry.stdout;
  for (const key of changedKeys(beforeReal, rig.files())) expect(out).toContain(key);
  expect(out).toContain("/etc/rc.d/init.d/network stop red");
  expect(out).toContain("/etc/rc.d/init.d/network start red");
  expect(out.indexOf("network stop red")).toBeLessThan(out.indexOf("network start red"));
  // No password in any form: the profile's, the GUI profile's, or pieces of them.
  for (const secret of [PPP_PASSWORD, "p a$s", "guipw"])
    expect(dry.stdout + dry.stderr).not.toContain(secret);
  return out;
}

test("dry runs from the primary to every other kind, and back", async () => {
  for (const to of [DHCP2, STATIC, QMI]) {
    const out = await dryThenReal(["switch", to.name]);
    expect(out).toContain(`${PRIMARY.name} -> ${to.name}`);
    expect(out).toContain(`RED_DEV: "red0" -> "${to.ifname}"`);
    await dryThenReal(["failback"]);
  }
});

test("PPPoE: the password and credentials are masked both ways", async () => {
  const there = await dryThenReal(["switch", PPPOE.name]);
  expect(there).toMatch(/\/var\/ipfire\/ppp\/settings: PASSWORD: \*{8} -> \*{8}/);
  expect(there).toContain(`/var/ipfire/ppp/secrets: (credentials): ${MASK}`);
  expect(there).toContain(`USERNAME: "gui@isp" -> "u@isp"`);
  const back = await dryThenReal(["failback"]);
  expect(back).toMatch(/PASSWORD: \*{8} -> \*{8}/);
});

test("a dry run to the profile RED is on says so and changes nothing", async () => {
  await rig.idle();
  const tree = rig.tree();
  const r = await rig.mwan("switch", PRIMARY.name, "--dry-run");
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("already on this profile");
  expect(rig.tree()).toEqual(tree);
});
