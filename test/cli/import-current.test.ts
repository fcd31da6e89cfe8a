// `profile import-current` turns the RED IPFire has now into the primary
// profile. It only reads IPFire's files; a RED it cannot represent is
// refused before anything is written.

import { afterEach, describe, expect, test } from "bun:test";
import { linkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, expectError, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { mwan } from "../helpers/run-bin.ts";
import { PROFILE } from "../helpers/fixtures.ts";
import { type DialProfile, dialProfile, writesecrets } from "../helpers/ipfire-files.ts";
import {
  MAC,
  PPP_PASSWORD,
  PPP_USER,
  type RootOptions,
  cleanup,
  makeRoot,
  mwanFile,
  readhash,
  snapshot,
} from "../helpers/temp-root.ts";

afterEach(cleanup);

const IMPORT = ["profile", "import-current", "home"];

// Imports on a fresh root and returns the profile's keys as IPFire's Perl
// reader would see them, checking that IPFire's own files were only read.
async function imported(opts: RootOptions) {
  const root = makeRoot(opts);
  const ipfire = join(root, "var/ipfire");
  const before = snapshot(ipfire);
  const r = await mwan(root, ...IMPORT);
  expectOk(r);
  const after = snapshot(ipfire);
  for (const [path, facts] of Object.entries(before)) expect(after[path]).toEqual(facts);
  return { root, r, keys: readhash(mwanFile(root, "profiles/home")) };
}

describe("profile import-current", () => {
  test("DHCP RED: device, MAC, driver and the DHCP options", async () => {
    const { keys, r, root } = await imported({ red: "dhcp" });
    expect(keys).toEqual({
      TYPE: "DHCP",
      DEVICE: "red0",
      MACADDR: MAC.red,
      DRIVER: "virtio_net",
      DHCP_HOSTNAME: "ipfire",
      DHCP_RAPID_COMMIT: "on",
    });
    expect(r.stdout).toContain("PRIMARY is now home");
    expect(readhash(mwanFile(root, "settings")).PRIMARY).toBe("home");
  });

  test("STATIC RED: address, netmask, gateway and MTU", async () => {
    const { keys } = await imported({ red: "static" });
    expect(keys).toMatchObject({
      TYPE: "STATIC",
      DEVICE: "red0",
      MACADDR: MAC.red,
      ADDRESS: "198.51.100.10",
      NETMASK: "255.255.255.0",
      GATEWAY: "198.51.100.1",
      MTU: "1500",
    });
  });

  test("PPPoE RED: credentials from ppp/settings", async () => {
    const { keys } = await imported({ red: "pppoe" });
    expect(keys).toMatchObject({
      TYPE: "PPPOE",
      DEVICE: "red0",
      USERNAME: PPP_USER,
      PASSWORD: PPP_PASSWORD,
      AUTH: "pap-or-chap",
      MTU: "1492",
      MRU: "1492",
    });
  });

  test("PPPoE RED: the password from ppp/secrets when settings has none", async () => {
    // pppd accepts any character but ' in secrets; the profile keeps it exactly.
    const password = `pa$$ w"rd&;!`;
    const { keys, root } = await imported({
      red: "pppoe",
      ppp: { PASSWORD: "" },
      secrets: `'${PPP_USER}' * '${password}'\n`,
    });
    expect(keys.PASSWORD).toBe(password);
    expect(snapshot(root)["var/ipfire/mwan/profiles/home"]?.mode).toBe("600");
  });

  test("the MAC comes from sys/class/net when setup left RED_MACADDR empty", async () => {
    const { keys } = await imported({ ethernet: { RED_MACADDR: "" } });
    expect(keys.MACADDR).toBe(MAC.red);
  });

  test("an existing PRIMARY is kept", async () => {
    const { keys, r, root } = await imported({
      red: "static",
      mwan: { settings: "PRIMARY=old\n", "profiles/old": PROFILE.dhcp },
    });
    expect(keys.TYPE).toBe("STATIC");
    expect(r.stdout).not.toContain("PRIMARY");
    expect(mwanFile(root, "settings")).toBe("PRIMARY=old\n");
  });
});

describe("profile import-current refuses", () => {
  // Each of these must fail before writing anything anywhere.
  const refusals: [string, RootOptions, number, string[]][] = [
    [
      "a ppp TYPE mwan does not support (an analog modem)",
      { red: "pppoe", ppp: { TYPE: "modem" } },
      EXIT.config,
      ["/var/ipfire/ppp/settings", "TYPE", "mwan does not support an analog modem"],
    ],
    [
      "PPPoE with a login script",
      { red: "pppoe", ppp: { AUTH: "standard-login-script" } },
      EXIT.config,
      ["/var/ipfire/ppp/settings", "AUTH"],
    ],
    [
      "a missing ethernet/settings",
      { ethernet: false },
      EXIT.config,
      ["/var/ipfire/ethernet/settings", "missing"],
    ],
    [
      "an unset RED_TYPE",
      { ethernet: { RED_TYPE: undefined } },
      EXIT.config,
      ["/var/ipfire/ethernet/settings", "RED_TYPE"],
    ],
    ["an unknown RED_TYPE", { ethernet: { RED_TYPE: "WLAN" } }, EXIT.config, ["RED_TYPE", "WLAN"]],
  ];
  test.each(refusals)("%s", async (_, opts, code, parts) => {
    const root = makeRoot(opts);
    await expectUntouched(root, async () => expectError(await mwan(root, ...IMPORT), code, ...parts));
  });

  test("a name that is already a profile", async () => {
    const root = makeRoot({ mwan: { "profiles/home": PROFILE.static } });
    await expectUntouched(root, async () =>
      expectError(await mwan(root, ...IMPORT), EXIT.config, "profiles/home", "already exists"),
    );
  });
});

// Files as IPFire's web UI leaves them (issue 11): dial profile N written by
// pppsetup.cgi with its full key set, ppp/settings a hard link to it, the
// IPTVSERVERS textarea raw over several CRLF lines.
describe("profile import-current of the web UI's dial profiles", () => {
  function webUiRoot(profile: DialProfile, ethernet: Record<string, string> = {}) {
    const root = makeRoot({ red: profile.type === "qmi" ? "qmi" : "pppoe", ethernet, secrets: false });
    const ppp = join(root, "var/ipfire/ppp");
    rmSync(join(ppp, "settings"));
    writeFileSync(join(ppp, `settings-${profile.profile}`), dialProfile(profile));
    linkSync(join(ppp, `settings-${profile.profile}`), join(ppp, "settings"));
    if (profile.type !== "qmi")
      writeFileSync(join(ppp, "secrets"), writesecrets(profile.username, profile.password), { mode: 0o600 });
    return root;
  }

  async function importFrom(root: string) {
    const before = snapshot(join(root, "var/ipfire"));
    expectOk(await mwan(root, ...IMPORT));
    const after = snapshot(join(root, "var/ipfire"));
    for (const [path, facts] of Object.entries(before)) expect(after[path]).toEqual(facts);
    return readhash(mwanFile(root, "profiles/home"));
  }

  test("VDSL with IPTV on VLAN 7 and 8, IPTVSERVERS over three lines", async () => {
    const root = webUiRoot({
      profile: 3,
      name: "Telekom",
      type: "vdsl",
      username: "0012345678901234567890001#0001@t-online.de",
      password: "pa ss#wd",
      iptv: true,
      iptvServers: ["192.168.2.51/32", "10.0.0.0/8", "239.1.0.0/16"],
    });
    const keys = await importFrom(root);
    expect(keys).toMatchObject({
      TYPE: "VDSL",
      DEVICE: "red0",
      MACADDR: MAC.red,
      VLAN: "7",
      IPTV: "on",
      IPTV_VLAN: "8",
      USERNAME: "0012345678901234567890001#0001@t-online.de",
      PASSWORD: "pa ss#wd",
      AUTH: "pap-or-chap",
      PPP_PROFILE: "3",
    });
  });

  test("PPPoE with IPTV off: no IPTV keys, the dial profile named", async () => {
    const keys = await importFrom(
      webUiRoot({
        profile: 2,
        name: "DSL",
        type: "pppoe",
        username: "u@isp.example",
        password: "pw",
        auth: "chap",
      }),
    );
    expect(keys).toMatchObject({ TYPE: "PPPOE", AUTH: "chap", PPP_PROFILE: "2", USERNAME: "u@isp.example" });
    expect(keys).not.toHaveProperty("IPTV");
    expect(keys).not.toHaveProperty("VLAN");
  });

  test("QMI: the web UI's lowercase AUTH and its password kept as they are", async () => {
    const keys = await importFrom(
      webUiRoot({
        profile: 4,
        name: "LTE",
        type: "qmi",
        username: "web",
        password: "lte+pw",
        auth: "pap",
        apn: "web.vodafone.de",
      }),
    );
    expect(keys).toMatchObject({
      TYPE: "QMI",
      APN: "web.vodafone.de",
      AUTH: "pap",
      USERNAME: "web",
      PASSWORD: "lte+pw",
      PPP_PROFILE: "4",
    });
  });
});
