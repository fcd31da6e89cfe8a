// `mwan events test` tries the admin's event scripts and mail the way the
// daemon delivers a real event, and `config check` refuses mail that has no
// one to go to. As root: event scripts only run when they are root's.

import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { configured } from "../helpers/fixtures.ts";
import { mwan } from "../helpers/run-bin.ts";
import { cleanup, makeRoot } from "../helpers/temp-root.ts";

afterEach(cleanup);

const NOBODY = 65534;
// Every variable a script gets, with every kind of event (README, "Logs,
// status and events").
const VARIABLES = [
  "MWAN_ACTIVE",
  "MWAN_ERROR",
  "MWAN_EVENT",
  "MWAN_FROM",
  "MWAN_HOST",
  "MWAN_KIND",
  "MWAN_MESSAGE",
  "MWAN_REASON",
  "MWAN_RESULT",
  "MWAN_SEQ",
  "MWAN_TIME",
  "MWAN_TO",
];

function script(root: string, rel: string, body: string, mode = 0o755): string {
  const p = join(root, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, `#!/bin/sh\n# TEST CODE\n${body}\n`, { mode });
  chmodSync(p, mode);
  return p;
}

const events = (root: string, name: string, body: string, mode?: number) =>
  script(root, `var/ipfire/mwan/events.d/${name}`, body, mode);

// Each variable's name, and whether it is set (not merely empty).
const setVariables = (root: string) =>
  readFileSync(join(root, "env.out"), "utf8")
    .split("\n")
    .filter((l) => l.startsWith("MWAN_"))
    .map((l) => l.split("=")[0])
    .sort();

describe("mwan events test", () => {
  test("runs every trusted script with MWAN_EVENT=test; each one's exit status and time", async () => {
    const root = makeRoot({ mwan: configured() });
    events(root, "10-env", `env > '${root}/env.out'`);
    events(root, "20-fails", `echo "no route to webhook" >&2\nexit 3`);
    events(root, "30-slow", "sleep 0.4");
    const r = await mwan(root, "events", "test");
    expect(r.code).toBe(EXIT.failure); // 20-fails failed
    const rows = r.stdout.split("\n");
    expect(rows[0]).toBe("events.d: 3 script(s) run with MWAN_EVENT=test");
    expect(rows[1]).toMatch(/^ {2}10-env +exit 0 +\d+\.\d\d s$/);
    expect(rows[2]).toMatch(/^ {2}20-fails +exit 3 +\d+\.\d\d s +no route to webhook$/);
    expect(rows[3]).toMatch(/^ {2}30-slow +exit 0 +0\.[4-9]\d s$/);
    expect(r.stdout).toContain("mail: not sent (MAIL is off; --mail sends one anyway)");
    expect(setVariables(root)).toEqual(VARIABLES);
    const env = readFileSync(join(root, "env.out"), "utf8");
    expect(env).toMatch(/^MWAN_EVENT=test$/m);
    expect(env).toMatch(/^MWAN_KIND=test$/m);
    expect(env).toMatch(/^MWAN_ACTIVE=home$/m);
    expect(env).toMatch(/^MWAN_RESULT=$/m);
    expect(env).toMatch(/^MWAN_SEQ=0$/m);
    expect(env).toMatch(/^PATH=\/usr\/local\/bin:/m);
    for (const l of r.stdout.split("\n")) expect(l.length).toBeLessThanOrEqual(80);
  });

  test("all scripts fine: exit 0", async () => {
    const root = makeRoot({ mwan: configured() });
    events(root, "10-ok", "exit 0");
    expectOk(await mwan(root, "events", "test"));
  });

  test("the daemon's trust rule: a script another user could change is not run, and says why", async () => {
    const root = makeRoot({ mwan: configured() });
    events(root, "10-writable", `touch '${root}/ran-writable'`, 0o775);
    const nobodys = events(root, "20-nobodys", `touch '${root}/ran-nobodys'`);
    chownSync(nobodys, NOBODY, NOBODY);
    events(root, "README~", "exit 0");
    const r = await mwan(root, "events", "test");
    expect(r.code).toBe(EXIT.failure);
    expect(r.stdout).toContain("events.d: 0 script(s) run with MWAN_EVENT=test");
    expect(r.stdout).toMatch(/^ {2}10-writable +not run +it is writable by group or others$/m);
    expect(r.stdout).toMatch(/^ {2}20-nobodys +not run +it is owned by uid 65534, not root$/m);
    expect(r.stdout).not.toContain("README~");
    expect(() => readFileSync(join(root, "ran-writable"))).toThrow();
    expect(() => readFileSync(join(root, "ran-nobodys"))).toThrow();
  });

  test("a file without an x bit is listed as not run, and fails nothing", async () => {
    const root = makeRoot({ mwan: configured() });
    events(root, "10-ok", "exit 0");
    events(root, "20-off", `touch '${root}/ran-off'`, 0o644);
    const r = await mwan(root, "events", "test");
    expectOk(r);
    expect(r.stdout).toContain("events.d: 1 script(s) run with MWAN_EVENT=test");
    expect(r.stdout).toMatch(/^ {2}20-off +not run +not executable$/m);
    expect(() => readFileSync(join(root, "ran-off"))).toThrow();
  });

  test("no scripts and mail off: says so, exit 0", async () => {
    const root = makeRoot({ mwan: configured() });
    const r = await mwan(root, "events", "test");
    expectOk(r);
    expect(r.stdout).toBe(
      "events.d: no scripts in /var/ipfire/mwan/events.d\nmail: not sent (MAIL is off; --mail sends one anyway)\n",
    );
  });

  test("with MAIL=on, one test mail through dma's sendmail to IPFire's recipient", async () => {
    const root = makeRoot({ mwan: configured(undefined, "PRIMARY=home\nMAIL=on\n") });
    mkdirSync(join(root, "var/ipfire/dma"), { recursive: true });
    writeFileSync(
      join(root, "var/ipfire/dma/mail.conf"),
      "USEMAIL=on\nSENDER=fw@example.com\nRECIPIENT=admin@example.com\n",
    );
    script(root, "usr/sbin/sendmail", `echo "$*" > '${root}/mail.args'\ncat > '${root}/mail.out'`);
    const r = await mwan(root, "events", "test");
    expectOk(r);
    expect(r.stdout).toMatch(/^mail: sent to admin@example\.com \(\d+\.\d\d s\)$/m);
    expect(readFileSync(join(root, "mail.args"), "utf8")).toBe("-t\n");
    const mail = readFileSync(join(root, "mail.out"), "utf8");
    expect(mail).toMatch(/^From: fw@example\.com$/m);
    expect(mail).toMatch(/^To: admin@example\.com$/m);
    expect(mail).toMatch(/^Subject: \[mwan\] test on .+: RED on home$/m);
  });

  test("--mail sends one with MAIL=off; a failing sendmail is reported and exits 1", async () => {
    const root = makeRoot({ mwan: configured(undefined, "PRIMARY=home\nMAIL_TO=me@example.com\n") });
    script(
      root,
      "usr/sbin/sendmail",
      `cat > /dev/null\necho "dma: cannot connect to smarthost" >&2\nexit 75`,
    );
    const r = await mwan(root, "events", "test", "--mail");
    expect(r.code).toBe(EXIT.failure);
    expect(r.stdout).toMatch(/^mail: sendmail exited 75: dma: cannot connect to smarthost \(\d+\.\d\d s\)$/m);
    const off = await mwan(root, "events", "test", "--no-mail");
    expectOk(off);
    expect(off.stdout).toContain("mail: not sent (--no-mail)");
  });

  test("--mail without a recipient or sendmail: what is missing", async () => {
    const root = makeRoot({ mwan: configured() });
    const none = await mwan(root, "events", "test", "--mail");
    expect(none.code).toBe(EXIT.failure);
    expect(none.stdout).toContain(
      "mail: no recipient (set MAIL_TO, or a recipient in IPFire's mail settings)\n",
    );
    const root2 = makeRoot({ mwan: configured(undefined, "PRIMARY=home\nMAIL_TO=me@example.com\n") });
    const r = await mwan(root2, "events", "test", "--mail");
    expect(r.code).toBe(EXIT.failure);
    expect(r.stdout).toMatch(/^mail: cannot run sendmail: /m);
  });
});

