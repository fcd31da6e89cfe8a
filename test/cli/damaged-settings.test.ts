// A hand edit gone wrong in mwan's settings: the commands that only read
// still answer (the problem after the answer, on stderr, exit 3, nothing
// written), `config set` and `config unset` repair the key they name and keep
// every other line, and `daemon start` says why the daemon did not start.

import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, expectError, expectExit, expectUntouched } from "../helpers/expect-cli.ts";
import { mwan } from "../helpers/run-bin.ts";
import { configured } from "../helpers/fixtures.ts";
import { cleanup, makeRoot, mwanFile, put } from "../helpers/temp-root.ts";

afterEach(cleanup);

const DUPLICATE = "# mwan\nFAILBACK_DELAY=30\nPRIMARY=home\nLOG_LEVEL=info\nFAILBACK_DELAY=45\n";
const DUPLICATE_PROBLEM = "mwan: settings:5: FAILBACK_DELAY: duplicate key (first set on line 2)";

const damaged = (settings: string) => makeRoot({ mwan: configured({ static: "office" }, settings) });

// The lines on stderr that start with "mwan: ", in order.
const problemLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("mwan: "));

describe("commands that only read answer in spite of a damaged settings file", () => {
  const FILES: [string, string, string, string][] = [
    ["a key set twice", DUPLICATE, DUPLICATE_PROBLEM, "FAILBACK_DELAY"],
    [
      "a line that is not KEY=VALUE",
      "PRIMARY=home\nFAILBACK_DELAY=30\nfailback delay 30\n",
      "mwan: settings:3: not a KEY=VALUE line",
      "",
    ],
    [
      "a value out of range",
      "PRIMARY=home\nFAILBACK_DELAY=2\n",
      "mwan: settings: FAILBACK_DELAY: must be a whole number from 5 to 86400",
      "FAILBACK_DELAY",
    ],
  ];
  // What each command must still show: the part of its answer that does not
  // depend on the broken key.
  const COMMANDS: [string[], RegExp][] = [
    [["status"], /^RED\s+on home \(primary\)$/m],
    [["config", "show"], /^PRIMARY\s+home\s/m],
    [["config", "get", "PRIMARY"], /^home\n$/],
    [["profile", "list"], /^\*\s+home\s+DHCP\s+primary.*\n\s+office\s+STATIC\s+backup/m],
    [["switch", "--dry-run", "office"], /^dry run: RED home -> office$/m],
    [["failback", "--dry-run"], /^dry run: RED home -> home$/m],
  ];
  for (const [what, settings, problem, defaulted] of FILES)
    test.each(COMMANDS.map(([c, shown]) => [c.join(" "), c, shown] as const))(
      `${what}: mwan %s`,
      async (_, command, shown) => {
        const root = damaged(settings);
        const r = await expectUntouched(root, () => mwan(root, ...command));
        expectExit(r, EXIT.config);
        expect(r.stdout).toMatch(shown);
        const lines = problemLines(r.stderr);
        expect(lines[0]).toBe(problem);
        if (defaulted)
          expect(lines.at(-1)).toBe(
            `mwan: ${defaulted}: taken as the default until fixed (mwan config set KEY VALUE)`,
          );
        else expect(lines).toHaveLength(1);
      },
    );

  test("config show marks the key it could not read and shows its default", async () => {
    const root = damaged(DUPLICATE);
    const r = await mwan(root, "config", "show");
    expect(r.stdout).toMatch(/^FAILBACK_DELAY\s+60\s+\(default: unreadable\)/m);
    expect(r.stdout).toMatch(/^LOG_LEVEL\s+info\n {4}error, warn/m);
    const json = JSON.parse((await mwan(root, "config", "show", "--json")).stdout);
    expect(json.FAILBACK_DELAY).toEqual({ value: "60", default: true, unreadable: true });
    expect(json.PRIMARY).toEqual({ value: "home", default: false });
    const get = await mwan(root, "config", "get", "FAILBACK_DELAY", "--json");
    expect(JSON.parse(get.stdout)).toEqual({
      key: "FAILBACK_DELAY",
      value: "60",
      default: true,
      unreadable: true,
    });
  });

  test("status --json stays JSON; the problem goes to stderr", async () => {
    const root = damaged(DUPLICATE);
    const r = await mwan(root, "status", "--json");
    expectExit(r, EXIT.config);
    expect(JSON.parse(r.stdout).primary).toBe("home");
    expect(problemLines(r.stderr)[0]).toBe(DUPLICATE_PROBLEM);
  });

  test("a settings file that is not UTF-8 leaves every key at its default", async () => {
    const root = damaged("");
    writeFileSync(
      `${root}/var/ipfire/mwan/settings`,
      Buffer.from("PRIMARY=home\nMAIL_TO=m\xfc@x.example\n", "latin1"),
    );
    const r = await mwan(root, "profile", "list");
    expectExit(r, EXIT.config);
    expect(r.stdout).toMatch(/^\s+home\s+DHCP\s+backup/m);
    expect(problemLines(r.stderr)[0]).toBe(
      "mwan: settings:2: not valid UTF-8 text; mwan does not rewrite it",
    );
  });
});

