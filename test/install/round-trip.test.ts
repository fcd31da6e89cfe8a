// Install adds only mwan-named things and uninstall takes exactly those away:
// the whole root, byte for byte with modes, owners and link targets, is as it
// was before (issue: "leaves IPFire exactly as before").

import { afterEach, describe, expect, test } from "bun:test";
import { lstatSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, expectError, expectOk } from "../helpers/expect-cli.ts";
import { run } from "../helpers/run-bin.ts";
import { cleanup, makeTempDir, snapshot } from "../helpers/temp-root.ts";
import { Lab, skipNetTests } from "../net/netns.ts";
import {
  BIN,
  cleanupRoots,
  ipfireRoot,
  ipfireStandin,
  mwan,
  processesOf,
  sha256,
  USER_INCLUDES,
} from "./rig.ts";

afterEach(cleanupRoots);
afterEach(cleanup);

const INCLUDE = "var/ipfire/backup/include.user";
// What install adds to IPFire's backup, in this order.
const MWAN_INCLUDES = "var/ipfire/mwan/profiles\nvar/ipfire/mwan/events.d\n";
const asRoot = process.getuid?.() === 0;

describe("install, then uninstall --purge", () => {
  for (const sparse of [false, true])
    test(sparse ? "on a tree lacking the rc, logrotate and backup dirs" : "on an IPFire tree", async () => {
      const root = await ipfireRoot(sparse);
      const before = snapshot(root);
      const installed = await mwan(root, ["install"]);
      expectOk(installed);
      expect(installed.stdout).toContain("installed /usr/local/bin/mwan\n");
      expect(installed.stdout).toMatch(/mwan is installed: \d+ change\(s\), 0 unchanged\n$/);
      expect(snapshot(root)).not.toEqual(before);
      const removed = await mwan(root, ["uninstall", "--purge", "--yes"]);
      expectOk(removed);
      expect(removed.stdout).toContain("removed /usr/local/bin/mwan\n");
      expect(snapshot(root)).toEqual(before);
    });
});

test("install refuses a tree that is not an IPFire and writes nothing", async () => {
  const root = makeTempDir();
  const before = snapshot(root);
  expectError(
    await mwan(root, ["install"]),
    EXIT.failure,
    "/var/ipfire/ethernet/settings is missing: this is not an IPFire",
  );
  expect(snapshot(root)).toEqual(before);
});

test("install writes the planned files, links, modes and owners", async () => {
  const root = await ipfireRoot();
  expectOk(await mwan(root, ["install"]));
  const at = (rel: string) => join(root, rel);
  const mode = (rel: string) => (lstatSync(at(rel)).mode & 0o7777).toString(8);
  expect(mode("usr/local/bin/mwan")).toBe("755");
  expect(sha256(at("usr/local/bin/mwan"))).toBe(sha256(BIN));
  for (const hook of ["red.up/95-U-mwan", "red.down/95-D-mwan"]) {
    const link = at(`etc/rc.d/init.d/networking/${hook}`);
    expect(readlinkSync(link)).toBe("../../../../../usr/local/bin/mwan");
    expect(realpathSync(link)).toBe(realpathSync(at("usr/local/bin/mwan")));
  }
  for (const link of ["rc3.d/S19mwan", "rc0.d/K40mwan", "rc6.d/K40mwan"])
    expect(readlinkSync(at(`etc/rc.d/${link}`))).toBe("../init.d/mwan");
  expect(mode("etc/rc.d/init.d/mwan")).toBe("755");
  const logrotate = readFileSync(at("etc/logrotate.d/mwan"), "utf8");
  expect(mode("etc/logrotate.d/mwan")).toBe("644");
  expect(logrotate).toContain(`${at("var/log/mwan.log")} {\n`);
  for (const directive of [
    "weekly",
    "rotate 8",
    "compress",
    "delaycompress",
    "missingok",
    "notifempty",
    "create 0640 root root",
  ])
    expect(logrotate).toContain(`\t${directive}\n`);
  // root's, though the tree's passwd has a nobody (99) who owns the rest of
  // /var/ipfire: root runs and trusts what is in there.
  const dirs = {
    "var/ipfire/mwan": "755",
    "var/ipfire/mwan/profiles": "700",
    "var/ipfire/mwan/state": "700",
    "var/ipfire/mwan/events.d": "755",
  };
  const rootsWithMode = (rel: string, m: string) => {
    expect(mode(rel)).toBe(m);
    const st = lstatSync(at(rel));
    if (asRoot) expect({ uid: st.uid, gid: st.gid }).toEqual({ uid: 0, gid: 0 });
    return st;
  };
  for (const [rel, m] of Object.entries(dirs)) rootsWithMode(rel, m);
  // The web page: files, not links (IPFire's cgi-bin has no FollowSymLinks),
  // as IPFire's own are; the menu entry is Perl that IPFire evals on every page.
  const web = {
    "srv/web/ipfire/cgi-bin/mwan.cgi": "755",
    "var/ipfire/menu.d/EX-mwan.menu": "644",
    "var/ipfire/addon-lang/mwan.en.pl": "644",
    "var/ipfire/addon-lang/mwan.de.pl": "644",
  };
  for (const [rel, m] of Object.entries(web)) {
    expect(rootsWithMode(rel, m).isFile()).toBe(true);
    const perl = Bun.spawnSync(["perl", "-c", at(rel)], { stderr: "pipe" });
    expect(perl.stderr.toString()).toContain("syntax OK");
  }
  const manifest = JSON.parse(readFileSync(at("var/ipfire/mwan/state/install.json"), "utf8"));
  expect(manifest.includeUserCreated).toBe(false);
  expect(manifest.files).toContain("etc/rc.d/rc3.d/S19mwan");
});

