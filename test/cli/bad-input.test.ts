// Broken files: a hand edit gone wrong, a truncated write, a stray byte.
// A command that acts on the file must say in one line which file and which
// line or key is at fault, exit 3, and leave every file exactly as it found
// it. (Commands that only read answer all the same, and config set repairs
// the key it names: damaged-settings.test.ts.)

import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, expectError, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { enableArgs, mwan } from "../helpers/run-bin.ts";
import { PROFILE, configured } from "../helpers/fixtures.ts";
import { type RootOptions, cleanup, makeRoot, mwanFile } from "../helpers/temp-root.ts";

afterEach(cleanup);

interface Case {
  what: string;
  root: RootOptions;
  commands: string[][];
  parts: string[]; // what the error line must name
}

const withSettings = (settings: string): RootOptions => ({
  mwan: configured({ static: "office" }, settings),
});
const withProfile = (text: string): RootOptions => ({
  mwan: { ...configured({ static: "office" }), "profiles/bad": text },
});

// Commands that act on what mwan's settings say.
const SETTINGS_READERS = [["profile", "delete", "office"], ["enable"]];

const CASES: Case[] = [
  {
    what: "a line without =",
    root: withSettings("PRIMARY=home\ngarbage\n"),
    commands: SETTINGS_READERS,
    parts: ["settings:2", "not a KEY=VALUE line"],
  },
  {
    what: "a duplicate key",
    root: withSettings("PRIMARY=home\nLOG_LEVEL=info\nLOG_LEVEL=debug\n"),
    commands: SETTINGS_READERS,
    parts: ["settings:3", "LOG_LEVEL", "duplicate", "line 2"],
  },
  {
    what: "a NUL byte in a value",
    root: withSettings("PRIMARY=home\nLOG_LEVEL=in\0fo\n"),
    commands: SETTINGS_READERS,
    parts: ["settings:2", "LOG_LEVEL", "NUL"],
  },
  {
    what: "an invalid value",
    root: withSettings("PRIMARY=home\nPROBE_TARGETS=9.9.9.9,dns.example\n"),
    commands: [["enable"]],
    parts: ["settings", "PROBE_TARGETS"],
  },
  {
    what: "a profile with a line without =",
    root: withProfile("TYPE=DHCP\nDEVICE=eth1\ngarbage\n"),
    commands: [["profile", "show", "bad"], ["profile", "edit", "bad", "--priority=2"], ["enable"]],
    parts: ["profiles/bad:3", "not a KEY=VALUE line"],
  },
  {
    what: "a profile with a duplicate key",
    root: withProfile(`${PROFILE.dhcp}DEVICE=eth1\n`),
    commands: [["profile", "show", "bad"], ["profile", "edit", "bad", "--priority=2"], ["enable"]],
    parts: ["profiles/bad:5", "DEVICE", "duplicate"],
  },
  {
    what: "a profile of an unknown TYPE",
    root: withProfile("TYPE=WIMAX\nDEVICE=eth1\n"),
    commands: [["profile", "edit", "bad", "--priority=2"], ["enable"]],
    parts: ["profiles/bad", "TYPE", "WIMAX"],
  },
  {
    what: "a profile with a key mwan does not know",
    root: withProfile(`${PROFILE.dhcp}BANDWIDTH=100\n`),
    commands: [["enable"]],
    parts: ["profiles/bad", "BANDWIDTH", "unknown key"],
  },
  {
    what: "ethernet/settings with a NUL byte in RED_TYPE",
    root: { ethernet: { RED_TYPE: "DH\0CP" } },
    commands: [["profile", "import-current", "home"]],
    parts: ["/var/ipfire/ethernet/settings", "RED_TYPE", "is not DHCP, STATIC or PPPOE"],
  },
];

describe.each(CASES)("$what", ({ root: opts, commands, parts }) => {
  test.each(commands.map((c) => [c.join(" "), c]))("mwan %s", async (_, command) => {
    const root = makeRoot(opts);
    const args = command[0] === "enable" ? await enableArgs() : command;
    await expectUntouched(root, async () => {
      expectError(await mwan(root, ...args), EXIT.config, ...parts);
    });
  });
});