describe("config set and config unset repair the key they name", () => {
  test("a key set twice is left once, with the new value, every other line kept", async () => {
    const root = damaged(DUPLICATE);
    const r = await mwan(root, "config", "set", "FAILBACK_DELAY", "20");
    expectExit(r, EXIT.ok);
    expect(r.stdout).toBe("FAILBACK_DELAY=20\n");
    expect(r.stderr).toBe("");
    expect(mwanFile(root, "settings")).toBe("# mwan\nFAILBACK_DELAY=20\nPRIMARY=home\nLOG_LEVEL=info\n");
    expectExit(await mwan(root, "status"), EXIT.ok);
  });

  test("unset removes every line of the key", async () => {
    const root = damaged(DUPLICATE);
    const r = await mwan(root, "config", "unset", "failback_delay");
    expectExit(r, EXIT.ok);
    expect(r.stdout).toBe("FAILBACK_DELAY restored to its default\n");
    expect(mwanFile(root, "settings")).toBe("# mwan\nPRIMARY=home\nLOG_LEVEL=info\n");
  });

  test("another broken key does not stop the change, and is reported", async () => {
    const file = `${DUPLICATE}LOG_LEVEL=loud\nnot a line\n`;
    const root = damaged(file);
    const r = await mwan(root, "config", "set", "PROBE_DNS", "none");
    expectExit(r, EXIT.ok);
    expect(r.stdout).toBe("PROBE_DNS=none\n");
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      DUPLICATE_PROBLEM.replace("mwan: ", "warning: "),
      "warning: settings:6: LOG_LEVEL: duplicate key (first set on line 4)",
      "warning: settings:7: not a KEY=VALUE line",
    ]);
    expect(mwanFile(root, "settings")).toBe(`${file}PROBE_DNS=none\n`);
  });

  test("a bad value is still refused, and the file left as it was", async () => {
    const root = damaged(DUPLICATE);
    await expectUntouched(root, async () => {
      expectError(await mwan(root, "config", "set", "FAILBACK_DELAY", "2"), EXIT.config, "FAILBACK_DELAY");
      expectError(await mwan(root, "config", "unset", "ENABLED"), EXIT.usage, "mwan enable");
    });
  });
});

describe("daemon start says why the daemon did not start", () => {
  test("a damaged settings file: the daemon's own reason, exit 3", async () => {
    const root = damaged(DUPLICATE);
    mkdirSync(join(root, "var/log"));
    const r = await mwan(root, "daemon", "start");
    expectError(r, EXIT.config, DUPLICATE_PROBLEM.replace("mwan: ", "mwan: the daemon did not start: "));
  });

  test("a PRIMARY without its profile: named, not only the log file", async () => {
    const root = damaged("PRIMARY=dsl\n");
    mkdirSync(join(root, "var/log"));
    expectError(
      await mwan(root, "daemon", "start"),
      EXIT.config,
      'the daemon did not start: settings: PRIMARY: no profile named "dsl"',
    );
  });

  test("several problems: a line each, as the daemon logged them", async () => {
    const root = damaged("PRIMARY=dsl\nLOG_LEVEL=loud\n");
    mkdirSync(join(root, "var/log"));
    const r = await mwan(root, "daemon", "start");
    expect(r.code).toBe(EXIT.config);
    expect(r.stderr).toBe(
      [
        "mwan: the daemon did not start (see /var/log/mwan.log):",
        "mwan: settings: LOG_LEVEL: must be error, warn, info or debug",
        'mwan: settings: PRIMARY: no profile named "dsl"',
        "",
      ].join("\n"),
    );
  });

  // Nothing in the log to read the reason from: the same check, made by the
  // command itself, and no pointer to a log that holds nothing.
  test.each([
    ["no /var/log", (_: string) => {}],
    [
      "a log that is not a file",
      (root: string) => mkdirSync(join(root, "var/log/mwan.log"), { recursive: true }),
    ],
  ])("a log it could not write (%s): the problem, checked by the command", async (_, breakLog) => {
    const root = damaged(DUPLICATE);
    breakLog(root);
    const r = await mwan(root, "daemon", "start");
    expectError(r, EXIT.config, DUPLICATE_PROBLEM.replace("mwan: ", "mwan: the daemon did not start: "));
    expect(r.stderr).not.toContain("(see ");
  });

  test("a log it could not write: every problem, one line each", async () => {
    const root = damaged("PRIMARY=home\n");
    put(root, "var/ipfire/mwan/profiles/lte", "TYPE=QMI\nPRIORITY=3\n");
    put(root, "var/ipfire/mwan/profiles/umts", "TYPE=QMI\nPRIORITY=4\n");
    const r = await mwan(root, "daemon", "start");
    expectExit(r, EXIT.config);
    expect(problemLines(r.stderr)).toEqual([
      "mwan: the daemon did not start:",
      "mwan: profiles/lte: APN: required for TYPE=QMI",
      "mwan: profiles/umts: APN: required for TYPE=QMI",
    ]);
  });

  test("daemon run in the foreground: each problem on its stderr, exit 3", async () => {
    const root = damaged(DUPLICATE);
    put(root, "var/ipfire/mwan/profiles/lte", "TYPE=QMI\nPRIORITY=3\n");
    const r = await mwan(root, "daemon", "run");
    expectExit(r, EXIT.config);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`${DUPLICATE_PROBLEM}\nmwan: profiles/lte: APN: required for TYPE=QMI\n`);
  });

  // A reason only the daemon meets, read back from what it logged.
  test("a pid file it cannot take: the reason it logged", async () => {
    const root = damaged("PRIMARY=home\n");
    mkdirSync(join(root, "var/log"));
    put(root, "var/run", "not a directory\n");
    const r = await mwan(root, "daemon", "start");
    if (r.code === EXIT.ok) await mwan(root, "daemon", "stop");
    expectError(r, EXIT.failure, "mwan: the daemon did not start: ", "/var/run", "(see /var/log/mwan.log)");
    expect(r.stderr).not.toContain("exited with status");
  });
});