test("without --purge only mwan's configuration stays, and a reinstall finds it", async () => {
  const root = await ipfireRoot();
  const before = snapshot(root);
  expectOk(await mwan(root, ["install"]));
  expectOk(await mwan(root, ["profile", "import-current", "home"]));
  const profile = readFileSync(join(root, "var/ipfire/mwan/profiles/home"), "utf8");
  const removed = await mwan(root, ["uninstall"]);
  expectOk(removed);
  expect(removed.stdout).toContain("configuration stays in /var/ipfire/mwan");
  const after = snapshot(root);
  const changed = Object.keys({ ...before, ...after }).filter(
    (rel) => JSON.stringify(before[rel]) !== JSON.stringify(after[rel]),
  );
  expect(changed.sort()).toEqual([
    "var/ipfire/mwan",
    "var/ipfire/mwan/events.d",
    "var/ipfire/mwan/profiles",
    "var/ipfire/mwan/profiles/home",
    "var/ipfire/mwan/settings",
    "var/ipfire/mwan/state",
  ]);
  expectOk(await mwan(root, ["install"]));
  expect(readFileSync(join(root, "var/ipfire/mwan/profiles/home"), "utf8")).toBe(profile);
});

describe("backup include.user", () => {
  test("the user's lines stay in order; mwan's lines are added once and taken out again", async () => {
    const root = await ipfireRoot();
    const include = join(root, INCLUDE);
    expectOk(await mwan(root, ["install"]));
    expectOk(await mwan(root, ["install"]));
    expect(readFileSync(include, "utf8")).toBe(`${USER_INCLUDES}${MWAN_INCLUDES}`);
    expectOk(await mwan(root, ["uninstall"]));
    expect(readFileSync(include, "utf8")).toBe(USER_INCLUDES);
  });

  test("a line the admin had written before install is theirs and stays", async () => {
    const root = await ipfireRoot();
    const include = join(root, INCLUDE);
    const theirs = `${USER_INCLUDES}var/ipfire/mwan/events.d\n`;
    writeFileSync(include, theirs);
    const installed = await mwan(root, ["install"]);
    expectOk(installed);
    expect(installed.stdout).toContain(`added var/ipfire/mwan/profiles to /${INCLUDE}\n`);
    expect(readFileSync(include, "utf8")).toBe(`${theirs}var/ipfire/mwan/profiles\n`);
    expectOk(await mwan(root, ["uninstall"]));
    expect(readFileSync(include, "utf8")).toBe(theirs);
  });

  test("over a record that lists no lines, both are taken as mwan's", async () => {
    // As an install before the record listed its lines left the tree.
    const root = await ipfireRoot();
    const include = join(root, INCLUDE);
    const record = join(root, "var/ipfire/mwan/state/install.json");
    expectOk(await mwan(root, ["install"]));
    const { lines, ...older } = JSON.parse(readFileSync(record, "utf8"));
    expect(lines).toEqual(["var/ipfire/mwan/profiles", "var/ipfire/mwan/events.d"]);
    writeFileSync(record, JSON.stringify(older));
    writeFileSync(include, `${USER_INCLUDES}var/ipfire/mwan/profiles\n`);
    const upgraded = await mwan(root, ["install"]);
    expectOk(upgraded);
    expect(upgraded.stdout).toContain(`added var/ipfire/mwan/events.d to /${INCLUDE}\n`);
    expect(JSON.parse(readFileSync(record, "utf8")).lines).toEqual(lines);
    expectOk(await mwan(root, ["uninstall"]));
    expect(readFileSync(include, "utf8")).toBe(USER_INCLUDES);
  });

  test("a file install created goes with uninstall, unless the user has added to it", async () => {
    const root = await ipfireRoot(true);
    const include = join(root, INCLUDE);
    expectOk(await mwan(root, ["install"]));
    expect(readFileSync(include, "utf8")).toBe(MWAN_INCLUDES);
    expectOk(await mwan(root, ["uninstall"]));
    expect(() => lstatSync(include)).toThrow();

    expectOk(await mwan(root, ["install"]));
    writeFileSync(include, `${readFileSync(include, "utf8")}root/mine\n`);
    expectOk(await mwan(root, ["uninstall"]));
    expect(readFileSync(include, "utf8")).toBe("root/mine\n");
  });
});