// Nothing is written until everything is checked: a profile without the
// PRIMARY it was meant to become would look imported.
describe("profile import-current with broken settings writes nothing", () => {
  test.each([
    ["an invalid value", "LOG_LEVEL=loud\n", ["settings", "LOG_LEVEL"]],
    ["an unknown key", "FAILOVER_DELAY=5\n", ["settings", "FAILOVER_DELAY", "unknown key"]],
    ["a line without =", "garbage\n", ["settings:1", "not a KEY=VALUE line"]],
  ])("%s", async (_, settings, parts) => {
    const root = makeRoot({ mwan: { settings } });
    await expectUntouched(root, async () => {
      expectError(await mwan(root, "profile", "import-current", "home"), EXIT.config, ...parts);
    });
  });
});

// A stray Latin-1 byte would come back as EF BF BD if mwan decoded it
// leniently and rewrote the file: such files are refused, naming the line.
describe("files that are not UTF-8", () => {
  const LATIN1 = (text: string) => Buffer.from(text, "latin1");
  const cases: [string, string, Buffer, string[][], string][] = [
    [
      "mwan's settings",
      "var/ipfire/mwan/settings",
      LATIN1("PRIMARY=home\nMAIL_TO=m\xfcller@example.com\n"),
      [...SETTINGS_READERS, ["config", "set", "LOG_LEVEL", "debug"], ["disable"], ["config", "check"]],
      "settings:2: not valid UTF-8 text; mwan does not rewrite it",
    ],
    [
      "a profile",
      "var/ipfire/mwan/profiles/office",
      LATIN1(`${PROFILE.static}DESCRIPTION=B\xfcro\n`),
      [["profile", "show", "office"], ["profile", "edit", "office", "--priority=4"], ["enable"]],
      "profiles/office:8: not valid UTF-8 text; mwan does not rewrite it",
    ],
    [
      "IPFire's ethernet/settings",
      "var/ipfire/ethernet/settings",
      LATIN1(
        "RED_TYPE=DHCP\nRED_DEV=red0\nRED_MACADDR=52:54:00:aa:bb:01\nRED_DESCRIPTION='Netzwerkkarte f\xfcr RED'\n",
      ),
      [["profile", "import-current", "spare"]],
      "/var/ipfire/ethernet/settings:4: not valid UTF-8 text; mwan does not rewrite it",
    ],
  ];
  for (const [what, rel, bytes, commands, message] of cases)
    test.each(commands.map((c) => [c.join(" "), c]))(`${what}: mwan %s`, async (_, command) => {
      const root = makeRoot({ mwan: configured({ static: "office" }) });
      writeFileSync(join(root, rel), bytes);
      const args = command[0] === "enable" ? await enableArgs() : command;
      await expectUntouched(root, async () => {
        const r = await mwan(root, ...args);
        if (args[1] === "check") {
          expect(r.code).toBe(EXIT.config);
          expect(r.stdout).toContain(`error: ${message}`);
        } else expectError(r, EXIT.config, message);
      });
    });

  test("valid UTF-8 is kept byte for byte", async () => {
    const file = "# Einstellungen für mwan\nPRIMARY=home\nLOG_LEVEL=info\n";
    const root = makeRoot({ mwan: configured({ static: "office" }, file) });
    expectOk(await mwan(root, "config", "set", "LOG_LEVEL", "debug"));
    expect(mwanFile(root, "settings")).toBe(file.replace("info", "debug"));
  });
});

describe("missing files", () => {
  test("no settings file: the defaults apply", async () => {
    const root = makeRoot();
    const r = await mwan(root, "config", "get", "LOG_LEVEL");
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toBe("info\n");
  });

  test("PRIMARY names a profile whose file is gone", async () => {
    const root = makeRoot({
      mwan: { settings: "PRIMARY=home\n", "profiles/office": PROFILE.static },
    });
    await expectUntouched(root, async () => {
      expectError(await mwan(root, ...(await enableArgs())), EXIT.config, "PRIMARY", '"home"');
      const r = await mwan(root, "config", "check");
      expect(r.code).toBe(EXIT.config);
      expect(r.stdout).toContain('PRIMARY: no profile named "home"');
    });
  });

  test("a profile directory that is a file", async () => {
    const root = makeRoot({ mwan: { profiles: "not a directory\n" } });
    await expectUntouched(join(root, "var"), async () => {
      const r = await mwan(root, "profile", "create", "x", "--type=dhcp", "--device=eth1");
      expect(r.code).not.toBe(EXIT.ok);
      expect(r.stderr.trimEnd().split("\n").at(-1)).toMatch(/^mwan: .*profiles/);
    });
  });
});
