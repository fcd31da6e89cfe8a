// The command line itself: version, help at every level, and the usage
// errors (exit 2) that scripts rely on to tell a typo from a bad config.

import { afterEach, describe, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, expectError, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { configured } from "../helpers/fixtures.ts";
import { run } from "../helpers/run-bin.ts";
import { cleanup, makeRoot, makeTempDir, mwanFile, readhash } from "../helpers/temp-root.ts";

afterEach(cleanup);

describe("--version", () => {
  test.each([["--version"], ["-v"]])("%s prints the version", async (flag) => {
    const r = await run([flag]);
    expectOk(r);
    expect(r.stdout).toMatch(/^mwan \d+\.\d+\.\d+\S*\n$/);
    expect(r.stderr).toBe("");
  });
});

describe("--help", () => {
  // Each level's usage line gives the whole command, as it is typed, and
  // names its own subcommands or options.
  const levels: [string[], RegExp][] = [
    [[], /^USAGE mwan \[OPTIONS\] COMMAND\n[\s\S]*^ {2}profile /m],
    [["profile"], /^USAGE mwan profile COMMAND\n[\s\S]*^ {2}create /m],
    [["profile", "create"], /^USAGE mwan profile create \[OPTIONS\] NAME\n[\s\S]*--type/m],
    [["profile", "edit"], /^USAGE mwan profile edit /m],
    [["profile", "import-current"], /^USAGE mwan profile import-current NAME$/m],
    [["config"], /^USAGE mwan config COMMAND\n[\s\S]*^ {2}check /m],
    [["config", "set"], /^USAGE mwan config set \[OPTIONS\] KEY VALUE$/m],
    [["config", "check"], /^USAGE mwan config check /m],
    [["daemon", "status"], /^USAGE mwan daemon status /m],
    [["enable"], /^USAGE mwan enable /m],
  ];
  test.each(levels)("mwan %p --help", async (words, usage) => {
    for (const flag of ["--help", "-h"]) {
      const r = await run([...words, flag]);
      expectOk(r);
      expect(r.stdout).toMatch(usage);
      expect(r.stderr).toBe("");
    }
  });

  test("--help wins over missing arguments and stands anywhere", async () => {
    expectOk(await run(["config", "set", "--help", "PRIMARY"]));
    expectOk(await run(["--help", "profile", "create"]));
  });

  // node:util parseArgs gives an option that takes a value the next token,
  // whatever it looks like; looking for --help must read the line the same way.
  test("a value that looks like -h or --help is a value", async () => {
    for (const password of ["-h", "--help"]) {
      const root = makeRoot();
      const r = await run(
        [
          "profile",
          "create",
          "dsl",
          "--type=pppoe",
          "--device=eth1",
          "--username=u@isp",
          "--password",
          password,
        ],
        { root },
      );
      expectOk(r);
      expect(r.stdout).not.toContain("USAGE");
      expect(readhash(mwanFile(root, "profiles/dsl")).PASSWORD).toBe(password);
    }
  });
});

describe("usage errors exit 2 with a hint to --help", () => {
  test("unknown command, at the top and in a group; the hint names the group", async () => {
    const top = await run(["frobnicate"]);
    expectError(top, EXIT.usage, '"frobnicate"');
    expect(top.stderr).toContain("Run 'mwan --help' for usage.");
    for (const group of ["profile", "config"]) {
      const r = await run([group, "frob"]);
      expectError(r, EXIT.usage, '"frob"');
      expect(r.stderr).toContain(`Run 'mwan ${group} --help' for usage.`);
    }
  });

  // Nothing may run on a command line with a typo in it, wherever it stands.
  test.each([
    [["--bogus", "profile", "list"], "mwan --help"],
    [["--bogus=1", "profile", "list"], "mwan --help"],
    [["profile", "--frob", "list"], "mwan profile --help"],
    [["-x", "config", "show"], "mwan --help"],
    [["--bogus"], "mwan --help"],
    [["profile", "--frob"], "mwan profile --help"],
  ])("an unknown option before the command word: mwan %p", async (args, hint) => {
    const root = makeRoot();
    await expectUntouched(root, async () => {
      const r = await run(args, { root });
      expectError(
        r,
        EXIT.usage,
        `unknown option ${(args.find((a) => a.startsWith("-")) as string).split("=")[0]}`,
      );
      expect(r.stderr).toContain(`Run '${hint}' for usage.`);
    });
  });

  test("an option given last without its value names the option", async () => {
    const root = makeRoot({ mwan: configured() });
    await expectUntouched(root, async () => {
      expectError(
        await run(["profile", "create", "x", "--type=dhcp", "--device=eth1", "--priority"], { root }),
        EXIT.usage,
        "--priority needs a value",
      );
      expectError(await run(["profile", "edit", "office", "--priority"], { root }), EXIT.usage, "--priority");
      expectError(await run(["profile", "edit", "office", "--mtu", "--"], { root }), EXIT.usage, "--mtu");
    });
  });

  test("unknown option names the option", async () => {
    const root = makeRoot();
    const r = await run(["profile", "list", "--colour"], { root });
    expectError(r, EXIT.usage, "--colour");
    expect(r.stderr).toContain("mwan profile list --help");
    expectError(await run(["config", "show", "--jason=1"], { root }), EXIT.usage, "--jason");
  });

  test("too many arguments", async () => {
    const root = makeRoot();
    expectError(await run(["profile", "list", "extra"], { root }), EXIT.usage, 'too many arguments: "extra"');
    expectError(
      await run(["config", "set", "LOG_LEVEL", "info", "debug", "x"], { root }),
      EXIT.usage,
      'config set: too many arguments: "debug" "x"',
    );
  });

  test("a missing argument is named", async () => {
    const root = makeRoot();
    expectError(await run(["profile", "show"], { root }), EXIT.usage, "NAME");
    expectError(await run(["config", "set", "PRIMARY"], { root }), EXIT.usage, "VALUE");
  });

  test("--root without a directory", async () => {
    expectError(await run(["--root"]), EXIT.usage, "--root");
  });

  // A typo in the root must not build an IPFire tree wherever it points.
  test("a root that does not exist or is not a directory", async () => {
    const parent = makeTempDir();
    const missing = join(parent, "nonexistent");
    const file = join(parent, "file");
    writeFileSync(file, "");
    const args = ["profile", "create", "x", "--type=dhcp", "--device=eth1", "--mac=52:54:00:aa:bb:02"];
    expectError(await run(["--root", missing, ...args]), EXIT.usage, `--root ${missing}: no such directory`);
    expectError(await run([`--root=${file}`, ...args]), EXIT.usage, `--root ${file}: not a directory`);
    expectError(await run(args, { root: missing }), EXIT.usage, `MWAN_ROOT=${missing}: no such directory`);
    expect(readdirSync(parent)).toEqual(["file"]);
  });

  test.each(["profile", "config", ""])("the group '%s' alone prints its usage on stderr", async (group) => {
    const r = await run(group ? [group] : []);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("USAGE mwan");
    expect(r.stderr).toContain("COMMANDS");
  });
});
