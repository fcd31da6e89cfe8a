// Without mwan nothing brings RED back to the primary, so uninstall refuses
// while RED is on a backup, unless told to fail back first.

import { afterEach, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, expectError, expectOk } from "../helpers/expect-cli.ts";
import { snapshot } from "../helpers/temp-root.ts";
import { cleanupRoots, ipfireRoot, mwan, OFFICE } from "./rig.ts";

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
