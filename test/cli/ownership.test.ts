// mwan's own files are root's and writable by root alone: root trusts them,
// and the web server's user, nobody, owns IPFire's /var/ipfire trees beside
// them (contract §0a.8). A file an earlier version left nobody's becomes
// root's at its next write; its mode stays, minus group and world write.
// (IPFire's own files keep their owner: test/switch/matrix.test.ts.)

import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, chownSync } from "node:fs";
import { join } from "node:path";
import { expectOk } from "../helpers/expect-cli.ts";
import { mwan } from "../helpers/run-bin.ts";
import { configured } from "../helpers/fixtures.ts";
import { skipWithout } from "../helpers/require.ts";
import { cleanup, makeRoot, snapshot } from "../helpers/temp-root.ts";

afterEach(cleanup);

const NOBODY = 65534;
const notRoot = process.getuid?.() === 0 ? undefined : "not running as root (chown needs root)";

const facts = (root: string, rel: string) => {
  const f = snapshot(root)[`var/ipfire/mwan/${rel}`];
  return f && { uid: f.uid, gid: f.gid, mode: f.mode };
};

describe.skipIf(skipWithout("ownership", notRoot))("owner and mode", () => {
  test("config set makes a nobody's settings file root's, keeps 0640, drops group write", async () => {
    const root = makeRoot({ mwan: configured() });
    const settings = join(root, "var/ipfire/mwan/settings");
    chownSync(settings, NOBODY, NOBODY);
    chmodSync(settings, 0o660);
    expectOk(await mwan(root, "config", "set", "LOG_LEVEL", "debug"));
    expect(facts(root, "settings")).toEqual({ uid: 0, gid: 0, mode: "640" });
  });

  test("profile edit makes the profile root's and 0600", async () => {
    const root = makeRoot({ mwan: configured() });
    const profile = join(root, "var/ipfire/mwan/profiles/office");
    chownSync(profile, NOBODY, NOBODY);
    chmodSync(profile, 0o644); // too open for a file that may hold a password
    expectOk(await mwan(root, "profile", "edit", "office", "--priority=4"));
    expect(facts(root, "profiles/office")).toEqual({ uid: 0, gid: 0, mode: "600" });
  });

  test("a new profile is root's even in a directory an earlier version made nobody's", async () => {
    const root = makeRoot({ mwan: configured() });
    for (const dir of ["var/ipfire/mwan", "var/ipfire/mwan/profiles"])
      chownSync(join(root, dir), NOBODY, NOBODY);
    expectOk(await mwan(root, "profile", "create", "spare", "--type=dhcp", "--device=eth1"));
    expect(facts(root, "profiles/spare")).toEqual({ uid: 0, gid: 0, mode: "600" });
  });
});
