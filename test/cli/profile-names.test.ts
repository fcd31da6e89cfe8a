// Profile names become file names under var/ipfire/mwan/profiles/, so every
// command that takes one must reject a name that could leave that directory,
// hide a file or clash with the words mwan uses instead of names: exit 2,
// and no file created anywhere (the whole parent of the root is watched).

import { afterEach, describe, test } from "bun:test";
import { dirname } from "node:path";
import { PROFILE } from "../helpers/fixtures.ts";
import { EXIT, expectError, expectUntouched } from "../helpers/expect-cli.ts";
import { mwan } from "../helpers/run-bin.ts";
import { cleanup, makeRoot, makeTempDir } from "../helpers/temp-root.ts";

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
  ["primary", "reserved"],
  ["backup", "reserved"],
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
