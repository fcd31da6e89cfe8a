// The optional parts around a switch (mail through dma, events.d scripts)
// broken in every way an admin's box can break them: each time the daemon
// still fails over at once, says what is broken in its log, and goes on
// taking commands. One daemon run per fault, on one rig.

import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { expectOk } from "../helpers/expect-cli.ts";
import { skipNetTests } from "../net/netns.ts";
import { alive, CABLE, DaemonRig, PRIMARY } from "./rig.ts";

describe.skipIf(skipNetTests())("a failover with an optional part broken", () => {
  let rig: DaemonRig;
  const tag = () => `export MWAN_STANDIN_ROOT='${rig.root}'`;

  beforeAll(async () => {
    rig = await DaemonRig.create({ settings: { MAIL_TO: "admin@example.com", MAIL_INTERVAL: "0" } });
  }, 30_000);
  afterEach(async () => {
    await rig.blackHole(false).catch(() => {});
    await rig.mwan("daemon", "stop");
    for (const rel of ["var/ipfire/dma/mail.conf", "usr/sbin/sendmail", "var/ipfire/mwan/events.d/50-broken"])
      rmSync(rig.path(rel), { force: true });
    // Back on the primary for the next case.
    if (rig.history().at(-1)?.to === CABLE.name) await rig.ok("failback");
    await rig.ok("config", "set", "MAIL", "off");
  });
  afterAll(() => rig?.cleanup());

  // Starts the daemon, kills the primary, and returns the log from the start
  // once RED is on cable; the daemon must then still take a command.
  async function failover(): Promise<string> {
    const mark = rig.logMark();
    const pid = await rig.start();
    const switches = rig.history().length;
    const fault = Date.now();
    await rig.blackHole(true);
    await rig.switchedTo(CABLE.name, switches, 15_000);
    const entry = rig
      .history()
      .slice(switches)
      .find((h) => h.to === CABLE.name) as { at: number };
    expect(entry.at - fault).toBeLessThan(6000);
    expect(alive(pid)).toBe(true);
    const status = await rig.mwan("status");
    expectOk(status);
    expect(status.stdout).toContain(`RED       on ${CABLE.name}`);
    expect(status.stdout).not.toContain("switching ");
    expectOk(await rig.mwan("hold"));
    expectOk(await rig.mwan("resume"));
    return Buffer.from(rig.log()).subarray(mark).toString();
  }

  // IPFire's own readers skip such a line (contract §0a.5), and so does mwan.
  test("a mail.conf with a line that is not KEY=VALUE, with MAIL=on: the mail still goes out", async () => {
    await rig.ok("config", "set", "MAIL", "on");
    mkdirSync(rig.path("var/ipfire/dma"), { recursive: true });
    writeFileSync(
      rig.path("var/ipfire/dma/mail.conf"),
      "USEMAIL=on\nthis line is not a setting\nSENDER=fw@example.com\n",
    );
    rig.script("usr/sbin/sendmail", `${tag()}\ncat > '${rig.root}/mail.out'`);
    await failover();
    await rig.waitFor(() => rig.read("mail.out") !== undefined, 5000, "the mail");
    expect(rig.read("mail.out")).toContain("From: fw@example.com\n");
    rmSync(rig.path("mail.out"));
  }, 40_000);

  test("a mail.conf that cannot be read (a FIFO in its place), with MAIL=on", async () => {
    await rig.ok("config", "set", "MAIL", "on");
    mkdirSync(rig.path("var/ipfire/dma"), { recursive: true });
    Bun.spawnSync(["mkfifo", rig.path("var/ipfire/dma/mail.conf")]);
    rig.script("usr/sbin/sendmail", `${tag()}\ncat > /dev/null`);
    const log = await failover();
    expect(log).toMatch(/WARN +mail: cannot read \/var\/ipfire\/dma\/mail.conf: not a regular file/);
  }, 40_000);

  test("no sendmail at all, with MAIL=on", async () => {
    await rig.ok("config", "set", "MAIL", "on");
    const log = await failover();
    expect(log).toMatch(/WARN +mail: cannot run sendmail/);
  }, 40_000);

  test("an event script that hangs", async () => {
    rig.script(
      "var/ipfire/mwan/events.d/50-broken",
      `${tag()}\necho $$ > '${rig.root}/hung.pid'\nsleep 1000`,
    );
    await failover();
    // Still hanging when the switch was long done: nothing waited for it.
    const pid = Number(rig.read("hung.pid"));
    expect(alive(pid)).toBe(true);
  }, 40_000);

  test("an event script that exits non-zero", async () => {
    rig.script("var/ipfire/mwan/events.d/50-broken", `${tag()}\necho "no route to webhook" >&2\nexit 3`);
    const log = await failover();
    expect(log).toMatch(/events\.d\/50-broken exited 3: no route to webhook/);
  }, 40_000);

  test("an event script that forks a child and exits: the child does not live on", async () => {
    rig.script(
      "var/ipfire/mwan/events.d/50-broken",
      `${tag()}\nsleep 1000 &\necho $! > '${rig.root}/child.pid'\nexit 0`,
    );
    await failover();
    await rig.waitFor(() => rig.read("child.pid") !== undefined, 3000, "the script's child");
    const child = Number(rig.read("child.pid"));
    await rig.waitFor(() => !alive(child), 3000, "the child to be gone");
    expect(rig.history().at(-1)?.from).toBe(PRIMARY.name);
  }, 40_000);
});
