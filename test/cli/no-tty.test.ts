// Without a terminal mwan never asks: hooks, cron and the WebUI run it with
// stdin on /dev/null or on a pipe nobody writes to, and a command that
// waited there would hang them. run() fails any run that takes seconds.

import { afterEach, describe, expect, test } from "bun:test";
import { EXIT, expectError } from "../helpers/expect-cli.ts";
import { run } from "../helpers/run-bin.ts";
import { PROFILE } from "../helpers/fixtures.ts";
import { cleanup, makeRoot } from "../helpers/temp-root.ts";

afterEach(cleanup);

// Generous for a ~30 ms command on a busy machine, far below any "waiting".
const PROMPT_MS = 1500;

describe.each([
  ["stdin on /dev/null", undefined],
  ["stdin a pipe that never closes", "open" as const],
])("%s", (_, stdin) => {
  test("profile create without --type fails at once: TYPE required", async () => {
    const root = makeRoot();
    const r = await run(["profile", "create", "x"], {
      root,
      stdin,
      timeoutMs: PROMPT_MS,
    });
    expectError(r, EXIT.config, "TYPE", "--type");
  });

  test("profile create with a missing field fails at once, naming it", async () => {
    const root = makeRoot();
    const r = await run(["profile", "create", "x", "--type=pppoe", "--device=eth1"], {
      root,
      stdin,
      timeoutMs: PROMPT_MS,
    });
    expectError(r, EXIT.config, "USERNAME", "--username");
  });

  test("profile edit without options is a usage error, not a prompt", async () => {
    const root = makeRoot({ mwan: { "profiles/home": PROFILE.dhcp } });
    const r = await run(["profile", "edit", "home"], {
      root,
      stdin,
      timeoutMs: PROMPT_MS,
    });
    expectError(r, EXIT.usage, "give the options to change");
  });

  test("a hook returns at once", async () => {
    const r = await run(["hook", "up"], {
      root: makeRoot(),
      stdin,
      timeoutMs: PROMPT_MS,
    });
    expect(r.code).toBe(EXIT.ok);
  });
});
