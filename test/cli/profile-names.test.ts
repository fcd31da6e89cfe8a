// Profile names become file names under var/ipfire/mwan/profiles/, so every
// command that takes one must reject a name that could leave that directory
// or hide a file: exit 2, and no file created anywhere (the whole parent of
// the root is watched). No word is reserved: no command takes one in place of
// a profile name, and `primary` or `backup` are the names an admin tries first.

import { afterEach, describe, expect, test } from "bun:test";
import { dirname } from "node:path";
import { PROFILE } from "../helpers/fixtures.ts";
import { EXIT, expectError, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { mwan } from "../helpers/run-bin.ts";
import { cleanup, makeRoot, makeTempDir, mwanFile, readhash } from "../helpers/temp-root.ts";

afterEach(cleanup);

const BAD_NAMES: [string, string][] = [
  ["../x", "not a valid profile name"],
  ["../../../../etc/passwd", "not a valid profile name"],
  ["a/b", "not a valid profile name"],
  [".hidden", "not a valid profile name"],
  ["UPPER", "not a valid profile name"],
  ["9lives", "not a valid profile name"],
  ["a".repeat(33), "not a valid profile name"],
  ["", "not a valid profile name"],
];

// Each command with the options it needs to get as far as using the name.
const COMMANDS: [string, string[]][] = [
  ["create", ["--type=dhcp", "--device=eth1"]],
  ["import-current", []],
  ["show", []],
  ["edit", ["--priority=3"]],
  ["delete", []],
];

describe.each(COMMANDS)("profile %s", (command, options) => {
  test.each(BAD_NAMES)("refuses %p", async (name, why) => {
    const parent = makeTempDir();
    const root = makeRoot({
      parent,
      mwan: { "profiles/home": PROFILE.dhcp, settings: "PRIMARY=home\n" },
    });
    await expectUntouched(dirname(root), async () =>
      expectError(
        await mwan(root, "profile", command, name, ...options),
        EXIT.usage,
        JSON.stringify(name),
        why,
      ),
    );
  });
});

describe("the words an admin reaches for first are names like any other", () => {
  test.each(["primary", "default", "current", "active", "all", "none"])(
    "profile import-current %s makes the primary",
    async (name) => {
      const root = makeRoot();
      expectOk(await mwan(root, "profile", "import-current", name));
      expect(readhash(mwanFile(root, "settings")).PRIMARY).toBe(name);
      const list = await mwan(root, "profile", "list");
      expectOk(list);
      expect(list.stdout).toMatch(new RegExp(`^\\*\\s+${name}\\s+DHCP\\s+primary`, "m"));
    },
  );

  test("a backup named backup is created, listed, shown and switched to", async () => {
    const root = makeRoot();
    expectOk(await mwan(root, "profile", "import-current", "primary"));
    expectOk(await mwan(root, "profile", "create", "backup", "--type=dhcp", "--device=eth1"));
    expect((await mwan(root, "profile", "list")).stdout).toMatch(/^\s+backup\s+DHCP\s+backup\s+10\s+eth1$/m);
    expectOk(await mwan(root, "profile", "show", "backup"));
    const dry = await mwan(root, "switch", "--dry-run", "backup");
    expectOk(dry);
    expect(dry.stdout).toContain("dry run: RED primary -> backup");
    expectOk(await mwan(root, "config", "check"));
  });
});
