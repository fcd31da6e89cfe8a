import { describe, expect, test } from "bun:test";
import { validateSettings } from "../../src/core/schema/settings.ts";
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
  ])("%j is refused", (raw, message) => {
    const r = validateSettings(raw, "settings");
    expect(r.ok ? [] : r.errors).toContain(message);
  });
});

describe("profile names", () => {
  test.each(["dsl", "lte-backup", "cable_2", "a".repeat(32)])("%s is accepted", (name) => {
    expect(profileNameProblem(name)).toBeUndefined();
  });

  test.each([
    "",
    "../x",
    "a/b",
    ".hidden",
    "x.",
    "Dsl",
    "1st",
    "a b",
    "a".repeat(33),
    "lte\n",
    "primary",
    "all",
  ])("%j is refused", (name) => {
    expect(profileNameProblem(name)).toBeString();
  });
});
