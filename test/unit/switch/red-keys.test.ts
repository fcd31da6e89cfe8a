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

  // A backup's ppp/settings holds its keys and nothing of the primary's.
  test("PPPoE: RED_TYPE=PPPOE plus a ppp/settings of its own keys, credentials in ppp/secrets", () => {
    const keys = redKeys(profile({ TYPE: "PPPOE", ...NIC, USERNAME: "u@isp", PASSWORD: 'a $b!"' }), DEV);
    expect(keys.ethernet.RED_TYPE).toBe("PPPOE");
    expect(keys.ppp).toEqual({ TYPE: "pppoe", USERNAME: "u@isp", PASSWORD: 'a $b!"' });
    expect(keys.pppLink).toBeUndefined();
    expect(keys.secrets).toBe(`'u@isp' * 'a $b!"'\n`);
  });

  test("VDSL with IPTV: TYPE=vdsl, INET_VLAN, IPTV=enable and IPTV_VLAN", () => {
    const keys = redKeys(
      profile({ TYPE: "VDSL", ...NIC, USERNAME: "u", PASSWORD: "p", IPTV: "on", IPTV_VLAN: "9" }),
      DEV,
    );
    expect(keys.ppp).toEqual({
      TYPE: "vdsl",
      USERNAME: "u",
      PASSWORD: "p",
      INET_VLAN: "7",
      IPTV: "enable",
      IPTV_VLAN: "9",
    });
  });

  test("a profile of one of the web UI's dial profiles is that file, linked, while it is of its type", () => {
    const text = "PROFILE=2\nTYPE=pppoe\nUSERNAME=gui@isp\nPASSWORD=guipw\nBACKUPPROFILE=2\n";
    const p = profile({ TYPE: "PPPOE", ...NIC, USERNAME: "u", PASSWORD: "p", PPP_PROFILE: "2" });
    const keys = redKeys(p, DEV, { name: "settings-2", text });
    expect(keys.pppLink).toEqual({ name: "settings-2", text });
    expect(keys.secrets).toBe("'gui@isp' * 'guipw'\n");
    const other = redKeys(p, DEV, { name: "settings-2", text: "TYPE=qmi\nAPN=a.b\n" });
    expect(other.pppLink).toBeUndefined();
    expect(other.ppp?.USERNAME).toBe("u");
  });

  test("QMI: RED_DRIVER=qmi_wwan, its own DHCP keys, auth exactly as the profile says", () => {
    const keys = redKeys(profile({ TYPE: "QMI", APN: "apn.example", AUTH: "CHAP", USERNAME: "x" }), DEV);
    expect(keys.ethernet).toMatchObject({
      RED_TYPE: "PPPOE",
      RED_DRIVER: "qmi_wwan",
      RED_DHCP_HOSTNAME: undefined,
      RED_DHCP_FORCE_MTU: undefined,
    });
    expect(keys.ppp).toEqual({ TYPE: "qmi", APN: "apn.example", AUTH: "CHAP", USERNAME: "x" });
    expect(keys.secrets).toBeUndefined();
  });

  test("RED's layer-3 interface is ppp0 for PPPoE and VDSL, the NIC otherwise", () => {
    expect(redIface(profile({ TYPE: "PPPOE", ...NIC, USERNAME: "u", PASSWORD: "p" }), DEV)).toBe("ppp0");
    expect(redIface(profile({ TYPE: "VDSL", ...NIC, USERNAME: "u", PASSWORD: "p" }), DEV)).toBe("ppp0");
    expect(redIface(profile({ TYPE: "DHCP", ...NIC }), DEV)).toBe("eth7");
  });

  test("networkAddress", () => {
    expect(networkAddress("10.1.2.3", "255.255.0.0")).toBe("10.1.0.0");
    expect(networkAddress("203.0.113.77", "255.255.255.248")).toBe("203.0.113.72");
  });
});
