// `mwan status`, `mwan status --json` and `mwan history` without a daemon,
// as an admin meets them on a box: a RED that matches no profile said
// plainly, nothing watching RED though mwan is enabled, the documented JSON
// schema, ISO 8601 times, and the exit codes the README gives.

import { afterEach, describe, expect, test } from "bun:test";
import {
  EXIT,
  expectError,
  expectExit,
  expectNoSuchProfile,
  expectOk,
  expectUntouched,
} from "../helpers/expect-cli.ts";
import { PROFILE } from "../helpers/fixtures.ts";
import { mwan } from "../helpers/run-bin.ts";
import { cleanup, makeRoot, put } from "../helpers/temp-root.ts";

afterEach(cleanup);

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/;

// RED is DHCP on red0 (makeRoot's default); `home` is that, `lte` a QMI backup.
const box = (settings: string) =>
  makeRoot({ mwan: { settings, "profiles/home": PROFILE.dhcp, "profiles/lte": PROFILE.qmi } });

describe("RED and the profile mwan believes it is on", () => {
  test("a RED that matches its profile: no warning", async () => {
    const r = await mwan(box("PRIMARY=home\n"), "status");
    expectOk(r);
    expect(r.stdout).not.toContain("matches no profile");
  });

  test("PRIMARY a QMI profile while RED is DHCP: said plainly, naming both", async () => {
    const root = makeRoot({ mwan: { settings: "PRIMARY=lte\n", "profiles/lte": PROFILE.qmi } });
    const r = await mwan(root, "status");
    expectOk(r);
    const text = r.stdout.replaceAll("\n  ", " ");
    expect(text).toContain(
      "warning: RED holds a configuration that matches no profile: RED is DHCP on red0; profile lte is QMI APN internet.provider.example on its modem (mwan believes it is on lte;",
    );
    const j = JSON.parse((await mwan(root, "status", "--json")).stdout);
    expect(j.red.mismatch).toBe(
      "RED is DHCP on red0; profile lte is QMI APN internet.provider.example on its modem",
    );
    expect(j.red.matches).toBeNull();
  });

  test("state/active naming one profile while RED holds another's: names both", async () => {
    const root = box("PRIMARY=home\n");
    put(root, "var/ipfire/mwan/state/active", "lte\n");
    const r = await mwan(root, "status");
    expectOk(r);
    expect(r.stdout.replaceAll("\n  ", " ")).toContain(
      "warning: RED holds the configuration of home, not of lte, which mwan believes it is on (RED is DHCP on red0;",
    );
    expect(JSON.parse((await mwan(root, "status", "--json")).stdout).red.matches).toBe("home");
  });
});

describe("mwan enabled, no daemon", () => {
  test("status exits 3 and says nothing will fail over or back", async () => {
    const r = await mwan(box("PRIMARY=home\nENABLED=on\n"), "status");
    expectExit(r, EXIT.config);
    expect(r.stdout.split("\n")[0]).toBe(
      "the daemon is not running: nothing will fail over or back (mwan daemon start)",
    );
  });

  test("disabled: exit 0, and the first line says nothing switches", async () => {
    const r = await mwan(box("PRIMARY=home\n"), "status");
    expectOk(r);
    expect(r.stdout.split("\n")[0]).toBe("mwan is disabled: nothing switches automatically (mwan enable)");
  });
});

// Two switches as state/history keeps them (one line of JSON each).
const HISTORY = [
  {
    at: Date.UTC(2026, 11, 3, 6, 20, 24),
    from: "home",
    to: "lte",
    ok: true,
    reason: "failover: home down: no target answered in 5 rounds",
    result: "on lte",
    ms: 2700,
  },
  {
    at: Date.UTC(2026, 11, 3, 6, 25, 0),
    from: "lte",
    to: "home",
    ok: false,
    reason: "failback: 300 s on lte",
    result: "home: RED did not come up within 20 s; back on lte",
    ms: 21_000,
  },
];

function withHistory(): string {
  const root = box("PRIMARY=home\n");
  put(root, "var/ipfire/mwan/state/history", `${HISTORY.map((h) => JSON.stringify(h)).join("\n")}\n`);
  put(root, "var/ipfire/mwan/state/active", "lte\n");
  return root;
}

