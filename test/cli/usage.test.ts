// The command line itself: version, help at every level, and the usage
// errors (exit 2) that scripts rely on to tell a typo from a bad config.

import { afterEach, describe, expect, test } from "bun:test";
import { EXIT, expectError, expectOk } from "../helpers/expect-cli.ts";
import { run } from "../helpers/run-bin.ts";
import { cleanup, makeRoot } from "../helpers/temp-root.ts";

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
  // Each level's usage line names its own subcommands or options.
  const levels: [string[], RegExp][] = [
    [[], /USAGE mwan .*profile/],
    [["profile"], /USAGE mwan profile create\|list/],
    [["profile", "create"], /USAGE .*profile create .*<NAME>[\s\S]*--type/],
    [["profile", "edit"], /USAGE .*profile edit/],
    [["profile", "import-current"], /USAGE .*profile import-current/],
    [["config"], /USAGE mwan config show\|get\|set\|check/],
    [["config", "set"], /USAGE .*config set .*<KEY> <VALUE>/],
    [["config", "check"], /USAGE .*config check/],
    [["enable"], /USAGE .*enable/],
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
});

describe("usage errors exit 2 with a hint to --help", () => {
  test("unknown command, at the top and in a group", async () => {
    expectError(await run(["frobnicate"]), EXIT.usage, '"frobnicate"');
    expectError(await run(["profile", "rename"]), EXIT.usage, '"rename"');
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
    expectError(await run(["profile", "list", "extra"], { root }), EXIT.usage, "too many arguments");
    expectError(
      await run(["config", "set", "LOG_LEVEL", "info", "debug"], { root }),
      EXIT.usage,
      "too many arguments",
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

  test.each(["profile", "config", ""])("the group '%s' alone prints its usage on stderr", async (group) => {
    const r = await run(group ? [group] : []);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("USAGE mwan");
    expect(r.stderr).toContain("COMMANDS");
  });
});
