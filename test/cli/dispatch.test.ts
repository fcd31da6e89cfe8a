// The name the binary is started under selects what it does (dispatch.ts):
// mwan-<command> symlinks, and the red.up/red.down hook symlinks that IPFire's
// run_subdir calls synchronously, which must therefore answer at once.

import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { EXIT, expectError, expectOk } from "../helpers/expect-cli.ts";
import { mwanBin, type RunResult, run } from "../helpers/run-bin.ts";
import { PROFILE } from "../helpers/fixtures.ts";
import { cleanup, makeRoot, snapshot } from "../helpers/temp-root.ts";

afterEach(cleanup);

const HOOKS = "etc/rc.d/init.d/networking";
// A hook blocks red start (STATIC) or dhcpcd's event processing (contract
// §0.5); the binary itself starts in ~20-40 ms, so this leaves room for a
// loaded machine and still catches any waiting.
const FAST_MS = 1000;

// A symlink to the binary at `rel` below root, as `mwan install` makes them.
function link(root: string, rel: string): string {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(mwanBin(), path);
  return path;
}

async function hook(root: string, rel: string, ...args: string[]) {
  const r = await run(args, { exe: link(root, rel), root });
  expect(r.ms).toBeLessThan(FAST_MS);
  return r;
}

describe("mwan-<command> symlinks", () => {
  test("mwan-profile runs `mwan profile`", async () => {
    const root = makeRoot({ mwan: { "profiles/home": PROFILE.dhcp } });
    const exe = link(root, "usr/local/bin/mwan-profile");
    const r = await run(["list"], { exe, root });
    expectOk(r);
    expect(r.stdout).toContain("home");
  });

  test("mwan-config --help shows the config group", async () => {
    const exe = link(makeRoot(), "usr/local/bin/mwan-config");
    const r = await run(["--help"], { exe });
    expectOk(r);
    expect(r.stdout).toContain("USAGE mwan config");
  });

  test("an unknown mwan-<word> is plain mwan", async () => {
    const exe = link(makeRoot(), "usr/local/bin/mwan-nosuch");
    expectOk(await run(["--version"], { exe }));
    expectError(await run(["nosuch"], { exe }), EXIT.usage, '"nosuch"');
  });
});

describe("red.up / red.down hooks", () => {
  // run_subdir appends "up"/"down" for names whose second field is U/D.
  test("red.up/95-U-mwan up and red.down/95-D-mwan down exit 0 at once", async () => {
    const root = makeRoot();
    const before = snapshot(join(root, "var"));
    expectQuietOk(await hook(root, `${HOOKS}/red.up/95-U-mwan`, "up"));
    expectQuietOk(await hook(root, `${HOOKS}/red.down/95-D-mwan`, "down"));
    expect(snapshot(join(root, "var"))).toEqual(before);
  });

  // Any other name gets no argument: the directory tells the event.
  test("without an argument the directory tells the event", async () => {
    const root = makeRoot();
    expectQuietOk(await hook(root, `${HOOKS}/red.up/50-mwan`));
    expectQuietOk(await hook(root, `${HOOKS}/red.down/50-mwan`));
  });

  test("outside red.up/red.down and without an argument: usage error", async () => {
    const root = makeRoot();
    const r = await hook(root, "etc/somewhere/95-U-mwan");
    expectError(r, EXIT.usage, "95-U-mwan", "up or down");
  });

  test("an event other than up or down is a usage error", async () => {
    const r = await hook(makeRoot(), `${HOOKS}/red.up/95-U-mwan`, "sideways");
    expect(r.code).toBe(EXIT.usage);
  });

  test("a hook on a box where mwan is not configured still exits 0", async () => {
    // IPFire runs every hook on every RED event, configured or not.
    const root = makeRoot({ ethernet: false });
    expectQuietOk(await hook(root, `${HOOKS}/red.up/95-U-mwan`, "up"));
  });
});

function expectQuietOk(r: RunResult): void {
  expectOk(r);
  expect(r.stdout).toBe("");
}
