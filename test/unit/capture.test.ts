import { describe, expect, test } from "bun:test";
import { captureRed, secretsPassword } from "../../src/core/ipfire/capture.ts";

const ETH = {
  CONFIG_TYPE: "1",
  GREEN_DEV: "green0",
  RED_DEV: "red0",
  RED_MACADDR: "52:54:00:00:00:01",
  RED_DRIVER: "virtio_net",
};

describe("captureRed", () => {
  test("DHCP keeps the DHCP options and drops IPFire's 0.0.0.0 placeholders", () => {
    const keys = captureRed({
      ethernet: {
        ...ETH,
        RED_TYPE: "DHCP",
        RED_ADDRESS: "0.0.0.0",
        RED_DHCP_HOSTNAME: "fw",
        RED_DHCP_RAPID_COMMIT: "off",
      },
      ppp: {},
      secrets: undefined,
    });
    expect(keys).toEqual({
      TYPE: "DHCP",
      DEVICE: "red0",
      MACADDR: "52:54:00:00:00:01",
      DRIVER: "virtio_net",
      DHCP_HOSTNAME: "fw",
      DHCP_RAPID_COMMIT: "off",
    });
  });

  test("STATIC takes address, netmask, gateway and MTU", () => {
    const keys = captureRed({
      ethernet: {
        ...ETH,
        RED_TYPE: "STATIC",
        RED_ADDRESS: "192.0.2.2",
        RED_NETMASK: "255.255.255.0",
        DEFAULT_GATEWAY: "192.0.2.1",
        RED_MTU: "1492",
      },
      ppp: {},
      secrets: undefined,
    });
    expect(keys).toMatchObject({
      TYPE: "STATIC",
      ADDRESS: "192.0.2.2",
      NETMASK: "255.255.255.0",
      GATEWAY: "192.0.2.1",
      MTU: "1492",
    });
  });

  test("PPPoE takes the password from ppp/secrets when ppp/settings has none", () => {
    const keys = captureRed({
      ethernet: { ...ETH, RED_TYPE: "PPPOE" },
      ppp: {
        TYPE: "pppoe",
        USERNAME: "u@isp",
        AUTH: "chap",
        SERVICENAME: "svc",
      },
      secrets: "'u@isp' * 'p a$s'\n",
    });
    expect(keys).toMatchObject({
      TYPE: "PPPOE",
      USERNAME: "u@isp",
      PASSWORD: "p a$s",
      AUTH: "chap",
      SERVICENAME: "svc",
    });
  });

  // As the web UI wrote it (contract §0a.6): the same auth reaches qmicli once restored.
  test("QMI keeps auth and password exactly, and the DHCP keys dhcpcd_start takes", () => {
    const base = {
      ethernet: { ...ETH, RED_TYPE: "PPPOE", RED_DRIVER: "qmi_wwan", RED_DHCP_HOSTNAME: "fw" },
      secrets: undefined,
    };
    expect(
      captureRed({
        ...base,
        ppp: { TYPE: "qmi", APN: "apn.example", AUTH: "pap-or-chap", USERNAME: "x", PASSWORD: "y" },
        pppLink: "settings-3",
      }),
    ).toEqual({
      TYPE: "QMI",
      DEVICE: "red0",
      MACADDR: "52:54:00:00:00:01",
      APN: "apn.example",
      AUTH: "pap-or-chap",
      USERNAME: "x",
      PASSWORD: "y",
      DHCP_HOSTNAME: "fw",
      PPP_PROFILE: "3",
    });
    expect(captureRed({ ...base, ppp: { TYPE: "qmi", APN: "a.b", AUTH: "" } })).toMatchObject({
      AUTH: "none",
    });
  });

  test("VDSL with IPTV: the VLANs as red reads them, 7 and 8 where the file has none", () => {
    const keys = captureRed({
      ethernet: { ...ETH, RED_TYPE: "PPPOE" },
      ppp: { TYPE: "vdsl", USERNAME: "u@t-online.de", PASSWORD: "p", IPTV: "enable", INET_VLAN: "" },
      secrets: undefined,
      pppLink: "settings-1",
    });
    expect(keys).toMatchObject({ TYPE: "VDSL", VLAN: "7", IPTV: "on", IPTV_VLAN: "8", PPP_PROFILE: "1" });
    const plain = captureRed({
      ethernet: { ...ETH, RED_TYPE: "PPPOE" },
      ppp: { TYPE: "pppoe", USERNAME: "u", PASSWORD: "p", IPTV: "disable", INET_VLAN: "7" },
      secrets: undefined,
    });
    expect(plain).not.toHaveProperty("IPTV");
    expect(plain).not.toHaveProperty("VLAN");
    expect(plain).not.toHaveProperty("PPP_PROFILE");
  });

  test.each<[Record<string, string>, Record<string, string>, string]>([
    [{ RED_TYPE: "" }, {}, "/var/ipfire/ethernet/settings: RED_TYPE: not set; is RED configured (setup)?"],
    [
      { RED_TYPE: "WLAN" },
      {},
      '/var/ipfire/ethernet/settings: RED_TYPE: "WLAN" is not DHCP, STATIC or PPPOE',
    ],
    ...(["modem", "serial", "pptp", "pppoeatm", "pptpatm"] as const).map(
      (type): [Record<string, string>, Record<string, string>, string] => [
        { RED_TYPE: "PPPOE" },
        { TYPE: type },
        `/var/ipfire/ppp/settings: TYPE: "${type}": mwan does not support`,
      ],
    ),
    [
      { RED_TYPE: "PPPOE" },
      { TYPE: "" },
      "/var/ipfire/ppp/settings: TYPE: not set; mwan captures pppoe, vdsl and qmi connections",
    ],
    [
      { RED_TYPE: "PPPOE" },
      { TYPE: "pppoe", AUTH: "standard-login-script" },
      '/var/ipfire/ppp/settings: AUTH: "standard-login-script" (login scripts) cannot be captured',
    ],
  ])("refuses %j %j", (eth, ppp, message) => {
    expect(() => captureRed({ ethernet: { ...ETH, ...eth }, ppp, secrets: undefined })).toThrow(message);
  });
});

describe("secretsPassword", () => {
  test("reads IPFire's 'user' * 'password' line for the matching user", () => {
    expect(secretsPassword("'u' * 'p'\n", "u")).toBe("p");
    expect(secretsPassword("'u' * 'p'\n", "other")).toBeUndefined();
    expect(secretsPassword(undefined, "u")).toBeUndefined();
  });
});
