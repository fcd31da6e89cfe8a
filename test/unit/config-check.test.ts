import { describe, expect, test } from "bun:test";
import { backupOrder, checkConfig, type ConfigFiles } from "../../src/core/config-check.ts";

const DHCP = (mac: string, priority?: string) => ({
  TYPE: "DHCP",
  DEVICE: "eth1",
  MACADDR: mac,
  ...(priority ? { PRIORITY: priority } : {}),
});

const files = (over: Partial<ConfigFiles>): ConfigFiles => ({
  settings: {},
  profiles: {},
  unreadable: [],
  ignored: [],
  ...over,
});

describe("checkConfig", () => {
  test("a fresh install is valid but warns what failover still needs", () => {
    const r = checkConfig(files({}));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      "settings: PRIMARY: not set (run mwan profile import-current NAME) (mwan enable refuses this)",
      "no backup profile (run mwan profile create NAME) (mwan enable refuses this)",
    ]);
    expect(r.enableRefuses).toBe(true);
  });

  // Its parse error is already reported; PRIMARY and backups cannot be told.
  test("a settings file that could not be read adds no settings findings", () => {
    const r = checkConfig(files({ settings: undefined, unreadable: ["settings:2: not a KEY=VALUE line"] }));
    expect(r.errors).toEqual(["settings:2: not a KEY=VALUE line"]);
    expect(r.warnings).toEqual([]);
    expect(r.settings).toBeUndefined();
  });

  // Its file is named as unreadable; "no backup profile" would be untrue.
  test("a profile that could not be read still exists", () => {
    const r = checkConfig(
      files({
        settings: { PRIMARY: "home", ENABLED: "on" },
        profiles: { home: { TYPE: "QMI", APN: "a" } },
        unreadable: ["profiles/office:8: not valid UTF-8 text; mwan does not rewrite it"],
        unreadableProfiles: ["office"],
      }),
    );
    expect(r.errors).toEqual(["profiles/office:8: not valid UTF-8 text; mwan does not rewrite it"]);
  });

  test("the same gaps are errors once enabled", () => {
    expect(checkConfig(files({ settings: { ENABLED: "on" } })).errors).toHaveLength(2);
  });

  test("PRIMARY must name an existing profile", () => {
    const r = checkConfig(
      files({
        settings: { PRIMARY: "dsl" },
        profiles: { lte: DHCP("52:54:00:00:00:02") },
      }),
    );
    expect(r.errors).toEqual(['settings: PRIMARY: no profile named "dsl"']);
  });

  test("every broken file is reported, with unreadable and ignored files", () => {
    const r = checkConfig(
      files({
        settings: { PRIMARY: "dsl", LOG_LEVEL: "x" },
        profiles: {
          dsl: DHCP("52:54:00:00:00:01"),
          a: { TYPE: "QMI" },
          b: { TYPE: "X" },
        },
        unreadable: ["profiles/c:1: not a KEY=VALUE line"],
        ignored: ["lte~"],
      }),
    );
    expect(r.errors).toEqual([
      "profiles/c:1: not a KEY=VALUE line",
      "profiles/a: APN: required for TYPE=QMI",
      'profiles/b: TYPE: must be one of DHCP, STATIC, PPPOE, VDSL, QMI (found "X")',
      "settings: LOG_LEVEL: must be error, warn, info or debug",
    ]);
    expect(r.warnings).toEqual(["profiles/lte~: not a valid profile name; mwan ignores this file"]);
  });
});

// IPFire's red only hands pppd the service name (contract §1.4); a profile
// an earlier mwan wrote with a concentrator still loads, with a word why
// it does nothing.
test("a profile's CONCENTRATORNAME loads, with a warning that IPFire never uses it", () => {
  const pppoe = { TYPE: "PPPOE", DEVICE: "eth1", MACADDR: "52:54:00:00:00:03", USERNAME: "u", PASSWORD: "p" };
  const r = checkConfig(files({ profiles: { dsl: { ...pppoe, CONCENTRATORNAME: "ac1" } } }));
  expect(Object.keys(r.profiles)).toEqual(["dsl"]);
  expect(r.warnings).toContain(
    "profiles/dsl: CONCENTRATORNAME: IPFire's red never passes it to pppd; mwan ignores it (remove the line)",
  );
});

describe("backupOrder", () => {
  test("by PRIORITY, then name, without the primary", () => {
    const r = checkConfig(
      files({
        profiles: {
          dsl: DHCP("52:54:00:00:00:01"),
          b: DHCP("52:54:00:00:00:02", "5"),
          a: DHCP("52:54:00:00:00:03", "5"),
          c: DHCP("52:54:00:00:00:04", "1"),
        },
      }),
    );
    expect(backupOrder("dsl", r.profiles)).toEqual(["c", "a", "b"]);
  });
});

// The box as config check sees it: red0 carries the primary, eth1 and eth2
// are spare, wwan0 is a QMI modem.
const BOX = {
  interfaces: [
    { ifname: "lo", mac: "00:00:00:00:00:00", qmi: false },
    { ifname: "red0", mac: "52:54:00:00:00:01", qmi: false },
    { ifname: "eth1", mac: "52:54:00:00:00:02", qmi: false },
    { ifname: "eth2", mac: "52:54:00:00:00:03", qmi: false },
    { ifname: "wwan0", mac: "02:ff:ff:ff:ff:00", qmi: true, wdm: 0 },
  ],
  known: [],
};
const PRIMARY = { TYPE: "DHCP", DEVICE: "red0", MACADDR: "52:54:00:00:00:01" };
const onBox = (profiles: Record<string, Record<string, string>>, enabled = false) =>
  checkConfig(
    files({
      settings: { PRIMARY: "home", ...(enabled ? { ENABLED: "on" } : {}) },
      profiles: { home: PRIMARY, ...profiles },
      nics: BOX,
    }),
  );

