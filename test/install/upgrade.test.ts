// Running install again changes nothing; running it from another binary
// replaces /usr/local/bin/mwan by rename (the old inode, which a running
// daemon may be executing, is never written) and restarts a running daemon.

import { afterEach, expect, test } from "bun:test";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  linkSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { expectOk } from "../helpers/expect-cli.ts";
import { BIN, cleanupRoots, ipfireRoot, mwan, OFFICE, sha256, stamps } from "./rig.ts";

afterEach(cleanupRoots);

// Copying and hashing a ~110 MB binary, and a daemon stop that waits for the
// process to be reaped.
const SLOW_MS = 30_000;

// A binary that differs from the build and still runs: bun finds its payload
// in an ELF section, so a byte at the end changes the file, not the program.
function otherBinary(root: string): string {
  const path = join(root, "mwan-b");
  copyFileSync(BIN, path);
  writeFileSync(path, "\n", { flag: "a" });
  return path;
}

function expectAllUnchanged(stdout: string): void {
  const lines = stdout.trimEnd().split("\n");
  expect(lines.at(-1)).toBe("mwan is installed; nothing needed changing");
  for (const line of lines.slice(0, -1)) expect(line).toStartWith("unchanged: ");
}

test("a second install, from the build or from the installed binary, changes nothing", async () => {
  const root = await ipfireRoot();
  expectOk(await mwan(root, ["install"]));
  const first = stamps(root);
  const again = await mwan(root, ["install"]);
  expectOk(again);
  expectAllUnchanged(again.stdout);
  expect(again.stdout).toContain("unchanged: /usr/local/bin/mwan\n");
  expect(again.stdout).toContain("unchanged: /var/ipfire/backup/include.user\n");
  const fromInstalled = await mwan(root, ["install"], join(root, "usr/local/bin/mwan"));
  expectOk(fromInstalled);
  expectAllUnchanged(fromInstalled.stdout);
  expect(stamps(root)).toEqual(first);
});

test("install puts back a mode someone changed, and only that", async () => {
  const root = await ipfireRoot();
  expectOk(await mwan(root, ["install"]));
  const init = join(root, "etc/rc.d/init.d/mwan");
  chmodSync(init, 0o644);
  const r = await mwan(root, ["install"]);
  expectOk(r);
  expect(r.stdout).toContain("set mode 0755 on /etc/rc.d/init.d/mwan\n");
  expect(r.stdout).toContain("mwan is installed: 1 change(s), 17 unchanged\n");
  expect(statSync(init).mode & 0o7777).toBe(0o755);
});

test(
  "an install from another binary replaces the file by rename",
  async () => {
    const root = await ipfireRoot();
    const installed = join(root, "usr/local/bin/mwan");
    expectOk(await mwan(root, ["install"]));
    // A second name for the old inode: written in place, it would change too.
    const old = join(root, "old-inode");
    linkSync(installed, old);
    const oldIno = statSync(installed).ino;
    const b = otherBinary(root);
    const r = await mwan(root, ["install"], b);
    expectOk(r);
    expect(r.stdout).toContain("installed /usr/local/bin/mwan\n");
    expect(r.stdout).toContain("mwan is installed: 1 change(s), 17 unchanged\n");
    expect(statSync(installed).ino).not.toBe(oldIno);
    expect(sha256(installed)).toBe(sha256(b));
    expect(sha256(old)).toBe(sha256(BIN));
    expect(statSync(installed).mode & 0o7777).toBe(0o755);
  },
  SLOW_MS,
);

test(
  "an upgrade restarts a running daemon on the new binary; a stopped one stays stopped",
  async () => {
    const root = await ipfireRoot();
    expectOk(await mwan(root, ["install"]));
    expectOk(await mwan(root, ["profile", "import-current", "home"]));
    writeFileSync(join(root, "var/ipfire/mwan/profiles/office"), OFFICE, {
      mode: 0o600,
    });
    const installed = join(root, "usr/local/bin/mwan");
    const pidOf = () => Number(readFileSync(join(root, "var/run/mwan.pid"), "utf8").split(" ")[0]);

    expectOk(await mwan(root, ["daemon", "start"], installed));
    const before = pidOf();
    const r = await mwan(root, ["install"], otherBinary(root));
    expectOk(r);
    expect(r.stdout).toMatch(/restarted the daemon on the new binary \(pid \d+\)\n/);
    const after = pidOf();
    expect(after).not.toBe(before);
    expect(readlinkSync(`/proc/${after}/exe`)).toBe(installed);

    expectOk(await mwan(root, ["daemon", "stop"], installed));
    const again = await mwan(root, ["install"]);
    expectOk(again);
    expect(again.stdout).not.toContain("daemon");
    expect((await mwan(root, ["daemon", "status"])).code).toBe(3);
  },
  SLOW_MS,
);

// Versions before the privilege boundary made mwan's tree nobody's, so the
// web server's user could have written there. Installing this version makes
// every directory and file in it root's and writable by root alone; event
// scripts are left as they are (root would otherwise adopt whatever nobody
// put there) and named, since the daemon will not run them.
test.skipIf(process.getuid?.() !== 0)(
  "an install over a tree an earlier version made nobody's makes it root's",
  async () => {
    const root = await ipfireRoot();
    expectOk(await mwan(root, ["install"]));
    expectOk(await mwan(root, ["profile", "import-current", "home"]));
    const at = (rel: string) => join(root, "var/ipfire/mwan", rel);
    writeFileSync(at("events.d/notify"), "#!/bin/sh\n", { mode: 0o755 });
    writeFileSync(at("state/history"), "");
    for (const rel of [
      "",
      "profiles",
      "state",
      "events.d",
      "settings",
      "profiles/home",
      "state/history",
      "events.d/notify",
    ])
      chownSync(at(rel), 99, 99);
    for (const [rel, mode] of [
      ["", 0o775],
      ["state", 0o755],
      ["profiles/home", 0o640],
      ["settings", 0o664],
    ] as const)
      chmodSync(at(rel), mode);

    const r = await mwan(root, ["install"]);
    expectOk(r);
    const facts = (rel: string) => {
      const st = statSync(at(rel));
      return `${st.uid}:${st.gid} ${(st.mode & 0o777).toString(8)}`;
    };
    expect(
      Object.fromEntries(
        ["", "profiles", "state", "events.d", "settings", "profiles/home", "state/history"].map((rel) => [
          rel,
          facts(rel),
        ]),
      ),
    ).toEqual({
      "": "0:0 755",
      profiles: "0:0 700",
      state: "0:0 700",
      "events.d": "0:0 755",
      settings: "0:0 644",
      "profiles/home": "0:0 600",
      "state/history": "0:0 644",
    });
    expect(facts("events.d/notify")).toBe("99:99 755");
    expect(r.stderr).toContain(
      "warning: /var/ipfire/mwan/events.d/notify will not run: it is owned by uid 99, not root",
    );
    expect(r.stdout).toContain("set mode 0600 and owner 0:0 on /var/ipfire/mwan/profiles/home\n");
  },
  SLOW_MS,
);