describe("config check and the mail recipient", () => {
  const NO_RECIPIENT =
    "error: settings: MAIL: on, but there is no recipient (set MAIL_TO, or a recipient in IPFire's mail settings)";

  test("MAIL=on with neither MAIL_TO nor a recipient in IPFire's mail settings is an error", async () => {
    const root = makeRoot({ mwan: configured(undefined, "PRIMARY=home\nMAIL=on\n") });
    mkdirSync(join(root, "var/ipfire/dma"), { recursive: true });
    writeFileSync(join(root, "var/ipfire/dma/mail.conf"), "USEMAIL=on\nSENDER=fw@example.com\nRECIPIENT=\n");
    const r = await expectUntouched(root, () => mwan(root, "config", "check"));
    expect(r.code).toBe(EXIT.config);
    expect(r.stdout).toContain(`${NO_RECIPIENT}\n`);
    const j = JSON.parse((await mwan(root, "config", "check", "--json")).stdout);
    expect(j.ok).toBe(false);
    expect(j.errors).toContain(NO_RECIPIENT.slice("error: ".length));
  });

  test("a recipient in either place, or MAIL=off, is fine", async () => {
    const cases = ["PRIMARY=home\nMAIL=on\nMAIL_TO=me@example.com\n", "PRIMARY=home\nMAIL=off\n"];
    for (const settings of cases)
      expectOk(await mwan(makeRoot({ mwan: configured(undefined, settings) }), "config", "check"));
    const root = makeRoot({ mwan: configured(undefined, "PRIMARY=home\nMAIL=on\n") });
    mkdirSync(join(root, "var/ipfire/dma"), { recursive: true });
    writeFileSync(join(root, "var/ipfire/dma/mail.conf"), "RECIPIENT=admin@example.com\n");
    expectOk(await mwan(root, "config", "check"));
  });
});
