import { describe, expect, test } from "bun:test";
import {
  PROFILE_TYPES,
  keyChoices,
  keyDefault,
  keyUnused,
  keysOf,
  validateProfile,
} from "../../src/core/schema/profile.ts";

const NIC = { DEVICE: "eth1", MACADDR: "52:54:00:12:34:56" };
const VALID: Record<string, Record<string, string>> = {
  DHCP: { TYPE: "DHCP", ...NIC },
  STATIC: {
    TYPE: "STATIC",
    ...NIC,
    ADDRESS: "192.0.2.10",
    NETMASK: "255.255.255.0",
    GATEWAY: "192.0.2.1",
  },
  PPPOE: {
    TYPE: "PPPOE",
    ...NIC,
    USERNAME: "user@isp",
    PASSWORD: 's3cr$t !&;"',
  },
  QMI: { TYPE: "QMI", APN: "internet.example.com" },
};

function errors(raw: Record<string, string>): string[] {
  const r = validateProfile(raw, "profiles/p");
  return r.ok ? [] : r.errors;
}

describe("valid profiles", () => {
  test.each(Object.entries(VALID))("%s with only required keys gets its defaults", (type, raw) => {
    const r = validateProfile(raw, "profiles/p");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.PRIORITY).toBe(10);
    expect(r.value.METERED).toBe(type === "QMI" ? "on" : "off");
  });

  test("MAC addresses are normalised to lowercase with colons", () => {
    const r = validateProfile({ ...VALID.DHCP, MACADDR: "52-54-00-AB-CD-EF" }, "profiles/p");
    expect(r.ok && r.value.TYPE === "DHCP" && r.value.MACADDR).toBe("52:54:00:ab:cd:ef");
  });

  test("empty values mean unset", () => {
    expect(
      errors({
        ...VALID.DHCP,
        PRIORITY: "",
        DHCP_FORCE_MTU: "",
        DESCRIPTION: "",
      }),
    ).toEqual([]);
  });
});

