// Install adds only mwan-named things and uninstall takes exactly those away:
// the whole root, byte for byte with modes, owners and link targets, is as it
// was before (issue: "leaves IPFire exactly as before").

import { afterEach, describe, expect, test } from "bun:test";
import { lstatSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, expectError, expectOk } from "../helpers/expect-cli.ts";
import { cleanup, makeTempDir, snapshot } from "../helpers/temp-root.ts";
import { BIN, cleanupRoots, ipfireRoot, mwan, NOBODY, sha256, USER_INCLUDES } from "./rig.ts";

afterEach(cleanupRoots);
afterEach(cleanup);

const INCLUDE = "var/ipfire/backup/include.user";
const asRoot = process.getuid?.() === 0;

describe("install, then uninstall --purge", () => {
  for (const sparse of [false, true])
    test(sparse ? "on a tree lacking the rc, logrotate and backup dirs" : "on an IPFire tree", async () => {
      const root = await ipfireRoot(sparse);
      const before = snapshot(root);
      const installed = await mwan(root, ["install"]);
      expectOk(installed);
      expect(installed.stdout).toContain("installed /usr/local/bin/mwan\n");
      expect(installed.stdout).toMatch(/mwan is installed: \d+ change\(s\), 0 unchanged\n$/);
      expect(snapshot(root)).not.toEqual(before);
      const removed = await mwan(root, ["uninstall", "--purge"]);
      expectOk(removed);
      expect(removed.stdout).toContain("removed /usr/local/bin/mwan\n");
      expect(snapshot(root)).toEqual(before);
    });
});

test("install refuses a tree that is not an IPFire and writes nothing", async () => {
  const root = makeTempDir();
  const before = snapshot(root);
  expectError(
    await mwan(root, ["install"]),
    EXIT.failure,
    "/var/ipfire/ethernet/settings is missing: this is not an IPFire",
  );
  expect(snapshot(root)).toEqual(before);
});

test("install writes the planned files, links, modes and owners", async () => {
  const root = await ipfireRoot();
  expectOk(await mwan(root, ["install"]));
  const at = (rel: string) => join(root, rel);
  const mode = (rel: string) => (lstatSync(at(rel)).mode & 0o7777).toString(8);
  expect(mode("usr/local/bin/mwan")).toBe("755");
  expect(sha256(at("usr/local/bin/mwan"))).toBe(sha256(BIN));
  for (const hook of ["red.up/95-U-mwan", "red.down/95-D-mwan"]) {
    const link = at(`etc/rc.d/init.d/networking/${hook}`);
    expect(readlinkSync(link)).toBe("../../../../../usr/local/bin/mwan");
    expect(realpathSync(link)).toBe(realpathSync(at("usr/local/bin/mwan")));
  }
  for (const link of ["rc3.d/S19mwan", "rc0.d/K40mwan", "rc6.d/K40mwan"])
    expect(readlinkSync(at(`etc/rc.d/${link}`))).toBe("../init.d/mwan");
  expect(mode("etc/rc.d/init.d/mwan")).toBe("755");
  const logrotate = readFileSync(at("etc/logrotate.d/mwan"), "utf8");
  expect(mode("etc/logrotate.d/mwan")).toBe("644");
  expect(logrotate).toContain(`${at("var/log/mwan.log")} {\n`);
  for (const directive of [
    "weekly",
    "rotate 8",
    "compress",
    "delaycompress",
    "missingok",
    "notifempty",
    "create 0640 root root",
  ])
    expect(logrotate).toContain(`\t${directive}\n`);
  const dirs = {
    "var/ipfire/mwan": "755",
    "var/ipfire/mwan/profiles": "700",
    "var/ipfire/mwan/state": "755",
    "var/ipfire/mwan/events.d": "755",
  };
  for (const [rel, m] of Object.entries(dirs)) {
    expect(mode(rel)).toBe(m);
    const st = lstatSync(at(rel));
    if (asRoot) expect({ uid: st.uid, gid: st.gid }).toEqual(NOBODY);
  }
  const manifest = JSON.parse(readFileSync(at("var/ipfire/mwan/state/install.json"), "utf8"));
  expect(manifest.includeUserCreated).toBe(false);
  expect(manifest.files).toContain("etc/rc.d/rc3.d/S19mwan");
});

test("without --purge only mwan's configuration stays, and a reinstall finds it", async () => {
  const root = await ipfireRoot();
  const before = snapshot(root);
  expectOk(await mwan(root, ["install"]));
  expectOk(await mwan(root, ["profile", "import-current", "home"]));
  const profile = readFileSync(join(root, "var/ipfire/mwan/profiles/home"), "utf8");
  const removed = await mwan(root, ["uninstall"]);
  expectOk(removed);
  expect(removed.stdout).toContain("configuration stays in /var/ipfire/mwan");
  const after = snapshot(root);
  const changed = Object.keys({ ...before, ...after }).filter(
    (rel) => JSON.stringify(before[rel]) !== JSON.stringify(after[rel]),
  );
  expect(changed.sort()).toEqual([
    "var/ipfire/mwan",
    "var/ipfire/mwan/events.d",
    "var/ipfire/mwan/profiles",
    "var/ipfire/mwan/profiles/home",
    "var/ipfire/mwan/settings",
    "var/ipfire/mwan/state",
  ]);
  expectOk(await mwan(root, ["install"]));
  expect(readFileSync(join(root, "var/ipfire/mwan/profiles/home"), "utf8")).toBe(profile);
});

describe("backup include.user", () => {
  test("the user's lines stay in order; mwan's line is added once and taken out again", async () => {
    const root = await ipfireRoot();
    const include = join(root, INCLUDE);
    expectOk(await mwan(root, ["install"]));
    expectOk(await mwan(root, ["install"]));
    expect(readFileSync(include, "utf8")).toBe(`${USER_INCLUDES}var/ipfire/mwan/profiles\n`);
    expectOk(await mwan(root, ["uninstall"]));
    expect(readFileSync(include, "utf8")).toBe(USER_INCLUDES);
  });

  test("a file install created goes with uninstall, unless the user has added to it", async () => {
    const root = await ipfireRoot(true);
    const include = join(root, INCLUDE);
    expectOk(await mwan(root, ["install"]));
    expect(readFileSync(include, "utf8")).toBe("var/ipfire/mwan/profiles\n");
    expectOk(await mwan(root, ["uninstall"]));
    expect(() => lstatSync(include)).toThrow();

    expectOk(await mwan(root, ["install"]));
    writeFileSync(include, `${readFileSync(include, "utf8")}root/mine\n`);
    expectOk(await mwan(root, ["uninstall"]));
    expect(readFileSync(include, "utf8")).toBe("root/mine\n");
  });
});
