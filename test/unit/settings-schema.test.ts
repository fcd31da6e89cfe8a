import { describe, expect, test } from "bun:test";
import {
  validateSettings,
  validateSettingsKeys,
  validateSettingsLeniently,
} from "../../src/core/schema/settings.ts";
import { profileNameProblem } from "../../src/core/profile/name.ts";

describe("global settings", () => {
  test("an empty file is valid and gives every default", () => {
    const r = validateSettings({}, "settings");
    expect(r).toEqual({
      ok: true,
      value: {
        ENABLED: "off",
        PROBE_TARGETS: ["9.9.9.9", "1.1.1.1", "8.8.8.8"],
        PROBE_DNS: ["208.67.222.222"],
        PROBE_HTTP: [],
        PROBE_GATEWAY: "off",
        SIDE_WATCH: "on",
        FAILBACK_DELAY: 60,
        FAILBACK_PROBATION: 60,
        MAIL: "off",
        MAIL_INTERVAL: 300,
        SWITCH_DOWN_TIMEOUT: 30,
        SWITCH_UP_TIMEOUT: 90,
        LOG_LEVEL: "info",
      },
    });
  });

  test("none turns the DNS probe off", () => {
    const r = validateSettings({ PROBE_DNS: "none" }, "settings");
    expect(r.ok && r.value.PROBE_DNS).toEqual([]);
  });

  test.each<[Record<string, string>, string]>([
    [{ ENABLED: "yes" }, "settings: ENABLED: must be on or off"],
    [
      { PRIMARY: "../dsl" },
      'settings: PRIMARY: "../dsl" is not a valid profile name (a lowercase letter, then up to 31 lowercase letters, digits, - or _)',
    ],
    [
      { PROBE_TARGETS: "1.1.1.1,,x" },
      "settings: PROBE_TARGETS: must be a comma-separated list of IPv4 addresses",
    ],
    [{ LOG_LEVEL: "loud" }, "settings: LOG_LEVEL: must be error, warn, info or debug"],
    [{ FOO: "1" }, "settings: FOO: unknown key"],
    [{ PROBE_HTTP: "ftp://x" }, "settings: PROBE_HTTP: must be a comma-separated list of http(s) URLs"],
    [{ MAIL_TO: "root" }, "settings: MAIL_TO: must be an e-mail address"],
    [
      { PROBE_DNS: "1.1.1.1,resolver" },
      "settings: PROBE_DNS: must be a comma-separated list of IPv4 addresses",
    ],
    [{ PROBE_DNS: "off" }, "settings: PROBE_DNS: must be a comma-separated list of IPv4 addresses"],
    [{ PROBE_GATEWAY: "yes" }, "settings: PROBE_GATEWAY: must be on or off"],
    [{ FAILBACK_DELAY: "4" }, "settings: FAILBACK_DELAY: must be a whole number from 5 to 86400"],
    [{ FAILBACK_DELAY: "86401" }, "settings: FAILBACK_DELAY: must be a whole number from 5 to 86400"],
    [{ FAILBACK_DELAY: "1m" }, "settings: FAILBACK_DELAY: must be a whole number from 5 to 86400"],
    [{ FAILBACK_PROBATION: "4" }, "settings: FAILBACK_PROBATION: must be a whole number from 5 to 3600"],
    [{ FAILBACK_PROBATION: "3601" }, "settings: FAILBACK_PROBATION: must be a whole number from 5 to 3600"],
    [{ MAIL: "true" }, "settings: MAIL: must be on or off"],
    [{ MAIL_INTERVAL: "-1" }, "settings: MAIL_INTERVAL: must be a whole number from 0 to 86400"],
    [{ MAIL_INTERVAL: "86401" }, "settings: MAIL_INTERVAL: must be a whole number from 0 to 86400"],
    [{ SWITCH_DOWN_TIMEOUT: "0" }, "settings: SWITCH_DOWN_TIMEOUT: must be a whole number from 1 to 600"],
    [{ SWITCH_DOWN_TIMEOUT: "601" }, "settings: SWITCH_DOWN_TIMEOUT: must be a whole number from 1 to 600"],
    [{ SWITCH_UP_TIMEOUT: "4" }, "settings: SWITCH_UP_TIMEOUT: must be a whole number from 5 to 1800"],
    [{ SWITCH_UP_TIMEOUT: "1801" }, "settings: SWITCH_UP_TIMEOUT: must be a whole number from 5 to 1800"],
    [{ SWITCH_UP_TIMEOUT: "2.5" }, "settings: SWITCH_UP_TIMEOUT: must be a whole number from 5 to 1800"],
  ])("%j is refused", (raw, message) => {
    const r = validateSettings(raw, "settings");
    expect(r.ok ? [] : r.errors).toContain(message);
  });
});

describe("checking only some keys", () => {
  const broken = { ENABLED: "on", FOO: "1", LOG_LEVEL: "loud", PRIMARY: "../x" };

  test("the other keys may hold anything", () => {
    expect(validateSettingsKeys(broken, ["ENABLED"], "settings")).toEqual({
      ok: true,
      value: { ENABLED: "on" },
    });
  });

  test("the keys checked are checked in full", () => {
    expect(validateSettingsKeys({ ...broken, ENABLED: "yes" }, ["ENABLED"], "settings")).toEqual({
      ok: false,
      errors: ["settings: ENABLED: must be on or off"],
    });
  });
});

describe("settings read leniently", () => {
  test("each refused or unreadable key takes its default; the rest count; every problem is named", () => {
    const raw = { PRIMARY: "home", FAILBACK_DELAY: "2", LOG_LEVEL: "debug", MAIL: "on", COLOUR: "x" };
    const r = validateSettingsLeniently(raw, "settings", new Set(["MAIL"]));
    expect(r.errors).toEqual([
      "settings: COLOUR: unknown key",
      "settings: FAILBACK_DELAY: must be a whole number from 5 to 86400",
    ]);
    expect(r.defaulted).toEqual(["FAILBACK_DELAY", "MAIL"]);
    expect(r.value).toMatchObject({ PRIMARY: "home", FAILBACK_DELAY: 60, LOG_LEVEL: "debug", MAIL: "off" });
  });
});

describe("profile names", () => {
  // No word is reserved: no command takes one in place of a profile name.
  test.each(["dsl", "lte-backup", "cable_2", "a".repeat(32), "primary", "backup", "default", "all"])(
    "%s is accepted",
    (name) => {
      expect(profileNameProblem(name)).toBeUndefined();
    },
  );

  test.each(["", "../x", "a/b", ".hidden", "x.", "Dsl", "1st", "a b", "a".repeat(33), "lte\n"])(
    "%j is refused",
    (name) => {
      expect(profileNameProblem(name)).toBeString();
    },
  );
});