// The whole life of mwan on a firewall, with a real daemon watching RED. The
// daemon pings through RED's interface by name, so mwan runs in a network
// namespace where red0 is a veth to an "Internet" that answers (as in
// test/daemon/rig.ts); the stand-in's NICs and scripts are files below the root.
describe.skipIf(skipNetTests())("install, configure, enable, disable, uninstall --purge", () => {
  const TARGET = "198.51.100.1";
  let lab: Lab | undefined;
  afterEach(async () => {
    await cleanupRoots(); // kills what is left of the root's processes first
    await lab?.cleanup();
  });

  test("leave the root as it was and no mwan process behind", async () => {
    const net = new Lab();
    lab = net;
    const fw = await net.ns("fw");
    const inet = await net.ns("inet");
    // red0 as the stand-in's lease has it: 203.0.113.10, gateway 203.0.113.1.
    await net.veth(
      { ns: fw, name: "red0", address: "203.0.113.10/24" },
      { ns: inet, name: "ired0", address: "203.0.113.1/24" },
    );
    await net.ip(fw, "route", "add", "default", "via", "203.0.113.1");
    await net.ip(inet, "addr", "add", `${TARGET}/32`, "dev", "lo");

    // IPFire as mwan finds it: RED up on DHCP, a spare NIC for the backup.
    const s = await ipfireStandin();
    s.device("eth1", { mac: "52:54:00:aa:bb:02" });
    const up = await s.runScript(s.network, "start", "red");
    if (!s.redState().active) throw new Error(`RED did not come up: ${up.stderr}`);
    // The stand-in's own log records what ran (the daemon's ip link set up
    // and down of eth1 among it); everything else must come back as it was.
    const tree = () => {
      const { "var/log/standin.log": _, ...rest } = snapshot(s.root);
      return rest;
    };
    const before = tree();
    const ipfireProcesses = processesOf(s.root);
    const inFw = (...args: string[]) =>
      run(args, { root: s.root, exe: BIN, prefix: net.wrap(fw), timeoutMs: 30_000 });

    expectOk(await inFw("install"));
    expectOk(await inFw("profile", "import-current", "home"));
    expectOk(
      await inFw(
        ...["profile", "create", "office", "--type", "static", "--device", "eth1"],
        ...["--address", "192.0.2.10", "--netmask", "255.255.255.0", "--gateway", "192.0.2.1"],
      ),
    );
    expectOk(await inFw("config", "set", "PROBE_TARGETS", TARGET));
    expectOk(await inFw("config", "set", "PROBE_DNS", "none"));
    expectOk(await inFw("enable"));
    const daemon = Number(s.readTrimmed("var/run/mwan.pid")?.split(" ")[0]);
    expect(processesOf(s.root).map((p) => p.pid)).toContain(daemon);
    // Running and probing: its pings through red0 proved the primary.
    await s.waitFor(
      () => / is up: /.test(s.readTrimmed("var/log/mwan.log") ?? ""),
      10_000,
      "the daemon to prove the primary up",
    );

    expectOk(await inFw("disable"));
    expect(processesOf(s.root).map((p) => p.pid)).not.toContain(daemon);
    const removed = await inFw("uninstall", "--purge", "--yes");
    expectOk(removed);
    expect(removed.stdout).toContain("mwan is uninstalled, with its configuration and logs\n");

    // RED never moved, so IPFire's files, runtime ones included, are untouched.
    expect(s.redState().active).toBe(true);
    expect(processesOf(s.root)).toEqual(ipfireProcesses);
    expect(tree()).toEqual(before);
  });
});
