// A read-only root: every writing command fails with exit 1 and one line
// naming the file and the reason, and leaves no temp file or half-written
// file behind.

import { afterEach, describe, expect, test } from "bun:test";
import { EXIT, expectError, expectUntouched } from "../helpers/expect-cli.ts";
import { enableArgs, run } from "../helpers/run-bin.ts";
import { configured } from "../helpers/fixtures.ts";
import { readOnlyPrefix, readOnlyUnsupported } from "../helpers/read-only.ts";
import { skipWithout } from "../helpers/require.ts";
import { cleanup, makeRoot } from "../helpers/temp-root.ts";

afterEach(cleanup);

describe.skipIf(skipWithout("read-only root", readOnlyUnsupported()))("on a read-only root", () => {
  const commands: [string, () => Promise<string[]>, string][] = [
    [
      "profile create",
      async () => ["profile", "create", "spare", "--type=dhcp", "--device=eth1"],
      "profiles/spare",
    ],
    ["profile edit", async () => ["profile", "edit", "office", "--priority=4"], "profiles/office"],
    ["profile delete", async () => ["profile", "delete", "office", "--yes"], "profiles/office"],
    ["config set", async () => ["config", "set", "LOG_LEVEL", "debug"], "settings"],
    ["enable", enableArgs, "settings"],
    ["disable", async () => ["disable"], "settings"],
  ];

  test.each(commands)("%s fails with exit 1 naming the file", async (_, args, file) => {
    const root = makeRoot({ mwan: configured({ static: "office" }) });
    const argv = await args();
    await expectUntouched(root, async () => {
      const r = await run(argv, { root, prefix: readOnlyPrefix(root) });
      expectError(r, EXIT.failure, file, "read-only file system");
    });
  });

  test("reading still works", async () => {
    const root = makeRoot({ mwan: configured({ static: "office" }) });
    const r = await run(["profile", "list"], {
      root,
      prefix: readOnlyPrefix(root),
    });
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain("office");
  });
});
