// Looking at and changing existing profiles: list/show never print a
// password, edit changes only what it is told to (an operator's comments and
// key order survive byte for byte), delete keeps the primary and the profile
// RED is on.

import { afterEach, describe, expect, test } from "bun:test";
import { EXIT, expectError, expectNoSuchProfile, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { mwan } from "../helpers/run-bin.ts";
import { PROFILE, configured } from "../helpers/fixtures.ts";
import { cleanup, makeRoot, mwanFile, put, readhash, snapshot } from "../helpers/temp-root.ts";

afterEach(cleanup);

const MASK = "********";
const SECRET = readhash(PROFILE.pppoe).PASSWORD as string;

// home (DHCP primary), dsl (PPPoE, priority 1), lte (QMI, priority 3).
const threeProfiles = () => makeRoot({ mwan: configured({ pppoe: "dsl", qmi: "lte" }) });

describe("profile list", () => {
  test("the primary first, then backups by priority", async () => {
    const root = threeProfiles();
    put(root, "var/ipfire/mwan/state/active", "dsl\n");
    const r = await mwan(root, "profile", "list");
    expectOk(r);
    const rows = r.stdout.trimEnd().split("\n").slice(1);
    expect(rows.map((l) => l.trim().split(/\s+/).slice(0, 4))).toEqual([
      ["home", "DHCP", "primary", "10"], // the number JSON gives too
      ["*", "dsl", "PPPOE", "backup"],
      ["lte", "QMI", "backup", "3"],
    ]);
    expect(r.stdout).not.toContain(SECRET);
  });

  test("--json", async () => {
    const root = threeProfiles();
    const r = await mwan(root, "profile", "list", "--json");
    expectOk(r);
    const { version, profiles: rows } = JSON.parse(r.stdout) as {
      version: number;
      profiles: Record<string, unknown>[];
    };
    expect(version).toBe(1);
    expect(rows.map((x) => [x.name, x.type, x.role, x.priority, x.active])).toEqual([
      ["home", "DHCP", "primary", 10, true],
      ["dsl", "PPPOE", "backup", 1, false],
      ["lte", "QMI", "backup", 3, false],
    ]);
    expect(r.stdout).not.toContain(SECRET);
  });

  test("no profiles says how to make the primary", async () => {
    const r = await mwan(makeRoot(), "profile", "list");
    expectOk(r);
    expect(r.stdout).toContain("import-current");
  });

  test("an invalid profile is listed as such, stray files are warned about", async () => {
    const root = makeRoot({
      mwan: {
        ...configured({}),
        "profiles/broken": "TYPE=BOGUS\n",
        "profiles/home~": PROFILE.dhcp,
      },
    });
    const r = await mwan(root, "profile", "list");
    expectOk(r);
    expect(r.stdout).toMatch(/broken\s+\?\s+invalid/);
    expect(r.stderr).toContain("profiles/home~");
  });
});

describe("profile show", () => {
  test("masks the password, shows defaults", async () => {
    const r = await mwan(threeProfiles(), "profile", "show", "dsl");
    expectOk(r);
    expect(r.stdout).toMatch(/^PASSWORD\s+\*{8}$/m);
    expect(r.stdout).toMatch(/^METERED\s+off$/m); // the default, filled in
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  test("--json masks the password too", async () => {
    const r = await mwan(threeProfiles(), "profile", "show", "dsl", "--json");
    expectOk(r);
    const shown = JSON.parse(r.stdout) as {
      version: number;
      valid: boolean;
      keys: Record<string, unknown>;
    };
    expect(shown.version).toBe(1);
    expect(shown.valid).toBe(true);
    expect(shown.keys.PRIORITY).toBe(1); // a number, as profile list gives it
    expect(shown.keys.PASSWORD).toBe(MASK);
    expect(shown.keys.USERNAME).toBe("dsl@isp.example");
    expect(r.stdout).not.toContain(SECRET);
  });

  test("an invalid profile is shown with its problems", async () => {
    const root = makeRoot({
      mwan: { "profiles/bad": "TYPE=DHCP\nPASSWORD=Leak3d\n" },
    });
    const r = await mwan(root, "profile", "show", "bad", "--json");
    const shown = JSON.parse(r.stdout) as { valid: boolean; errors: string[] };
    expect(shown.valid).toBe(false);
    expect(shown.errors.join("\n")).toContain("DEVICE");
    // Masked even where the key does not belong.
    expect(r.stdout).not.toContain("Leak3d");
  });

  test("a profile that does not exist", async () => {
    expectNoSuchProfile(await mwan(threeProfiles(), "profile", "show", "nosuch"), "nosuch");
  });
});

describe("profile edit", () => {
  // An operator's file: comment, blank line, quoted value, own key order.
  const HAND_MADE = [
    "# cable modem in the cellar",
    "DESCRIPTION='cable modem'",
    "TYPE=DHCP",
    "",
    "MACADDR=52:54:00:AA:BB:02",
    "DEVICE=eth1",
    "PRIORITY=3",
    "DHCP_HOSTNAME=fw",
    "",
  ].join("\n");

  const handMade = () => makeRoot({ mwan: { "profiles/cable": HAND_MADE } });

  test("changes one key in place and leaves every other byte", async () => {
    const root = handMade();
    expectOk(await mwan(root, "profile", "edit", "cable", "--priority=5"));
    expect(mwanFile(root, "profiles/cable")).toBe(HAND_MADE.replace("PRIORITY=3", "PRIORITY=5"));
  });

  test("a new key is appended; the file stays 0600", async () => {
    const root = handMade();
    expectOk(await mwan(root, "profile", "edit", "cable", "--metered=on"));
    expect(mwanFile(root, "profiles/cable")).toBe(`${HAND_MADE}METERED=on\n`);
    expect(snapshot(root)["var/ipfire/mwan/profiles/cable"]?.mode).toBe("600");
  });

  test("a value with a space is quoted as IPFire's writehash does", async () => {
    const root = handMade();
    expectOk(await mwan(root, "profile", "edit", "cable", "--description=cellar, left"));
    expect(mwanFile(root, "profiles/cable")).toContain("DESCRIPTION='cellar, left'\n");
  });

  test("a type change drops the old type's keys and keeps the common ones", async () => {
    const root = handMade();
    const r = await mwan(
      root,
      "profile",
      "edit",
      "cable",
      "--type=static",
      "--address=192.0.2.10",
      "--netmask=255.255.255.0",
      "--gateway=192.0.2.1",
    );
    expectOk(r);
    const text = mwanFile(root, "profiles/cable");
    expect(text).not.toContain("DHCP_HOSTNAME");
    expect(text.startsWith("# cable modem in the cellar\nDESCRIPTION='cable modem'\nTYPE=STATIC\n")).toBe(
      true,
    );
    expect(readhash(text)).toMatchObject({
      TYPE: "STATIC",
      DEVICE: "eth1",
      PRIORITY: "3",
      ADDRESS: "192.0.2.10",
      GATEWAY: "192.0.2.1",
    });
  });

  test("a type change says which keys it drops, without their values", async () => {
    const root = threeProfiles();
    const r = await mwan(root, "profile", "edit", "dsl", "--type=dhcp");
    expectOk(r);
    expect(r.stdout).toContain("dropped USERNAME, PASSWORD: not used by TYPE=DHCP\n");
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(readhash(mwanFile(root, "profiles/dsl"))).not.toHaveProperty("USERNAME");
  });

  test("an edit that leaves the profile invalid changes nothing", async () => {
    const root = handMade();
    await expectUntouched(root, async () => {
      expectError(
        await mwan(root, "profile", "edit", "cable", "--priority=100"),
        EXIT.config,
        "PRIORITY",
        "--priority",
      );
      expectError(
        await mwan(root, "profile", "edit", "cable", "--type=pppoe", "--username=u"),
        EXIT.config,
        "PASSWORD",
      );
    });
  });

  test("changing the password keeps it out of the output", async () => {
    const root = threeProfiles();
    const r = await mwan(root, "profile", "edit", "dsl", "--password=N3w$ecret");
    expectOk(r);
    expect(readhash(mwanFile(root, "profiles/dsl")).PASSWORD).toBe("N3w$ecret");
    expect(r.stdout + r.stderr).not.toContain("N3w$ecret");
  });

  test("a profile that does not exist", async () => {
    const root = handMade();
    await expectUntouched(root, async () =>
      expectNoSuchProfile(await mwan(root, "profile", "edit", "nosuch", "--priority=1"), "nosuch"),
    );
  });
});

describe("profile delete", () => {
  test("deletes a backup", async () => {
    const root = threeProfiles();
    const r = await mwan(root, "profile", "delete", "lte", "--yes");
    expectOk(r);
    expect(r.stdout).toContain("profile lte deleted");
    expect(snapshot(root)["var/ipfire/mwan/profiles/lte"]).toBeUndefined();
  });

  test("without a terminal, refuses unless --yes is given", async () => {
    const root = threeProfiles();
    await expectUntouched(root, async () =>
      expectError(await mwan(root, "profile", "delete", "lte"), EXIT.usage, "deleting profile lte", "--yes"),
    );
  });

  // --yes answers the question; it does not override these.
  test("refuses the primary, even while RED is on a backup, whatever --yes says", async () => {
    const root = threeProfiles();
    put(root, "var/ipfire/mwan/state/active", "dsl\n");
    await expectUntouched(root, async () => {
      for (const yes of [[], ["--yes"]])
        expectError(
          await mwan(root, "profile", "delete", "home", ...yes),
          EXIT.config,
          "profiles/home",
          "primary",
        );
    });
  });

  test("refuses the profile RED is on (state/active), whatever --yes says", async () => {
    const root = threeProfiles();
    put(root, "var/ipfire/mwan/state/active", "dsl\n");
    await expectUntouched(root, async () => {
      for (const yes of [[], ["--yes"]])
        expectError(
          await mwan(root, "profile", "delete", "dsl", ...yes),
          EXIT.config,
          "profiles/dsl",
          "RED is using",
        );
    });
  });

  // mwan never switched (no state/active), and PRIMARY was forced onto a
  // profile RED does not hold: RED is on the profile its files are.
  test("without state/active, refuses the profile RED's files are, and the primary as the primary", async () => {
    const root = makeRoot({ mwan: configured({ pppoe: "dsl", qmi: "lte" }, "PRIMARY=dsl\n") });
    await expectUntouched(root, async () => {
      const home = await mwan(root, "profile", "delete", "home", "--yes");
      expectError(home, EXIT.config, "profiles/home: RED is using this profile now", "IPFire's RED");
      const dsl = await mwan(root, "profile", "delete", "dsl", "--yes");
      expectError(dsl, EXIT.config, "profiles/dsl: this is the primary");
      expect(dsl.stderr).not.toContain("RED is using");
    });
    expectOk(await mwan(root, "profile", "delete", "lte", "--yes"));
  });

  test("a profile that does not exist", async () => {
    const root = threeProfiles();
    await expectUntouched(root, async () =>
      expectNoSuchProfile(await mwan(root, "profile", "delete", "nosuch"), "nosuch"),
    );
  });
});