describe("every error names the file and the key", () => {
  test.each<[string, Record<string, string>, string]>([
    ["missing TYPE", {}, "profiles/p: TYPE: required (one of DHCP, STATIC, PPPOE, VDSL, QMI)"],
    [
      "unknown TYPE",
      { TYPE: "WIFI" },
      'profiles/p: TYPE: must be one of DHCP, STATIC, PPPOE, VDSL, QMI (found "WIFI")',
    ],
    [
      "lowercase TYPE",
      { TYPE: "dhcp" },
      'profiles/p: TYPE: must be one of DHCP, STATIC, PPPOE, VDSL, QMI (found "dhcp")',
    ],
    ["QMI without APN", { TYPE: "QMI" }, "profiles/p: APN: required for TYPE=QMI"],
    [
      "DHCP without DEVICE",
      { TYPE: "DHCP", MACADDR: NIC.MACADDR },
      "profiles/p: DEVICE: required for TYPE=DHCP",
    ],
    ["DHCP without MAC", { TYPE: "DHCP", DEVICE: "eth1" }, "profiles/p: MACADDR: required for TYPE=DHCP"],
    ["unknown key", { ...VALID.DHCP, APN: "x" }, "profiles/p: APN: unknown key for TYPE=DHCP"],
    [
      "bad MAC",
      { ...VALID.DHCP, MACADDR: "52:54:00:12:34" },
      "profiles/p: MACADDR: must be a MAC address like 52:54:00:12:34:56",
    ],
    [
      "bad device",
      { ...VALID.DHCP, DEVICE: "../eth0" },
      "profiles/p: DEVICE: must be an interface name like eth1 (at most 15 letters, digits, . _ -, not starting with -)",
    ],
    [
      "long device",
      { ...VALID.DHCP, DEVICE: "a234567890123456" },
      "profiles/p: DEVICE: must be an interface name like eth1 (at most 15 letters, digits, . _ -, not starting with -)",
    ],
    [
      "device read as an option",
      { ...VALID.DHCP, DEVICE: "-x" },
      "profiles/p: DEVICE: must be an interface name like eth1 (at most 15 letters, digits, . _ -, not starting with -)",
    ],
    [
      "PPPoE user name with a space (more pppd options)",
      { ...VALID.PPPOE, USERNAME: "u plugin /tmp/evil.so" },
      "profiles/p: USERNAME: must not contain a space (IPFire passes it to pppd unquoted, so a space would add pppd options)",
    ],
    [
      "PPPoE service name with a space",
      { ...VALID.PPPOE, SERVICENAME: "a b" },
      "profiles/p: SERVICENAME: must not contain a space (IPFire passes it to pppd unquoted, so a space would add pppd options)",
    ],
    [
      "QMI user name with a comma (more qmicli settings)",
      { ...VALID.QMI, AUTH: "pap", USERNAME: "web,apn=evil" },
      "profiles/p: USERNAME: must not contain a space or a comma (IPFire splits qmicli's settings at both)",
    ],
    [
      "QMI password with a space",
      { ...VALID.QMI, AUTH: "pap", USERNAME: "web", PASSWORD: "a b" },
      "profiles/p: PASSWORD: must not contain a space or a comma (IPFire splits qmicli's settings at both)",
    ],
    [
      "priority 0",
      { ...VALID.DHCP, PRIORITY: "0" },
      "profiles/p: PRIORITY: must be a whole number from 1 to 99",
    ],
    [
      "priority text",
      { ...VALID.DHCP, PRIORITY: "high" },
      "profiles/p: PRIORITY: must be a whole number from 1 to 99",
    ],
    ["metered yes", { ...VALID.DHCP, METERED: "yes" }, "profiles/p: METERED: must be on or off"],
    [
      "probe targets",
      { ...VALID.DHCP, PROBE_TARGETS: "9.9.9.9,dns.google" },
      "profiles/p: PROBE_TARGETS: must be a comma-separated list of IPv4 addresses",
    ],
    [
      "DHCP hostname",
      { ...VALID.DHCP, DHCP_HOSTNAME: "bad_host!" },
      "profiles/p: DHCP_HOSTNAME: must be a domain name like internet.example.com",
    ],
    [
      "DHCP MTU",
      { ...VALID.DHCP, DHCP_FORCE_MTU: "100" },
      "profiles/p: DHCP_FORCE_MTU: must be a whole number from 576 to 9000",
    ],
    [
      "STATIC bad address",
      { ...VALID.STATIC, ADDRESS: "192.0.2.300" },
      "profiles/p: ADDRESS: must be an IPv4 address like 192.0.2.1",
    ],
    [
      "STATIC bad netmask",
      { ...VALID.STATIC, NETMASK: "255.0.255.0" },
      "profiles/p: NETMASK: must be a netmask like 255.255.255.0",
    ],
    [
      "STATIC /31",
      { ...VALID.STATIC, NETMASK: "255.255.255.254" },
      "profiles/p: ADDRESS: 192.0.2.10/255.255.255.254 leaves no room for a gateway (use /30 or larger)",
    ],
    [
      "STATIC network address",
      { ...VALID.STATIC, ADDRESS: "192.0.2.0" },
      "profiles/p: ADDRESS: 192.0.2.0 is the network or broadcast address of its subnet",
    ],
    [
      "STATIC gateway outside",
      { ...VALID.STATIC, GATEWAY: "198.51.100.1" },
      "profiles/p: GATEWAY: 198.51.100.1 is not inside 192.0.2.10/255.255.255.0",
    ],
    [
      "STATIC gateway = address",
      { ...VALID.STATIC, GATEWAY: "192.0.2.10" },
      "profiles/p: GATEWAY: must differ from ADDRESS",
    ],
    [
      "STATIC gateway broadcast",
      { ...VALID.STATIC, GATEWAY: "192.0.2.255" },
      "profiles/p: GATEWAY: 192.0.2.255 is the network or broadcast address of 192.0.2.10/255.255.255.0",
    ],
    [
      "STATIC MTU",
      { ...VALID.STATIC, MTU: "70000" },
      "profiles/p: MTU: must be a whole number from 576 to 9000",
    ],
    [
      "PPPoE without password",
      { ...VALID.PPPOE, PASSWORD: "" },
      "profiles/p: PASSWORD: required for TYPE=PPPOE",
    ],
    [
      "PPPoE quote in password",
      { ...VALID.PPPOE, PASSWORD: "it's" },
      "profiles/p: PASSWORD: must not contain ' or \\ (ppp/secrets quotes it)",
    ],
    [
      "PPPoE backslash in password",
      { ...VALID.PPPOE, PASSWORD: "a\\b" },
      "profiles/p: PASSWORD: must not contain ' or \\ (ppp/secrets quotes it)",
    ],
    [
      "PPPoE shell-unsafe user",
      { ...VALID.PPPOE, USERNAME: "u$er" },
      `profiles/p: USERNAME: contains "$", which IPFire's shell reader drops (allowed: letters, digits, space and = / , . : % _ @ # + -)`,
    ],
    ["PPPoE auth", { ...VALID.PPPOE, AUTH: "mschap" }, "profiles/p: AUTH: must be pap-or-chap, pap or chap"],
    [
      "PPPoE MTU",
      { ...VALID.PPPOE, MTU: "1600" },
      "profiles/p: MTU: must be a whole number from 576 to 1500",
    ],
    [
      "QMI bad APN",
      { TYPE: "QMI", APN: "internet provider" },
      "profiles/p: APN: must be a domain name like internet.example.com",
    ],
    [
      "QMI auth",
      { ...VALID.QMI, AUTH: "mschap" },
      "profiles/p: AUTH: must be none, PAP, CHAP, or as IPFire's web UI writes it: pap-or-chap, pap, chap",
    ],
    [
      "QMI auth without user",
      { ...VALID.QMI, AUTH: "CHAP" },
      "profiles/p: USERNAME: required when AUTH=CHAP",
    ],
    [
      "VDSL VLAN out of range",
      { ...VALID.PPPOE, TYPE: "VDSL", VLAN: "4095" },
      "profiles/p: VLAN: must be a whole number from 1 to 4094",
    ],
    [
      "QMI shell-unsafe password, no character of it named",
      { ...VALID.QMI, PASSWORD: "pa$$" },
      "profiles/p: PASSWORD: contains characters IPFire's shell reader drops (allowed: letters, digits, space and = / , . : % _ @ # + -)",
    ],
    [
      "QMI quote in password",
      { ...VALID.QMI, PASSWORD: "it's" },
      "profiles/p: PASSWORD: contains characters IPFire's shell reader drops (allowed: letters, digits, space and = / , . : % _ @ # + -)",
    ],
    [
      "QMI shell-unsafe user",
      { ...VALID.QMI, AUTH: "pap", USERNAME: "web!" },
      `profiles/p: USERNAME: contains "!", which IPFire's shell reader drops (allowed: letters, digits, space and = / , . : % _ @ # + -)`,
    ],
    [
      "PPPoE without user name",
      { TYPE: "PPPOE", ...NIC, PASSWORD: "pw" },
      "profiles/p: USERNAME: required for TYPE=PPPOE",
    ],
    [
      "PPPoE empty user name",
      { ...VALID.PPPOE, USERNAME: "" },
      "profiles/p: USERNAME: required for TYPE=PPPOE",
    ],
    [
      "PPPoE shell-unsafe service name",
      { ...VALID.PPPOE, SERVICENAME: "isp;reboot" },
      `profiles/p: SERVICENAME: contains ";", which IPFire's shell reader drops (allowed: letters, digits, space and = / , . : % _ @ # + -)`,
    ],
    ["PPPoE MRU", { ...VALID.PPPOE, MRU: "575" }, "profiles/p: MRU: must be a whole number from 576 to 1500"],
    [
      "shell-unsafe driver",
      { ...VALID.DHCP, DRIVER: "virtio$(id)" },
      `profiles/p: DRIVER: contains "$" "(" ")", which IPFire's shell reader drops (allowed: letters, digits, space and = / , . : % _ @ # + -)`,
    ],
    [
      "STATIC shell-unsafe driver",
      { ...VALID.STATIC, DRIVER: "e1000e'" },
      `profiles/p: DRIVER: contains "'", which IPFire's shell reader drops (allowed: letters, digits, space and = / , . : % _ @ # + -)`,
    ],
    [
      "DHCP rapid commit",
      { ...VALID.DHCP, DHCP_RAPID_COMMIT: "yes" },
      "profiles/p: DHCP_RAPID_COMMIT: must be on or off",
    ],
  ])("%s", (_, raw, message) => {
    expect(errors(raw)).toContain(message);
  });

  // Messages end up in terminals, logs and mails.
  test.each([
    ["PPPOE", "it's$ecret\\"],
    ["PPPOE", ""],
    ["QMI", "S3cr$t 'pw'!"],
    ["QMI", "ümlaut;"],
  ])("no message about a %s password shows any of it (%j)", (type, password) => {
    const base = type === "QMI" ? { ...VALID.QMI, AUTH: "chap", USERNAME: "web" } : VALID.PPPOE;
    const about = errors({ ...base, PASSWORD: password }).filter((e) => e.includes("PASSWORD"));
    expect(about).toHaveLength(1);
    // describeChars quotes each character it names: no quote, none named.
    expect(about[0]).not.toContain('"');
    if (password !== "") expect(about[0]).not.toContain(password);
  });

  test("all problems are reported at once", () => {
    expect(errors({ TYPE: "STATIC", DEVICE: "eth1" })).toEqual([
      "profiles/p: MACADDR: required for TYPE=STATIC",
      "profiles/p: ADDRESS: required for TYPE=STATIC",
      "profiles/p: NETMASK: required for TYPE=STATIC",
      "profiles/p: GATEWAY: required for TYPE=STATIC",
    ]);
  });
});

