// The binary is built not to read .env or bunfig.toml from its working
// directory: a root daemon or hook must not take its root, or code to
// preload, from wherever it happened to be started.

import { afterEach, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expectOk } from "../helpers/expect-cli.ts";
import { run } from "../helpers/run-bin.ts";
import { cleanup, makeRoot, makeTempDir } from "../helpers/temp-root.ts";

afterEach(cleanup);

test("a .env and a bunfig.toml in the working directory are ignored", async () => {
  // What .env would switch to, recognisable by its LOG_LEVEL.
  const elsewhere = makeRoot({ mwan: { settings: "LOG_LEVEL=debug\n" } });
  const cwd = makeTempDir();
  const marker = join(cwd, "preloaded");
  writeFileSync(join(cwd, ".env"), `MWAN_ROOT=${elsewhere}\n`);
  writeFileSync(
    join(cwd, "preload.ts"),
    `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "");\n`,
  );
  writeFileSync(join(cwd, "bunfig.toml"), 'preload = ["./preload.ts"]\n');

  // No MWAN_ROOT in the environment (.env does not override one) and no
  // --root: the root is /, whatever .env says, exactly as from anywhere else.
  const there = await run(["config", "get", "LOG_LEVEL"], { cwd });
  const clean = await run(["config", "get", "LOG_LEVEL"], { cwd: makeTempDir() });
  expectOk(there);
  expect(there.stdout).not.toBe("debug\n");
  expect(there.stdout).toBe(clean.stdout);
  expect(existsSync(marker)).toBe(false);
});
