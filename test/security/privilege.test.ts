// What someone holding only the web server's uid (nobody, 65534) can do to a
// box with mwan installed and its daemon running as root (contract §0a.8):
// every attack is tried for real, as nobody (setpriv), and must fail, leave
// every file as it was, and leave the daemon able to fail over.
//
// Where nobody cannot even make the change (mwan's tree is root's), the same
// thing is also put there by root, as a box upgraded from a version that
// left the tree nobody's may hold it, and mwan must not be steered by it.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { EXIT, expectExit, expectOk } from "../helpers/expect-cli.ts";
import { skipWithout } from "../helpers/require.ts";
import { run } from "../helpers/run-bin.ts";
import { skipNetTests } from "../net/netns.ts";
import { alive, CABLE, DaemonRig, hookLink, MWAN_BIN, PRIMARY, startTime } from "../daemon/rig.ts";

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0 ? undefined : "not running as root (the attacker is uid 65534)";
const skip = skipNetTests() || skipWithout("privilege", asRoot);

// A secret only root may read: an attack that gets it anywhere nobody can
// read it has won.
const SECRET = "root-only-marker-7d1f";

interface Attempt {
  code: number;
  stderr: string;
}

describe.skipIf(skip)("the web server's user against an installed mwan", () => {
  let rig: DaemonRig;
  let daemon: number;
  const at = (rel: string) => rig.path(rel);
  const mwanDir = (rel = "") => at(`var/ipfire/mwan/${rel}`);

  // A shell script run as nobody, with R set to the root.
  async function asNobody(script: string): Promise<Attempt> {
    const p = Bun.spawn(
      ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--", "bash", "-c", script],
      { env: { PATH: "/usr/bin:/bin:/usr/sbin:/sbin", R: rig.root }, stdout: "ignore", stderr: "pipe" },
    );
    const [code, stderr] = await Promise.all([p.exited, new Response(p.stderr).text()]);
    return { code, stderr };
  }

  // Every file below the tree with its bytes, mode and owner, but for what
  // the daemon rewrites as it runs (its log, status, the probes' history).
  function tree(): Record<string, string> {
    const out: Record<string, string> = {};
    const skip =
      /^(var\/log|var\/run|var\/ipfire\/red|var\/ipfire\/dhcpc|var\/ipfire\/mwan\/state\/(history|network-.*\.log))/;
    const walk = (rel: string) => {
      for (const name of readdirSync(at(rel)).sort()) {
        const r = rel ? `${rel}/${name}` : name;
        if (skip.test(r) || r.startsWith("proc")) continue;
        const st = lstatSync(at(r));
        const meta = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
        if (st.isDirectory()) {
          out[r] = `${meta} dir`;
          walk(r);
        } else if (st.isFile()) out[r] = `${meta} ${readFileSync(at(r)).toString("base64")}`;
        else out[r] = `${meta} ${st.isSymbolicLink() ? "link" : "other"}`;
      }
    };
    walk("var/ipfire");
    walk("etc");
    return out;
  }

  // Nothing below the root that nobody can read holds the secret.
  function secretReadableByNobody(): string[] {
    const found: string[] = [];
    const walk = (rel: string, open: boolean) => {
      for (const name of readdirSync(at(rel))) {
        const r = `${rel}/${name}`;
        const st = lstatSync(at(r));
        const readable = open && (st.uid === NOBODY || (st.mode & 0o004) !== 0);
        if (st.isDirectory()) walk(r, open && (st.uid === NOBODY || (st.mode & 0o001) !== 0));
        else if (st.isFile() && readable && readFileSync(at(r), "utf8").includes(SECRET)) found.push(r);
      }
    };
    walk("var", true);
    return found;
  }

  // A switch through the daemon and back; resolves with both outputs.
  async function switchAndBack(): Promise<string> {
    const there = await rig.mwan("switch", CABLE.name);
    const back = await rig.mwan("failback");
    await rig.ok("resume");
    return `${there.stdout}${there.stderr}${back.stdout}${back.stderr}`;
  }

  const expectOkSaying = (r: Awaited<ReturnType<DaemonRig["mwan"]>>) => {
    if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}${r.stderr}\n--- log\n${rig.logTail(30)}`);
  };

  beforeAll(async () => {
    rig = await DaemonRig.create({ settings: { SWITCH_UP_TIMEOUT: "20" } });
    // mkdtemp makes the root 0700, which would stop nobody at the door and
    // prove nothing: the firewall's / is open to everyone.
    chmodSync(rig.root, 0o755);
    await rig.ok("install");
    for (const dir of ["red.up", "red.down"]) hookLink(rig.root, dir as "red.up" | "red.down");
    writeFileSync(at("root-only"), `${SECRET}\n`, { mode: 0o600 });
    daemon = await rig.start();
  }, 60_000);
  afterAll(() => rig?.cleanup());

  test("nobody cannot write, create, link or read anything in mwan's tree", async () => {
    const before = tree();
    const attempts = {
      "an event script": `printf '#!/bin/sh\\nid > /tmp/owned\\n' > "$R/var/ipfire/mwan/events.d/evil" && chmod 755 "$R/var/ipfire/mwan/events.d/evil"`,
      "a link for a network run's output": `ln -s "$R/root-only" "$R/var/ipfire/mwan/state/network-stop.log"`,
      "the install record": `echo '{"version":1,"files":["../x"],"dirs":[],"includeUserCreated":false}' > "$R/var/ipfire/mwan/state/install.json"`,
      "the journal": `echo '{}' > "$R/var/ipfire/mwan/state/journal"`,
      "the switch lock": `echo '1 1' > "$R/var/ipfire/mwan/state/lock"`,
      "the history": `printf '\\033]0;x\\007' >> "$R/var/ipfire/mwan/state/history"`,
      "state/active": `echo constructor > "$R/var/ipfire/mwan/state/active"`,
      "a FIFO among the profiles": `mkfifo "$R/var/ipfire/mwan/profiles/fifo"`,
      "a profile": `echo TYPE=DHCP > "$R/var/ipfire/mwan/profiles/evil"`,
      "the settings": `echo ENABLED=off >> "$R/var/ipfire/mwan/settings"`,
      "a profile's password": `cat "$R/var/ipfire/mwan/profiles/${PRIMARY.name}"`,
      "the primary's saved files": `cat "$R/var/ipfire/mwan/state/primary-files"`,
      "the daemon's pid file": `echo 1 > "$R/var/run/mwan.pid"`,
      "an operator command": `echo '{"kind":"hold"}' > "$R/var/run/mwan/command.json"`,
      "the binary": `echo x >> "$R/usr/local/bin/mwan"`,
      "the init script": `echo x >> "$R/etc/rc.d/init.d/mwan"`,
    };
    for (const [what, script] of Object.entries(attempts)) {
      const r = await asNobody(script);
      expect({ what, refused: r.code !== 0 }).toEqual({ what, refused: true });
      expect(r.stderr).toMatch(/Permission denied|cannot|denied/);
    }
    expect(tree()).toEqual(before);
  });

  test("an event script root did not put there, or one others can change, is not run", async () => {
    const ran = (name: string) => existsSync(at(`ran-${name}`));
    const script = (name: string, uid: number, mode: number) => {
      const p = mwanDir(`events.d/${name}`);
      writeFileSync(p, `#!/bin/sh\ntouch "${at(`ran-${name}`)}"\n`);
      chmodSync(p, mode);
      chownSync(p, uid, uid);
    };
    script("10-nobodys", NOBODY, 0o755); // as an earlier version's nobody-owned events.d let in
    script("20-writable", 0, 0o757);
    symlinkSync("/bin/true", mwanDir("events.d/30-link"));
    script("90-roots", 0, 0o755);
    const mark = rig.logMark();
    await switchAndBack();
    await rig.waitFor(() => ran("90-roots"), 5000, "the root-owned script");
    await Bun.sleep(300);
    expect([ran("10-nobodys"), ran("20-writable")]).toEqual([false, false]);
    const log = Buffer.from(rig.log()).subarray(mark).toString();
    expect(log).toContain("events.d/10-nobodys not run: it is owned by uid 65534, not root");
    expect(log).toContain("events.d/20-writable not run: it is writable by group or others");
    expect(log).toContain("events.d/30-link not run: it is a symbolic link");
    // install, run again, says which scripts will not run.
    const install = await rig.ok("install");
    expect(install.stderr).toContain(
      "/var/ipfire/mwan/events.d/10-nobodys will not run: it is owned by uid 65534",
    );
    for (const name of ["10-nobodys", "20-writable", "30-link", "90-roots"])
      rmSync(mwanDir(`events.d/${name}`));
  }, 60_000);

  test("a link at a network run's output file is replaced, its target left alone", async () => {
    for (const action of ["stop", "start"]) {
      rmSync(mwanDir(`state/network-${action}.log`), { force: true });
      symlinkSync(at("root-only"), mwanDir(`state/network-${action}.log`));
    }
    await switchAndBack();
    expect(readFileSync(at("root-only"), "utf8")).toBe(`${SECRET}\n`);
    for (const action of ["stop", "start"])
      expect(lstatSync(mwanDir(`state/network-${action}.log`)).isFile()).toBe(true);
  }, 60_000);

  test("ppp/secrets made a link to a root-only file (ppp/ is nobody's): the switch is refused, nothing is copied", async () => {
    const secrets = at("var/ipfire/ppp/secrets");
    const saved = readFileSync(secrets);
    const r = await asNobody(
      `ln -sf "$R/root-only" "$R/var/ipfire/ppp/secrets.new" && mv -f "$R/var/ipfire/ppp/secrets.new" "$R/var/ipfire/ppp/secrets"`,
    );
    expectExit({ ...r, stdout: "", ms: 0 }, 0); // IPFire lets the web server do this
    const out = await switchAndBack();
    expect(out).toContain("/var/ipfire/ppp/secrets: is a symbolic link, which mwan does not follow");
    expect(secretReadableByNobody()).toEqual([]);
    expect(readFileSync(mwanDir("state/primary-files"), "utf8")).not.toContain(SECRET);
    rmSync(secrets);
    writeFileSync(secrets, saved, { mode: 0o600 });
    chownSync(secrets, NOBODY, NOBODY);
  }, 60_000);

  test("a process of nobody's posing as IPFire's network run holds up no switch", async () => {
    mkdirSync(at("impostor"), { recursive: true });
    copyFileSync("/bin/sleep", at("impostor/network")); // comm "network"
    chmodSync(at("impostor"), 0o755);
    const poser = Bun.spawn(
      [
        "setpriv",
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        "--clear-groups",
        "--",
        "bash",
        "-c",
        `exec -a "$R/etc/rc.d/init.d/network" "$R/impostor/network" 600`,
      ],
      { env: { PATH: "/usr/bin:/bin", R: rig.root }, stdout: "ignore", stderr: "ignore" },
    );
    try {
      await Bun.sleep(200);
      const mark = rig.logMark();
      const t0 = performance.now();
      const r = await rig.mwan("switch", CABLE.name);
      expectOkSaying(r);
      expect(performance.now() - t0).toBeLessThan(15_000); // not SWITCH_UP_TIMEOUT (20 s) of waiting
      expect(Buffer.from(rig.log()).subarray(mark).toString()).not.toContain("wait for IPFire's network run");
      expectOk(await rig.mwan("failback"));
      await rig.ok("resume");
      expect(alive(poser.pid)).toBe(true); // and nobody's process was not killed either
    } finally {
      poser.kill("SIGKILL");
    }
  }, 60_000);

  test("a lock naming the daemon itself does not stop it from switching", async () => {
    writeFileSync(mwanDir("state/lock"), `${daemon} ${startTime(daemon)}\n`, { mode: 0o600 });
    const r = await rig.mwan("switch", CABLE.name);
    expectOk(r);
    expect(r.stdout).toContain(`RED is on ${CABLE.name}`);
    expectOk(await rig.mwan("failback"));
    await rig.ok("resume");
  }, 60_000);

  test("a FIFO or a link to /dev/zero among the profiles: commands answer at once, the daemon reloads and stops as usual", async () => {
    Bun.spawnSync(["mkfifo", mwanDir("profiles/fifo")]);
    symlinkSync("/dev/zero", mwanDir("profiles/zero"));
    try {
      for (const args of [
        ["config", "check"],
        ["profile", "list"],
        ["enable", "--no-start"],
      ]) {
        const r = await run(args, { root: rig.root, exe: MWAN_BIN, timeoutMs: 3000 });
        expect(`${r.stdout}${r.stderr}`).toMatch(/\b(fifo|zero)\b/);
      }
      const check = await run(["config", "check"], { root: rig.root, exe: MWAN_BIN });
      expect(check.stdout).toContain("cannot read profiles/fifo: not a regular file");
      expect(check.stdout).toContain("cannot read profiles/zero: is a symbolic link");
      const mark = rig.logMark();
      process.kill(daemon, "SIGHUP");
      const line = await rig.waitLog(/configuration not reloaded/, 3000, mark);
      expect(line).toMatch(/profiles\/(fifo|zero): (not a regular file|is a symbolic link)/);
      expectOk(await rig.mwan("status")); // the daemon answers
    } finally {
      rmSync(mwanDir("profiles/fifo"), { force: true });
      rmSync(mwanDir("profiles/zero"), { force: true });
    }
    const mark = rig.logMark();
    process.kill(daemon, "SIGHUP");
    await rig.waitLog(/configuration reloaded/, 3000, mark);
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon}/status`, "utf8"))?.[1]);
    expect(rss).toBeLessThan(150_000); // kB: no /dev/zero read into memory
  }, 30_000);

  test("terminal escapes in state/history do not reach the admin's terminal", async () => {
    const history = mwanDir("state/history");
    const saved = readFileSync(history, "utf8");
    const evil = {
      at: Date.now(),
      from: "dsl",
      to: "cable\u001b[2J",
      ok: false,
      reason: "\u001b]0;owned\u0007",
      result: "\u009b6n\u202e",
      ms: 1,
    };
    writeFileSync(history, `${saved}${JSON.stringify(evil)}\n`);
    const r = await rig.mwan("status");
    expectOk(r);
    expect(r.stdout).toContain("\\x1b]0;owned\\x07");
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    writeFileSync(history, saved);
  });

  test("a record of install naming a path outside the tree, or a file not mwan's: uninstall refuses, deletes nothing", async () => {
    const record = mwanDir("state/install.json");
    const saved = readFileSync(record, "utf8");
    writeFileSync(join(rig.root, "..", `${rig.root.split("/").at(-1)}-outside`), "keep\n");
    for (const bad of ["../x", "var/ipfire/ethernet/settings"]) {
      const manifest = JSON.parse(saved);
      manifest.files.push(bad);
      writeFileSync(record, JSON.stringify(manifest));
      const before = tree();
      const r = await rig.mwan("uninstall");
      expectExit(r, EXIT.failure);
      expect(r.stderr).toMatch(
        /state\/install.json: files\.\d+: not (a path inside the tree|a file mwan installs)/,
      );
      expect(tree()).toEqual(before);
    }
    writeFileSync(record, saved);
    expect(alive(daemon)).toBe(true);
  });

  test("a journal whose ppp/settings link leaves ppp/: boot recovery refuses it, links nothing", async () => {
    writeFileSync(at("var/ipfire/outside"), "TYPE=pppoe\n");
    const journal = {
      version: 1,
      from: "dsl",
      to: "cable",
      reason: "x",
      startedAt: Date.now(),
      phase: "written",
      original: {},
      target: { ppp: "TYPE=pppoe\n", pppLink: "../outside" },
      children: [],
    };
    writeFileSync(mwanDir("state/journal"), JSON.stringify(journal), { mode: 0o600 });
    const before = tree();
    const r = await rig.mwan("recover", "--files-only");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("state/journal: unreadable");
    expect(tree()).toEqual(before);
    expect(lstatSync(at("var/ipfire/outside")).nlink).toBe(1);
    rmSync(mwanDir("state/journal"));
    rmSync(at("var/ipfire/outside"));
  });

  test("state/active naming an Object property (constructor): the daemon starts and runs", async () => {
    await rig.ok("daemon", "stop");
    writeFileSync(mwanDir("state/active"), "constructor\n");
    daemon = await rig.start(false);
    await Bun.sleep(1000);
    expect(alive(daemon)).toBe(true);
    writeFileSync(mwanDir("state/active"), `${PRIMARY.name}\n`);
    await rig.ok("daemon", "restart");
    daemon = rig.daemonPid() as number;
    await rig.waitLog(/ is up: /, 10_000);
  }, 30_000);

  test("after all that, the daemon still fails over when the primary dies", async () => {
    const mark = rig.logMark();
    const switches = rig.history().length;
    await rig.blackHole(true);
    try {
      await rig.switchedTo(CABLE.name, switches, 20_000);
      expect(Buffer.from(rig.log()).subarray(mark).toString()).toMatch(/failover: dsl -> cable/);
    } finally {
      await rig.blackHole(false);
    }
  }, 40_000);
});

// The pid file may name a process that is not the daemon; nothing but a live
// root process of mwan's own executable counts (hooks signal it, stop kills
// it), whatever it is called.
describe.skipIf(skipWithout("privilege", asRoot))("impostors named in the pid file", () => {
  let root: string;
  let impostor: Subprocess | undefined;
  beforeAll(() => {
    root = join("/tmp", `mwan-test-impostor-${process.pid}`);
    for (const dir of ["var/run", "bin", "etc/rc.d/init.d/networking/red.up"])
      mkdirSync(join(root, dir), { recursive: true });
    chmodSync(root, 0o755);
  });
  afterAll(() => {
    impostor?.kill("SIGKILL");
    rmSync(root, { recursive: true, force: true });
  });

  const claim = async (p: Subprocess) => {
    await Bun.sleep(200);
    writeFileSync(join(root, "var/run/mwan.pid"), `${p.pid} ${startTime(p.pid)}\n`);
  };
  const poke = async () => {
    const hook = hookLink(root, "red.up");
    expectOk(await run(["up"], { exe: hook, root }));
    expectExit(await run(["daemon", "status"], { root }), EXIT.config);
  };

  test("a root program whose name starts with mwan", async () => {
    copyFileSync("/bin/sleep", join(root, "bin/mwan-daemon"));
    impostor = Bun.spawn([join(root, "bin/mwan-daemon"), "60"]);
    await claim(impostor);
    await poke();
    await Bun.sleep(200);
    expect(alive(impostor.pid)).toBe(true); // SIGUSR1 would have killed sleep
    impostor.kill("SIGKILL");
  });

  test("mwan's own binary, run by nobody", async () => {
    const elsewhere = join(root, "nobodys");
    mkdirSync(elsewhere, { recursive: true });
    chownSync(elsewhere, NOBODY, NOBODY);
    // Waits for a password on stdin: a live mwan process of nobody's.
    impostor = Bun.spawn(
      [
        "setpriv",
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        "--clear-groups",
        "--",
        MWAN_BIN,
        "--root",
        elsewhere,
        "profile",
        "create",
        "x",
        "--type=pppoe",
        "--device=eth1",
        "--username=u",
        "--password-stdin",
      ],
      { stdin: "pipe", stdout: "ignore", stderr: "ignore" },
    );
    await claim(impostor);
    await poke();
    await Bun.sleep(200);
    expect(alive(impostor.pid)).toBe(true);
    impostor.kill("SIGKILL");
  });
});
