// What IPFire calls: the red.up/red.down hook links (run synchronously by
// run_subdir, so they must return at once) and the init script behind the rc
// links (a failing boot script stalls boot for 60 s, so it always exits 0).

import { afterEach, expect, test } from "bun:test";
import { chmodSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expectOk } from "../helpers/expect-cli.ts";
import { run } from "../helpers/run-bin.ts";
import { cleanupRoots, ipfireRoot, mwan, OFFICE } from "./rig.ts";

afterEach(cleanupRoots);

const FAST_MS = 1000; // the binary starts in ~20-40 ms; this only catches waiting

async function installed(): Promise<string> {
  const root = await ipfireRoot();
  expectOk(await mwan(root, ["install"]));
  return root;
}

function sh(args: string[]) {
  const p = Bun.spawnSync(args, {
    stdin: "ignore",
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
  });
  return {
    code: p.exitCode,
    stdout: p.stdout.toString(),
    stderr: p.stderr.toString(),
  };
}

test("the hook links run the installed binary and return at once", async () => {
  const root = await installed();
  const hooks = join(root, "etc/rc.d/init.d/networking");
  for (const [hook, event] of [
    ["red.up/95-U-mwan", "up"],
    ["red.down/95-D-mwan", "down"],
  ] as const) {
    const r = await run([event], { exe: join(hooks, hook), root });
    expectOk(r);
    expect(r.ms).toBeLessThan(FAST_MS);
  }
});

test("the init script is executable, parses, and says how to use it", async () => {
  const root = await installed();
  const script = join(root, "etc/rc.d/init.d/mwan");
  expect(statSync(script).mode & 0o111).toBe(0o111);
  expect(sh(["sh", "-n", script]).code).toBe(0);
  const usage = sh([script, "nosuch"]);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain("{start|stop|restart|status}");
  // Through the rc links as IPFire's rc calls them.
  const start = sh([join(root, "etc/rc.d/rc3.d/S19mwan"), "start"]);
  expect(start.code).toBe(0);
  expect(start.stdout).toBe("mwan is disabled; daemon not started\n");
  expect(sh([join(root, "etc/rc.d/rc0.d/K40mwan"), "stop"]).code).toBe(0);
  expect(sh([script, "status"]).code).toBe(3);
});

test("the init script starts and stops an enabled daemon", async () => {
  const root = await installed();
  expectOk(await mwan(root, ["profile", "import-current", "home"]));
  // Straight into the files: `mwan enable` would start the daemon itself.
  const mwanDir = join(root, "var/ipfire/mwan");
  writeFileSync(join(mwanDir, "profiles/office"), OFFICE, { mode: 0o600 });
  writeFileSync(join(mwanDir, "settings"), "PRIMARY=home\nENABLED=on\n");
  const script = join(root, "etc/rc.d/init.d/mwan");
  expect(sh([script, "start"]).stdout).toMatch(/^mwan daemon running \(pid \d+\)\n$/);
  expect(sh([script, "status"]).code).toBe(0);
  expect(sh([script, "stop"]).stdout).toMatch(/^mwan daemon stopped \(pid \d+\)\n$/);
  expect(sh([script, "status"]).code).toBe(3);
}, 20_000); // a daemon stop waits until the process is reaped

test("start and stop exit 0 even when the binary fails or is missing", async () => {
  const root = await installed();
  const script = join(root, "etc/rc.d/init.d/mwan");
  const bin = join(root, "usr/local/bin/mwan");
  writeFileSync(bin, "#!/bin/sh\necho broken >&2\nexit 1\n");
  chmodSync(bin, 0o755);
  for (const verb of ["start", "stop", "restart"]) expect(sh([script, verb]).code).toBe(0);
  chmodSync(bin, 0o644);
  for (const verb of ["start", "stop"]) expect(sh([script, verb]).code).toBe(0);
});
