// Without mwan nothing brings RED back to the primary, so uninstall refuses
// while RED is on a backup, unless told to fail back first. Nothing would
// recover a switch that died halfway either, so uninstall refuses while one
// is unfinished, unless --failback (which recovers it first).

import { afterEach, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, expectError, expectOk } from "../helpers/expect-cli.ts";
import { snapshot } from "../helpers/temp-root.ts";
import type { Standin } from "../ipfire/standin.ts";
import { BIN, cleanupRoots, ipfireRoot, ipfireStandin, mwan, OFFICE } from "./rig.ts";

afterEach(cleanupRoots);

// Installed and configured, with RED recorded as on the backup "office".
async function onBackup(): Promise<string> {
  const root = await ipfireRoot();
  expectOk(await mwan(root, ["install"]));
  expectOk(await mwan(root, ["profile", "import-current", "home"]));
  const mwanDir = join(root, "var/ipfire/mwan");
  writeFileSync(join(mwanDir, "profiles/office"), OFFICE, { mode: 0o600 });
  writeFileSync(join(mwanDir, "state/active"), "office\n");
  return root;
}

test("uninstall refuses while RED is on a backup and removes nothing", async () => {
  const root = await onBackup();
  const before = snapshot(root);
  for (const args of [["uninstall"], ["uninstall", "--purge"]])
    expectError(
      await mwan(root, args),
      EXIT.failure,
      "RED is on backup profile office; run mwan failback first or pass --failback",
    );
  expect(snapshot(root)).toEqual(before);
});

test("uninstall --failback switches RED to the primary first", async () => {
  const root = await onBackup();
  const r = await mwan(root, ["uninstall", "--failback"]);
  expectOk(r);
  expect(r.stdout).toContain("switching RED back to the primary, home\n");
  expect(r.stdout.indexOf("network start red")).toBeLessThan(r.stdout.indexOf("removed "));
  expect(readFileSync(join(root, "var/ipfire/mwan/state/active"), "utf8").trim()).toBe("home");
  expect(existsSync(join(root, "var/ipfire/red/active"))).toBe(true);
  expect(existsSync(join(root, "usr/local/bin/mwan"))).toBe(false);
});

test("uninstall --failback stops when the failback fails", async () => {
  const root = await onBackup();
  writeFileSync(join(root, "var/ipfire/mwan/settings"), "PRIMARY=gone\n");
  writeFileSync(join(root, "var/ipfire/mwan/state/active"), "office\n");
  const before = snapshot(root);
  const r = await mwan(root, ["uninstall", "--failback"]);
  expect(r.code).not.toBe(EXIT.ok);
  expect(r.stderr).toContain("gone");
  expect(snapshot(root)).toEqual(before);
});

const ETHERNET = "var/ipfire/ethernet/settings";
const JOURNAL = "var/ipfire/mwan/state/journal";

// `mwan switch office` on a root whose STATIC bring-up hangs, caught once it
// has written office's settings and waits in `network start red`. The
// switch is still running; killing it (SIGKILL, as a power loss or kill -9
// would) leaves IPFire's files on office while mwan's state still says home.
async function switchHanging(): Promise<{
  s: Standin;
  switching: ReturnType<typeof Bun.spawn>;
  original: string;
}> {
  const s = await ipfireStandin();
  expectOk(await mwan(s.root, ["install"]));
  expectOk(await mwan(s.root, ["profile", "import-current", "home"]));
  s.device("eth1", { mac: "52:54:00:aa:bb:02" });
  writeFileSync(s.path("var/ipfire/mwan/profiles/office"), OFFICE, { mode: 0o600 });
  const original = readFileSync(s.path(ETHERNET), "utf8");
  s.configure({ delay: 0.05, hang: ["STATIC"] });
  const switching = Bun.spawn([BIN, "switch", "office"], {
    env: {
      PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
      NO_COLOR: "1",
      MWAN_ROOT: s.root,
      MWAN_STANDIN_ROOT: s.root, // standin-cleanup.sh kills it if the test fails
    },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "ignore",
    detached: true,
  });
  await s.waitFor(
    () =>
      s.readTrimmed(JOURNAL)?.includes(`"phase":"written"`) === true && s.events("red", "hang").length > 0,
    10_000,
    "the switch to hang in network start red with office's settings written",
  );
  return { s, switching, original };
}

async function interrupted(): Promise<{ s: Standin; original: string }> {
  const { s, switching, original } = await switchHanging();
  switching.kill("SIGKILL");
  await switching.exited;
  expect(readFileSync(s.path(ETHERNET), "utf8")).toContain("RED_TYPE=STATIC\n");
  // No state/active yet: mwan takes RED to be on the primary, home.
  expect(existsSync(s.path("var/ipfire/mwan/state/active"))).toBe(false);
  return { s, original };
}

test("uninstall refuses while a switch is in progress", async () => {
  const { s, switching } = await switchHanging();
  const before = snapshot(s.root);
  expectError(
    await mwan(s.root, ["uninstall"]),
    EXIT.failure,
    `another mwan (pid ${switching.pid}) is switching RED; try again when it is done`,
  );
  expect(snapshot(s.root)).toEqual(before);
});

test("uninstall refuses after an interrupted switch and removes nothing", async () => {
  const { s } = await interrupted();
  const before = snapshot(s.root);
  for (const args of [["uninstall"], ["uninstall", "--purge"]])
    expectError(
      await mwan(s.root, args),
      EXIT.failure,
      "state/journal: a switch was interrupted and IPFire's RED files may be half-switched; run mwan recover first or pass --failback",
    );
  expect(snapshot(s.root)).toEqual(before);
});

test("uninstall --failback recovers the interrupted switch, then fails back", async () => {
  const { s, original } = await interrupted();
  s.configure({ delay: 0.05 }); // office comes up now
  const r = await mwan(s.root, ["uninstall", "--failback"]);
  expectOk(r);
  const at = (text: string) => {
    const i = r.stdout.indexOf(text);
    if (i < 0) throw new Error(`${JSON.stringify(text)} not in:\n${r.stdout}`);
    return i;
  };
  // Completed onto office (all its files were written), so RED is on a backup.
  expect(at("interrupted switch completed: on office")).toBeLessThan(
    at("switching RED back to the primary, home\n"),
  );
  expect(at("switching RED back to the primary, home\n")).toBeLessThan(at("removed /usr/local/bin/mwan\n"));
  expect(readFileSync(s.path(ETHERNET), "utf8")).toBe(original);
  expect(s.redState()).toMatchObject({ active: true, iface: "red0" });
  expect(existsSync(s.path(JOURNAL))).toBe(false);
  expect(existsSync(s.path("usr/local/bin/mwan"))).toBe(false);
});
