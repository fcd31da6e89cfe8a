// --root DIR and MWAN_ROOT move mwan onto a tree below DIR. Tests depend on
// this to never touch the host's /var/ipfire, so it is checked on its own:
// the tree given is used, and nothing beside it is written.

import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { expectOk } from "../helpers/expect-cli.ts";
import { enableArgs, run } from "../helpers/run-bin.ts";
import { cleanup, makeRoot, makeTempDir, mwanFile, snapshot } from "../helpers/temp-root.ts";

afterEach(cleanup);

const CREATE = ["profile", "create", "spare", "--type=dhcp", "--device=eth1"];

// A parent holding the root and a sibling root that must stay untouched.
function twoRoots() {
  const parent = makeTempDir();
  const root = makeRoot({ parent });
  const sibling = makeRoot({ parent });
  return { root, sibling, before: snapshot(sibling) };
}

describe("choosing the root", () => {
  // The host's own mwan directory must not appear because of a test run.
  const hostMwan = existsSync("/var/ipfire/mwan");

  test.each([
    ["--root DIR", (root: string) => ({ args: ["--root", root] })],
    ["--root=DIR", (root: string) => ({ args: [`--root=${root}`] })],
    ["--root after the command", (root: string) => ({ after: ["--root", root] })],
    ["MWAN_ROOT", (root: string) => ({ env: { MWAN_ROOT: root } })],
  ])("%s", async (_, how) => {
    const { root, sibling, before } = twoRoots();
    const h = how(root) as {
      args?: string[];
      after?: string[];
      env?: Record<string, string>;
    };
    const r = await run([...(h.args ?? []), ...CREATE, ...(h.after ?? [])], {
      env: h.env,
    });
    expectOk(r);
    expect(mwanFile(root, "profiles/spare")).toContain("TYPE=DHCP\n");
    expect(snapshot(sibling)).toEqual(before);
    expect(existsSync("/var/ipfire/mwan")).toBe(hostMwan);
  });

  test("--root wins over MWAN_ROOT", async () => {
    const { root, sibling, before } = twoRoots();
    const r = await run(["--root", root, ...CREATE], {
      env: { MWAN_ROOT: sibling },
    });
    expectOk(r);
    expect(existsSync(join(root, "var/ipfire/mwan/profiles/spare"))).toBe(true);
    expect(snapshot(sibling)).toEqual(before);
  });

  test("every writing command stays inside the root", async () => {
    const { root, sibling, before } = twoRoots();
    const parent = join(root, "..");
    const steps = [
      ["profile", "import-current", "home"],
      CREATE,
      ["profile", "edit", "spare", "--priority=4"],
      ["config", "set", "LOG_LEVEL", "debug"],
      await enableArgs(),
      ["disable"],
      ["profile", "delete", "spare", "--yes"],
    ];
    for (const args of steps) expectOk(await run(args, { root }));
    expect(snapshot(sibling)).toEqual(before);
    // Only the root and the sibling are in the parent: no stray temp files.
    expect(readdirSync(parent).sort()).toEqual([basename(root), basename(sibling)].sort());
  });
});