describe("what the box's NICs tell", () => {
  test("a backup on its own NIC, a modem and distinct priorities: nothing to say", () => {
    const r = onBox({ cable: DHCP("52:54:00:00:00:02", "1"), lte: { TYPE: "QMI", APN: "a", PRIORITY: "2" } });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  test("a NIC that is not there, naming the ones there are", () => {
    const r = onBox({ cable: DHCP("52:54:00:00:00:09") }, true);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      "profiles/cable: no interface has MAC 52:54:00:00:00:09 (is the network card plugged in?); the box has: red0, eth1, eth2, wwan0",
    ]);
  });

  test("a backup on the primary's NIC is an error once enabled", () => {
    const dsl = { TYPE: "PPPOE", DEVICE: "red0", MACADDR: "52:54:00:00:00:01", USERNAME: "u", PASSWORD: "p" };
    const message =
      "profiles/dsl: on red0, the primary's own NIC: it fails with the primary when that NIC or its line does";
    expect(onBox({ dsl }).warnings).toEqual([`${message} (mwan enable refuses this)`]);
    expect(onBox({ dsl }, true).errors).toEqual([message]);
  });

  test("two backups on one NIC, VDSL among them", () => {
    const vdsl = { TYPE: "VDSL", DEVICE: "eth1", MACADDR: "52:54:00:00:00:02", USERNAME: "u", PASSWORD: "p" };
    const r = onBox({ cable: DHCP("52:54:00:00:00:02", "1"), vdsl: { ...vdsl, PRIORITY: "2" } }, true);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      "profiles/cable, profiles/vdsl: all on eth1: a failure of that NIC or its line takes them all",
    ]);
  });

  test("backups of equal PRIORITY, every group named", () => {
    const r = onBox({
      a: DHCP("52:54:00:00:00:02"),
      b: { TYPE: "QMI", APN: "x" },
      c: { ...DHCP("52:54:00:00:00:03"), PRIORITY: "3" },
    });
    expect(r.warnings).toEqual([
      "profiles/a, profiles/b: PRIORITY 10 each; failover tries them in name order (set PRIORITY to choose)",
    ]);
  });
});

describe("PRIMARY against what RED holds", () => {
  const red = (keys: Record<string, string>, what = "RED") => ({ keys, what });
  const check = (
    primary: Record<string, string>,
    side: ReturnType<typeof red> | { note: string },
    enabled = false,
  ) =>
    checkConfig(
      files({
        settings: { PRIMARY: "home", ...(enabled ? { ENABLED: "on" } : {}) },
        profiles: { home: primary, lte: { TYPE: "QMI", APN: "a" } },
        red: side,
      }),
    );

  test("the profile RED was captured as matches; a different MAC of one name does not", () => {
    expect(check(PRIMARY, red(PRIMARY)).warnings).toEqual([]);
    expect(check(PRIMARY, red({ ...PRIMARY, MACADDR: "52:54:00:00:00:aa" })).warnings).toEqual([
      "settings: PRIMARY: profiles/home is DHCP on red0 (52:54:00:00:00:01), but RED is DHCP on red0 (52:54:00:00:00:aa) (mwan enable refuses this)",
    ]);
  });

  test.each([
    [
      "a type",
      { TYPE: "QMI", APN: "internet", DEVICE: "wwan0" },
      PRIMARY,
      "profiles/home is QMI APN internet on wwan0, but RED is DHCP on red0",
    ],
    [
      "a STATIC address",
      { ...PRIMARY, TYPE: "STATIC", ADDRESS: "192.0.2.2", NETMASK: "255.255.255.0", GATEWAY: "192.0.2.1" },
      { ...PRIMARY, TYPE: "STATIC", ADDRESS: "192.0.2.3" },
      "profiles/home is STATIC 192.0.2.2 on red0, but RED is STATIC 192.0.2.3 on red0",
    ],
    [
      "a PPPoE user",
      { ...PRIMARY, TYPE: "PPPOE", USERNAME: "a@isp", PASSWORD: "p" },
      { ...PRIMARY, TYPE: "PPPOE", USERNAME: "b@isp" },
      "profiles/home is PPPOE as a@isp on red0, but RED is PPPOE as b@isp on red0",
    ],
  ])("%s that differs is an error once enabled", (_, primary, redKeys, message) => {
    expect(check(primary, red(redKeys)).warnings).toEqual([
      `settings: PRIMARY: ${message} (mwan enable refuses this)`,
    ]);
    expect(check(primary, red(redKeys), true).errors).toEqual([`settings: PRIMARY: ${message}`]);
  });

  test("without anything to compare with, a note", () => {
    const r = check(
      PRIMARY,
      { note: "RED is on lte and mwan holds no copy of the primary's files; not compared" },
      true,
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      "settings: PRIMARY: RED is on lte and mwan holds no copy of the primary's files; not compared",
    ]);
  });
});
