// `profile import-current` turns the RED IPFire has now into the primary
// profile. It only reads IPFire's files; a RED it cannot represent is
// refused before anything is written.

import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { EXIT, expectError, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { mwan } from "../helpers/run-bin.ts";
import { PROFILE } from "../helpers/fixtures.ts";
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