// What the prompts offer is read from the schema: every choice and every
// default offered must be accepted by it.
describe("choices and defaults", () => {
  test("are what the prompts show", () => {
    expect(keyChoices("PPPOE", "AUTH")).toEqual(["pap-or-chap", "pap", "chap"]);
    expect(keyChoices("QMI", "AUTH")).toEqual(["none", "PAP", "CHAP", "pap-or-chap", "pap", "chap"]);
    expect(keyChoices("DHCP", "METERED")).toEqual(["on", "off"]);
    expect(keyChoices("DHCP", "PRIORITY")).toBeUndefined();
    expect([
      keyDefault("DHCP", "PRIORITY"),
      keyDefault("DHCP", "METERED"),
      keyDefault("QMI", "METERED"),
    ]).toEqual(["10", "off", "on"]);
    expect([keyDefault("VDSL", "VLAN"), keyDefault("QMI", "AUTH"), keyDefault("PPPOE", "AUTH")]).toEqual([
      "7",
      "none",
      undefined,
    ]);
    expect(keyDefault("DHCP", "DEVICE")).toBeUndefined();
    expect(keyDefault("DHCP", "toString")).toBeUndefined();
  });

  test.each(PROFILE_TYPES.filter((t) => t in VALID))("%s accepts each of them", (type) => {
    // QMI's PAP and CHAP need a username.
    const base = { ...VALID[type], ...(type === "QMI" ? { USERNAME: "web" } : {}) };
    for (const key of keysOf(type)) {
      const values = [...(keyChoices(type, key) ?? []), keyDefault(type, key)];
      for (const v of values) if (v !== undefined) expect(errors({ ...base, [key]: v })).toEqual([]);
    }
  });
});

// What the prompts skip: keys the rest of the profile leaves unused.
describe("keyUnused", () => {
  test("IPTV_VLAN only with IPTV on", () => {
    expect(keyUnused("PPPOE", {}, "IPTV_VLAN")).toBe(true);
    expect(keyUnused("VDSL", { IPTV: "off" }, "IPTV_VLAN")).toBe(true);
    expect(keyUnused("VDSL", { IPTV: "on" }, "IPTV_VLAN")).toBe(false);
  });

  test("a QMI user name and password only with AUTH PAP or CHAP", () => {
    for (const auth of ["", "none", "pap-or-chap", "pap", "chap"])
      for (const key of ["USERNAME", "PASSWORD"]) expect(keyUnused("QMI", { AUTH: auth }, key)).toBe(true);
    for (const auth of ["PAP", "CHAP"]) expect(keyUnused("QMI", { AUTH: auth }, "USERNAME")).toBe(false);
    // PPPoE always logs in.
    expect(keyUnused("PPPOE", {}, "USERNAME")).toBe(false);
  });
});