describe("status --json follows its documented schema", () => {
  test("version 1, every key once, ISO times, the switches once", async () => {
    const r = await mwan(withHistory(), "status", "--json");
    expectOk(r);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).sort()).toEqual(
      [
        "version",
        "time",
        "headline",
        "attention",
        "enabled",
        "daemon",
        "hold",
        "primary",
        "active",
        "activeSince",
        "red",
        "health",
        "probeProblem",
        "switching",
        "interrupted",
        "failback",
        "noUplink",
        "profiles",
        "targets",
        "switches",
      ].sort(),
    );
    expect(j.version).toBe(1);
    expect(j.time).toMatch(ISO);
    // Since the switch that put RED on lte ended (at + ms), to the second.
    expect(Date.parse(j.activeSince)).toBe(Date.UTC(2026, 11, 3, 6, 20, 26));
    expect(j.switches.kept).toBe(2);
    expect(j.switches.recent.map((s: { number: number }) => s.number)).toEqual([2, 1]);
    expect(j.switches.recent[1]).toEqual({
      number: 1,
      at: j.switches.recent[1].at,
      from: "home",
      to: "lte",
      ok: true,
      reason: HISTORY[0]?.reason,
      result: "on lte",
      seconds: 2.7,
    });
    expect(j.switches.recent[1].at).toMatch(ISO);
  });
});

describe("mwan history", () => {
  test("every switch, oldest first, numbered, ISO 8601 times, reasons whole", async () => {
    const r = await mwan(withHistory(), "history");
    expectOk(r);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ {2}1 {2}2026-12-03T\S+ {2}home -> lte {2}ok {2}2\.7 s$/);
    // Wrapped onto indented lines of their own, never cut off.
    expect(r.stdout.replace(/\n {7}/g, " ")).toContain(
      "failback: 300 s on lte; home: RED did not come up within 20 s; back on lte",
    );
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    const j = JSON.parse((await mwan(withHistory(), "history", "--json")).stdout);
    expect(j.version).toBe(1);
    expect(j.switches).toHaveLength(2);
  });

  test("a switch's log lines; a number out of range is a usage error", async () => {
    const root = withHistory();
    put(
      root,
      "var/log/mwan.log",
      [
        "2026-12-03T06:20:20.000Z INFO  long before",
        "2026-12-03T06:20:23.900Z WARN  home is down: no target answered in 5 rounds",
        "2026-12-03T06:20:25.100Z INFO    ok 0.30 s network stop red",
        "2026-12-03T06:20:40.000Z INFO  long after",
        "",
      ].join("\n"),
    );
    const r = await mwan(root, "history", "1");
    expectOk(r);
    expect(r.stdout).toContain("home is down: no target answered in 5 rounds");
    expect(r.stdout).toContain("network stop red");
    expect(r.stdout).not.toContain("long before");
    expect(r.stdout).not.toContain("long after");
    expectError(await mwan(root, "history", "3"), EXIT.usage, "3: no such switch (1 to 2");
  });
});

// Every command that takes a profile name says it alike: one line, exit 2,
// nothing before it, nothing written.
describe("no such profile is a command-line error (exit 2), not an invalid file (3)", () => {
  for (const args of [
    ["profile", "show", "nosuch"],
    ["profile", "show", "nosuch", "--json"],
    ["profile", "delete", "nosuch"],
    ["profile", "delete", "nosuch", "--yes"],
    ["profile", "edit", "nosuch", "--priority=4"],
    ["switch", "nosuch"],
    ["switch", "--dry-run", "nosuch"],
    ["config", "set", "PRIMARY", "nosuch"],
  ])
    test(args.join(" "), async () => {
      const root = box("PRIMARY=home\n");
      const r = await expectUntouched(root, () => mwan(root, ...args));
      if (args.includes("--json")) {
        expectExit(r, EXIT.usage);
        expect(JSON.parse(r.stdout)).toEqual({
          error: { message: "profiles/nosuch: no such profile (see mwan profile list)", exit: EXIT.usage },
        });
      } else expectNoSuchProfile(r, "nosuch");
    });
});
