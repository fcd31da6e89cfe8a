// mwan's global settings: shown with their defaults, changed one key at a
// time with the whole file checked first, and checked as a whole (every
// problem listed, not just the first). enable/disable switch ENABLED.

import { afterEach, describe, expect, test } from "bun:test";
import { EXIT, expectError, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { enableArgs, mwan } from "../helpers/run-bin.ts";
import { PROFILE, configured } from "../helpers/fixtures.ts";
import { MAC, cleanup, makeRoot, mwanFile, put, read, readhash } from "../helpers/temp-root.ts";

afterEach(cleanup);

const DEFAULT_LEVEL = "info";

describe("config show / get", () => {
  test("without a settings file every key shows its default", async () => {
    const root = makeRoot();
    const r = await mwan(root, "config", "show");
    expectOk(r);
    expect(r.stdout).toMatch(/^ENABLED\s+off\s+\(default\)/m);
    expect(r.stdout).toMatch(/^LOG_LEVEL\s+info\s+\(default\)/m);
    const json = JSON.parse((await mwan(root, "config", "show", "--json")).stdout) as Record<
      string,
      { value: string; default: boolean }
    >;
    expect(json.ENABLED).toEqual({ value: "off", default: true });
    expect(Object.values(json).every((v) => v.default)).toBe(true);
  });

  // An 80-column ssh console: each description on its own indented lines.
  test("fits 80 columns, a long value moving no other line", async () => {
    const url = "https://connectivity-check.example.net/generate_204";
    const root = makeRoot({ mwan: { settings: `PROBE_HTTP=${url}\nLOG_LEVEL=debug\n` } });
    const r = await mwan(root, "config", "show");
    expectOk(r);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    expect(lines).toContain(`PROBE_HTTP           ${url}`);
    expect(lines).toContain("LOG_LEVEL            debug");
    expect(lines).toContain("ENABLED              off  (default)");
    expect(lines[lines.indexOf("ENABLED              off  (default)") + 1]).toBe(
      "    on: the daemon watches RED and fails over",
    );
  });

  test("a value set in the file is shown as not the default", async () => {
    const root = makeRoot({ mwan: { settings: "LOG_LEVEL=debug\n" } });
    const r = await mwan(root, "config", "show", "--json");
    expect(JSON.parse(r.stdout).LOG_LEVEL).toEqual({
      value: "debug",
      default: false,
    });
  });

  test("get prints the bare value; the key is case-insensitive", async () => {
    const root = makeRoot({ mwan: { settings: "LOG_LEVEL=warn\n" } });
    const r = await mwan(root, "config", "get", "log_level");
    expectOk(r);
    expect(r.stdout).toBe("warn\n");
    const j = await mwan(root, "config", "get", "ENABLED", "--json");
    expect(JSON.parse(j.stdout)).toEqual({
      key: "ENABLED",
      value: "off",
      default: true,
    });
  });

  test("get of an unknown key is a usage error", async () => {
    expectError(await mwan(makeRoot(), "config", "get", "COLOUR"), EXIT.usage, "COLOUR", "unknown setting");
  });
});

describe("config set", () => {
  // An operator's settings file: a comment and keys in their own order.
  const FILE = "# mwan settings\nPRIMARY=home\nLOG_LEVEL=warn\n";
  const root = () => makeRoot({ mwan: configured({ static: "office" }, FILE) });

  test("changes the key in place, every other byte kept", async () => {
    const r0 = root();
    const r = await mwan(r0, "config", "set", "LOG_LEVEL", "debug");
    expectOk(r);
    expect(mwanFile(r0, "settings")).toBe(FILE.replace("warn", "debug"));
  });

  test("a new key is appended", async () => {
    const r0 = root();
    expectOk(await mwan(r0, "config", "set", "PROBE_TARGETS", "192.0.2.53,198.51.100.53"));
    expect(mwanFile(r0, "settings")).toBe(`${FILE}PROBE_TARGETS=192.0.2.53,198.51.100.53\n`);
  });

  test("an empty value restores the default", async () => {
    const r0 = root();
    expectOk(await mwan(r0, "config", "set", "LOG_LEVEL", ""));
    expect(readhash(mwanFile(r0, "settings")).LOG_LEVEL).toBeUndefined();
    expect((await mwan(r0, "config", "get", "LOG_LEVEL")).stdout).toBe(`${DEFAULT_LEVEL}\n`);
  });

  test("PRIMARY may name another profile that describes RED as IPFire holds it", async () => {
    const r0 = makeRoot({
      mwan: { ...configured({ static: "office" }, FILE), "profiles/cable": PROFILE.dhcp },
    });
    expectOk(await mwan(r0, "config", "set", "PRIMARY", "cable"));
    expect(readhash(mwanFile(r0, "settings")).PRIMARY).toBe("cable");
  });

  test("the settings file is created when there is none", async () => {
    const r0 = makeRoot();
    expectOk(await mwan(r0, "config", "set", "LOG_LEVEL", "error"));
    expect(mwanFile(r0, "settings")).toBe("LOG_LEVEL=error\n");
  });

  const refusals: [string, string[], number, string[]][] = [
    ["bad PROBE_TARGETS", ["PROBE_TARGETS", "9.9.9.9,dns.example"], EXIT.config, ["PROBE_TARGETS", "IPv4"]],
    ["empty PROBE_TARGETS list", ["PROBE_TARGETS", ","], EXIT.config, ["PROBE_TARGETS"]],
    ["a bad LOG_LEVEL", ["LOG_LEVEL", "loud"], EXIT.config, ["LOG_LEVEL"]],
    ["ENABLED (enable/disable own it)", ["ENABLED", "on"], EXIT.usage, ["ENABLED", "mwan enable"]],
    ["an unknown key", ["COLOUR", "blue"], EXIT.usage, ["COLOUR", "unknown setting"]],
    ["a line break in a value", ["LOG_LEVEL", "info\nENABLED=on"], EXIT.config, ["LOG_LEVEL"]],
  ];
  test.each(refusals)("refuses %s, file unchanged", async (_, args, code, parts) => {
    const r0 = root();
    await expectUntouched(r0, async () =>
      expectError(await mwan(r0, "config", "set", ...args), code, ...parts),
    );
  });
});

// PRIMARY is the profile IPFire's RED holds when it is on the primary: one
// that describes something else would make failback move a working line.
describe("PRIMARY must describe what RED holds", () => {
  const FILE = "PRIMARY=home\n";
  const withBackups = (settings = FILE, red?: "static") =>
    makeRoot({ red, mwan: configured({ static: "office", qmi: "lte" }, settings) });

  test.each([
    ["lte", "profiles/lte is QMI APN internet.provider.example on its modem, but RED is DHCP on red0"],
    ["office", `profiles/office is STATIC 192.0.2.10 on eth1, but RED is DHCP on red0`],
  ])("config set PRIMARY %s is refused, naming both", async (name, both) => {
    const root = withBackups();
    await expectUntouched(root, async () =>
      expectError(
        await mwan(root, "config", "set", "PRIMARY", name),
        EXIT.config,
        `mwan: settings: PRIMARY: ${both}; use --force to set it anyway`,
      ),
    );
  });

  test("--force sets it anyway, and config check then names the mismatch", async () => {
    const root = withBackups();
    expectOk(await mwan(root, "config", "set", "PRIMARY", "lte", "--force"));
    expect(readhash(mwanFile(root, "settings")).PRIMARY).toBe("lte");
    const check = await mwan(root, "config", "check");
    expectOk(check); // disabled: a warning
    expect(check.stdout).toContain(
      "warning: settings: PRIMARY: profiles/lte is QMI APN internet.provider.example on its modem, but RED is DHCP on red0",
    );
  });

  test("enabled, config check and enable make the mismatch an error", async () => {
    const root = withBackups("PRIMARY=home\nENABLED=on\n", "static");
    const both = "profiles/home is DHCP on red0, but RED is STATIC 198.51.100.10 on red0";
    const check = await mwan(root, "config", "check");
    expect(check.code).toBe(EXIT.config);
    expect(check.stdout).toContain(`error: settings: PRIMARY: ${both}`);
    expectError(await mwan(root, ...(await enableArgs())), EXIT.config, both);
  });

  test("the same type on another NIC is a mismatch", async () => {
    const root = withBackups();
    put(
      root,
      "var/ipfire/mwan/profiles/home",
      PROFILE.dhcp.replace("DEVICE=red0", "DEVICE=eth1").replace(MAC.red, MAC.eth1),
    );
    const check = await mwan(root, "config", "check");
    expect(check.stdout).toContain(
      "warning: settings: PRIMARY: profiles/home is DHCP on eth1, but RED is DHCP on red0",
    );
  });

  // RED on a backup holds the backup: what failing back restores counts.
  test("while RED is on a backup, the primary's saved files are compared", async () => {
    const root = withBackups();
    put(root, "var/ipfire/mwan/state/active", "office\n");
    const check = await mwan(root, "config", "check");
    expectOk(check);
    expect(check.stdout).toContain(
      "warning: settings: PRIMARY: RED is on office and mwan holds no copy of the primary's files; not compared",
    );
    const ethernet = read(root, "var/ipfire/ethernet/settings");
    put(root, "var/ipfire/mwan/state/primary-files", JSON.stringify({ ethernet }));
    // RED itself now holds the backup's STATIC configuration.
    put(root, "var/ipfire/ethernet/settings", ethernet.replace("RED_TYPE=DHCP", "RED_TYPE=STATIC"));
    const saved = await mwan(root, "config", "check");
    expectOk(saved);
    expect(saved.stdout).not.toContain("PRIMARY");
    expectError(
      await mwan(root, "config", "set", "PRIMARY", "lte"),
      EXIT.config,
      "profiles/lte is QMI APN internet.provider.example on its modem, but the primary's RED as mwan saved it (RED is on office now) is DHCP on red0",
    );
  });
});

describe("config check against the box's NICs", () => {
  test("two backups on one NIC and equal priorities are named; a backup on the primary's NIC stops enable", async () => {
    const root = makeRoot({
      mwan: {
        ...configured({ static: "office", pppoe: "dsl" }),
        "profiles/cable": `TYPE=DHCP\nDEVICE=red0\nMACADDR=${MAC.red}\nPRIORITY=2\n`,
        "profiles/spare": `TYPE=DHCP\nDEVICE=eth9\nMACADDR=52:54:00:aa:bb:09\n`,
      },
    });
    const r = await mwan(root, "config", "check");
    expectOk(r); // disabled: warnings only
    expect(r.stdout.split("\n").filter((l) => l.startsWith("warning: "))).toEqual([
      "warning: profiles/cable: on red0, the primary's own NIC: it fails with the primary when that NIC or its line does (mwan enable refuses this)",
      "warning: profiles/spare: no interface has MAC 52:54:00:aa:bb:09 (is the network card plugged in?); the box has: eth1, green0, red0",
      "warning: profiles/dsl, profiles/office: all on eth1: a failure of that NIC or its line takes them all",
      "warning: profiles/cable, profiles/office: PRIORITY 2 each; failover tries them in name order (set PRIORITY to choose)",
    ]);
    // Not a plain ok: enable would refuse what the marked warning says.
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe(
      "ok: settings and 5 profile(s) are valid, but mwan enable refuses until the marked warnings are fixed",
    );
    // Enabled, the backup on the primary's NIC is the one error; every error is named.
    const enable = await expectUntouched(root, async () => mwan(root, ...(await enableArgs())));
    expectError(enable, EXIT.config, "mwan: profiles/cable: on red0, the primary's own NIC");
  });

  test("enable names every error, a line each, with no '(and N more)'", async () => {
    const root = makeRoot({
      mwan: {
        ...configured({ static: "office" }, "PRIMARY=home\nLOG_LEVEL=loud\n"),
        "profiles/lte": "TYPE=QMI\n",
      },
    });
    const r = await expectUntouched(root, async () => mwan(root, ...(await enableArgs())));
    expect(r.code).toBe(EXIT.config);
    expect(r.stderr).toBe(
      "mwan: profiles/lte: APN: required for TYPE=QMI\nmwan: settings: LOG_LEVEL: must be error, warn, info or debug\n",
    );
  });
});

describe("config check", () => {
  test("a complete configuration is ok", async () => {
    const root = makeRoot({
      mwan: configured({ static: "office", qmi: "lte" }),
    });
    put(root, "sys/class/net/wwan0/address", `${MAC.wwan}\n`);
    put(root, "sys/class/net/wwan0/qmi/raw_ip", "N\n");
    const r = await mwan(root, "config", "check");
    expectOk(r);
    expect(r.stdout).toContain("ok: settings and 3 profile(s) are valid");
    const j = JSON.parse((await mwan(root, "config", "check", "--json")).stdout);
    expect(j).toEqual({ ok: true, errors: [], warnings: [], enableRefuses: false });
  });

  test("while disabled, a missing primary or backup is only a warning", async () => {
    const r = await mwan(makeRoot(), "config", "check");
    expectOk(r);
    expect(r.stdout).toContain("warning: settings: PRIMARY: not set");
    expect(r.stdout).toContain(
      "warning: no backup profile (run mwan profile create NAME) (mwan enable refuses this)",
    );
    expect(r.stdout).toContain("but mwan enable refuses until the marked warnings are fixed");
  });

  test("keys mwan does not know are reported", async () => {
    const root = makeRoot({
      mwan: configured({ static: "office" }, "PRIMARY=home\nFAILOVER_DELAY=5\n"),
    });
    const r = await mwan(root, "config", "check");
    expect(r.code).toBe(EXIT.config);
    expect(r.stdout).toContain("error: settings: FAILOVER_DELAY: unknown key");
  });

  test("every problem in every file is listed, and nothing is changed", async () => {
    const root = makeRoot({
      mwan: {
        ...configured({ static: "office" }, "PRIMARY=home\nLOG_LEVEL=loud\n"),
        "profiles/st": "TYPE=STATIC\nDEVICE=eth1\nMACADDR=52:54:00:aa:bb:02\n",
        "profiles/lte": "TYPE=QMI\n",
        "profiles/junk": "garbage\n",
        "profiles/dup": "TYPE=DHCP\nTYPE=DHCP\n",
        "profiles/notes.txt": "my notes\n",
      },
    });
    const r = await expectUntouched(root, () => mwan(root, "config", "check", "--json"));
    expect(r.code).toBe(EXIT.config);
    const j = JSON.parse(r.stdout) as {
      ok: boolean;
      errors: string[];
      warnings: string[];
    };
    expect(j.ok).toBe(false);
    for (const e of [
      "profiles/st: ADDRESS: required",
      "profiles/st: NETMASK: required",
      "profiles/st: GATEWAY: required",
      "profiles/lte: APN: required",
      "profiles/junk:1: not a KEY=VALUE line",
      "profiles/dup:2: TYPE: duplicate key",
      "settings: LOG_LEVEL: must be",
    ])
      expect(j.errors.some((x) => x.startsWith(e))).toBe(true);
    expect(j.warnings.join("\n")).toContain("profiles/notes.txt");
    // The text form has the same errors, one per line.
    const text = await mwan(root, "config", "check");
    expect(text.code).toBe(EXIT.config);
    expect(text.stdout.split("\n").filter((l) => l.startsWith("error: "))).toHaveLength(j.errors.length);
  });

  test("every line of a damaged file is named, not only the first", async () => {
    const root = makeRoot({
      mwan: {
        ...configured({ static: "office" }, "PRIMARY=home\ngarbage\nPRIMARY=home\n"),
        "profiles/lte": "TYPE=QMI\nAPN=a\nAPN=b\nmore garbage\n",
      },
    });
    const r = await mwan(root, "config", "check", "--json");
    expect(r.code).toBe(EXIT.config);
    expect(JSON.parse(r.stdout).errors).toEqual([
      "settings:2: not a KEY=VALUE line",
      "settings:3: PRIMARY: duplicate key (first set on line 1)",
      "profiles/lte:3: APN: duplicate key (first set on line 2)",
      "profiles/lte:4: not a KEY=VALUE line",
    ]);
  });

  // One run lists every problem: a line the parser refuses hides neither the
  // values that can be read nor what only the files together tell.
  test("a damaged file's readable values and the cross-file checks are still checked", async () => {
    const root = makeRoot({
      mwan: {
        ...configured(
          { static: "office" },
          "PRIMARY=nothere\ngarbage\nLOG_LEVEL=loud\nLOG_LEVEL=info\nFAILBACK_DELAY=-5\n",
        ),
        "profiles/lte": "TYPE=QMI\nAPN=a\nAPN=b\nPRIORITY=0\n",
      },
    });
    const r = await expectUntouched(root, () => mwan(root, "config", "check", "--json"));
    expect(r.code).toBe(EXIT.config);
    const j = JSON.parse(r.stdout) as { errors: string[] };
    expect(j.errors).toEqual([
      "settings:2: not a KEY=VALUE line",
      "settings:4: LOG_LEVEL: duplicate key (first set on line 3)",
      "profiles/lte:3: APN: duplicate key (first set on line 2)",
      expect.stringMatching(/^profiles\/lte: PRIORITY: /),
      expect.stringMatching(/^settings: FAILBACK_DELAY: /),
      'settings: PRIMARY: no profile named "nothere"',
    ]);
    const enable = await mwan(root, ...(await enableArgs()));
    expect(enable.code).toBe(EXIT.config);
    expect(enable.stderr).toContain("settings:2: not a KEY=VALUE line");
    expect(enable.stderr).toContain('no profile named "nothere"');
  });
});

describe("enable / disable", () => {
  test("enable refuses without a backup profile and changes nothing", async () => {
    const root = makeRoot({
      mwan: { settings: "PRIMARY=home\n", "profiles/home": PROFILE.dhcp },
    });
    await expectUntouched(root, async () =>
      expectError(await mwan(root, ...(await enableArgs())), EXIT.config, "no backup profile"),
    );
  });

  test("enable refuses without a primary", async () => {
    const root = makeRoot({ mwan: { "profiles/office": PROFILE.static } });
    await expectUntouched(root, async () =>
      expectError(await mwan(root, ...(await enableArgs())), EXIT.config, "PRIMARY"),
    );
  });

  test("enable refuses while a profile is broken", async () => {
    const root = makeRoot({
      mwan: {
        ...configured({ static: "office" }),
        "profiles/lte": "TYPE=QMI\n",
      },
    });
    await expectUntouched(root, async () =>
      expectError(await mwan(root, ...(await enableArgs())), EXIT.config, "profiles/lte", "APN"),
    );
  });

  test("enable with a primary and a backup, then disable", async () => {
    const root = makeRoot({
      mwan: configured({ static: "office" }, "# keep me\nPRIMARY=home\n"),
    });
    const on = await mwan(root, ...(await enableArgs()));
    expectOk(on);
    expect(on.stdout).toContain("mwan is enabled: primary home, 1 backup profile(s)");
    expect(mwanFile(root, "settings")).toBe("# keep me\nPRIMARY=home\nENABLED=on\n");
    expect((await mwan(root, "config", "get", "ENABLED")).stdout).toBe("on\n");

    const off = await mwan(root, "disable");
    expectOk(off);
    expect(off.stdout).toContain("mwan is disabled");
    expect(mwanFile(root, "settings")).toBe("# keep me\nPRIMARY=home\nENABLED=off\n");
  });

  // Turning failover off must never depend on the rest of the file being right.
  test("disable works whatever else the settings hold, and keeps their bytes", async () => {
    const file = "PRIMARY=nosuch\nENABLED=on\nFAILOVER_DELAY=5\nLOG_LEVEL=loud\nMAIL_TO='x y'\n";
    const root = makeRoot({ mwan: configured({ static: "office" }, file) });
    const off = await mwan(root, "disable");
    expectOk(off);
    expect(off.stdout).toContain("mwan is disabled");
    expect(mwanFile(root, "settings")).toBe(file.replace("ENABLED=on", "ENABLED=off"));
  });

  test("disable replaces an invalid ENABLED, and adds one to a file without", async () => {
    const root = makeRoot({ mwan: configured({ static: "office" }, "ENABLED=yes\nLOG_LEVEL=loud\n") });
    expectOk(await mwan(root, "disable"));
    expect(mwanFile(root, "settings")).toBe("ENABLED=off\nLOG_LEVEL=loud\n");
    const bare = makeRoot({ mwan: configured({ static: "office" }, "FOO=1\n") });
    expectOk(await mwan(bare, "disable"));
    expect(mwanFile(bare, "settings")).toBe("FOO=1\nENABLED=off\n");
  });

  // Turning mwan off must never depend on the rest of a hand edit.
  test("disable turns off a damaged settings file, keeps its other lines and names them", async () => {
    const root = makeRoot({ mwan: configured({ static: "office" }, "ENABLED=on\ngarbage\nENABLED=on\n") });
    const r = await mwan(root, "disable");
    expectOk(r);
    expect(r.stdout).toBe("mwan is disabled\n");
    expect(r.stderr).toBe("warning: settings:2: not a KEY=VALUE line\n");
    expect(mwanFile(root, "settings")).toBe("ENABLED=off\ngarbage\n");
  });
});

// Mail that can reach nobody is said when it is set, not first by config check.
describe("config set MAIL without a recipient", () => {
  const WARNING =
    "warning: settings: MAIL: on, but there is no recipient (set MAIL_TO, or a recipient in IPFire's mail settings)";

  test("is set, with a warning (exit 0)", async () => {
    const root = makeRoot({ mwan: configured() });
    const r = await mwan(root, "config", "set", "MAIL", "on");
    expectOk(r);
    expect(r.stdout).toBe("MAIL=on\n");
    expect(r.stderr.split("\n")).toContain(WARNING);
    expect(readhash(mwanFile(root, "settings")).MAIL).toBe("on");
  });

  test("unsetting MAIL_TO under MAIL=on warns too; with a recipient nothing is said", async () => {
    const root = makeRoot({ mwan: configured(undefined, "PRIMARY=home\nMAIL=on\nMAIL_TO=me@example.com\n") });
    const set = await mwan(root, "config", "set", "MAIL", "on");
    expectOk(set);
    expect(set.stderr).not.toContain("warning:");
    const unset = await mwan(root, "config", "unset", "MAIL_TO");
    expectOk(unset);
    expect(unset.stderr.split("\n")).toContain(WARNING);
  });
});
