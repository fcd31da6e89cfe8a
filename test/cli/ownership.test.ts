// IPFire's WebUI runs as nobody and must keep being able to edit the files
// under /var/ipfire (contract §1.4), so mwan, running as root, keeps the
// owner and mode of what it rewrites, and gives new files the owner of their
// directory.

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
  test("config set keeps nobody:nobody and 0640 on the settings file", async () => {
    const root = makeRoot({ mwan: configured() });
    const settings = join(root, "var/ipfire/mwan/settings");
    chownSync(settings, NOBODY, NOBODY);
    chmodSync(settings, 0o640);
    expectOk(await mwan(root, "config", "set", "LOG_LEVEL", "debug"));
    expect(facts(root, "settings")).toEqual({
      uid: NOBODY,
      gid: NOBODY,
      mode: "640",
    });
  });

  test("profile edit keeps the owner and makes the mode 0600", async () => {
    const root = makeRoot({ mwan: configured() });
    const profile = join(root, "var/ipfire/mwan/profiles/office");
    chownSync(profile, NOBODY, NOBODY);
    chmodSync(profile, 0o644); // too open for a file that may hold a password
    expectOk(await mwan(root, "profile", "edit", "office", "--priority=4"));
    expect(facts(root, "profiles/office")).toEqual({
      uid: NOBODY,
      gid: NOBODY,
      mode: "600",
    });
  });

  test("new files take the owner of their directory", async () => {
    const root = makeRoot({ mwan: configured() });
    for (const dir of ["var/ipfire/mwan", "var/ipfire/mwan/profiles"])
      chownSync(join(root, dir), NOBODY, NOBODY);
    expectOk(await mwan(root, "profile", "create", "spare", "--type=dhcp", "--device=eth1"));
    expect(facts(root, "profiles/spare")).toEqual({
      uid: NOBODY,
      gid: NOBODY,
      mode: "600",
    });
  });
});
