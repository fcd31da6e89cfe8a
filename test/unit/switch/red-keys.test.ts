import { describe, expect, test } from "bun:test";
import type { ProfileData } from "../../../src/core/schema/profile.ts";
import { validateProfile } from "../../../src/core/schema/profile.ts";
import { networkAddress, redIface, redKeys } from "../../../src/core/switch/red-keys.ts";

function profile(raw: Record<string, string>): ProfileData {
  const r = validateProfile(raw, "profiles/t");
  if (!r.ok) throw new Error(r.errors.join("; "));
  return r.value;
}

const DEV = { ifname: "eth7", mac: "52:54:00:00:00:07" };
const NIC = { DEVICE: "eth1", MACADDR: "52:54:00:00:00:07" };

describe("redKeys", () => {
  test("DHCP lives in ethernet/settings alone, with setup's 0.0.0.0 placeholders", () => {
    const keys = redKeys(profile({ TYPE: "DHCP", ...NIC, DHCP_HOSTNAME: "fw" }), DEV);
    expect(keys.ppp).toBeUndefined();
    expect(keys.secrets).toBeUndefined();
    expect(keys.ethernet).toMatchObject({
      RED_TYPE: "DHCP",
      RED_DEV: "eth7", // the name on this boot, not the profile's DEVICE
      RED_MACADDR: "52:54:00:00:00:07",
      RED_ADDRESS: "0.0.0.0",
      DEFAULT_GATEWAY: "0.0.0.0",
      RED_DHCP_HOSTNAME: "fw",
    });
  });

  test("STATIC writes address, netmask, network address and gateway", () => {
    const keys = redKeys(
      profile({
        TYPE: "STATIC",
        ...NIC,
        ADDRESS: "192.0.2.10",
        NETMASK: "255.255.255.192",
        GATEWAY: "192.0.2.1",
      }),
      DEV,
    );
    expect(keys.ethernet).toMatchObject({
      RED_TYPE: "STATIC",
      RED_ADDRESS: "192.0.2.10",
      RED_NETMASK: "255.255.255.192",
      RED_NETADDRESS: "192.0.2.0",
      DEFAULT_GATEWAY: "192.0.2.1",
    });
  });

  test("PPPoE is RED_TYPE=PPPOE plus TYPE=pppoe, credentials in ppp/secrets", () => {
    const keys = redKeys(profile({ TYPE: "PPPOE", ...NIC, USERNAME: "u@isp", PASSWORD: 'a $b!"' }), DEV);
    expect(keys.ethernet.RED_TYPE).toBe("PPPOE");
    expect(keys.ppp).toMatchObject({
      TYPE: "pppoe",
      USERNAME: "u@isp",
      PASSWORD: 'a $b!"',
      BACKUPPROFILE: undefined,
    });
    expect(keys.secrets).toBe(`'u@isp' * 'a $b!"'\n`);
  });

  test("QMI sets RED_DRIVER=qmi_wwan and passes auth in the spelling the start path accepts", () => {
    const keys = redKeys(profile({ TYPE: "QMI", APN: "apn.example", AUTH: "chap", USERNAME: "x" }), DEV);
    expect(keys.ethernet).toMatchObject({
      RED_TYPE: "PPPOE",
      RED_DRIVER: "qmi_wwan",
    });
    expect(keys.ppp).toMatchObject({
      TYPE: "qmi",
      APN: "apn.example",
      AUTH: "CHAP",
      USERNAME: "x",
    });
    expect(keys.secrets).toBeUndefined();
  });

  test("RED's layer-3 interface is ppp0 for PPPoE, the NIC otherwise", () => {
    expect(redIface(profile({ TYPE: "PPPOE", ...NIC, USERNAME: "u", PASSWORD: "p" }), DEV)).toBe("ppp0");
    expect(redIface(profile({ TYPE: "DHCP", ...NIC }), DEV)).toBe("eth7");
  });

  test("networkAddress", () => {
    expect(networkAddress("10.1.2.3", "255.255.0.0")).toBe("10.1.0.0");
    expect(networkAddress("203.0.113.77", "255.255.255.248")).toBe("203.0.113.72");
  });
});
