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
      "settings: PRIMARY: not set (run mwan profile import-current NAME)",
      "no backup profile (run mwan profile create NAME)",
    ]);
  });

  // Its parse error is already reported; PRIMARY and backups cannot be told.
  test("a settings file that could not be read adds no settings findings", () => {
    const r = checkConfig(files({ settings: undefined, unreadable: ["settings:2: not a KEY=VALUE line"] }));
    expect(r.errors).toEqual(["settings:2: not a KEY=VALUE line"]);
    expect(r.warnings).toEqual([]);
    expect(r.settings).toBeUndefined();
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
