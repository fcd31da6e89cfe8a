// What IPFire's files must say for RED to come up on a profile (contract §0.3,
// §1.2, §1.5, §4): DHCP and STATIC live in ethernet/settings alone; PPPoE and
// QMI are RED_TYPE=PPPOE plus a lowercase TYPE in ppp/settings, PPPoE with its
// credentials in ppp/secrets. Keys not listed here belong to IPFire and the
// admin, and are never touched.

import { ipv4ToInt } from "../schema/fields.ts";
import type { ProfileData } from "../schema/profile.ts";

export type Changes = Record<string, string | undefined>;

export interface RedKeys {
  ethernet: Changes;
  // undefined: ppp/settings is left as it is (DHCP, STATIC)
  ppp?: Changes;
  // undefined: ppp/secrets is left as it is (all but PPPoE)
  secrets?: string;
}

// Every key some profile type sets: mwan's share of IPFire's files.
export const OWNED_ETHERNET = [
  "RED_TYPE",
  "RED_DEV",
  "RED_MACADDR",
  "RED_DRIVER",
  "RED_ADDRESS",
  "RED_NETMASK",
  "RED_NETADDRESS",
  "DEFAULT_GATEWAY",
  "RED_MTU",
  "RED_DHCP_HOSTNAME",
  "RED_DHCP_FORCE_MTU",
  "RED_DHCP_RAPID_COMMIT",
];
export const OWNED_PPP = [
  "TYPE",
  "USERNAME",
  "PASSWORD",
  "AUTH",
  "MTU",
  "MRU",
  "SERVICENAME",
  "CONCENTRATORNAME",
  "BACKUPPROFILE",
  "APN",
];

// The interface the profile's NIC has on this boot, resolved by MAC.
export interface ResolvedDevice {
  ifname: string;
  mac: string;
}

// setup writes these placeholders for every RED type that is not STATIC
// (src/setup/netstuff.c; a fresh install has RED_NETADDRESS=0.0.0.0 too).
const NO_ADDRESS = {
  RED_ADDRESS: "0.0.0.0",
  RED_NETMASK: "0.0.0.0",
  RED_NETADDRESS: "0.0.0.0",
  DEFAULT_GATEWAY: "0.0.0.0",
};

export function redKeys(profile: ProfileData, device: ResolvedDevice): RedKeys {
  const driver = "DRIVER" in profile ? profile.DRIVER : undefined;
  const nic = {
    RED_DEV: device.ifname,
    RED_MACADDR: device.mac,
    RED_DRIVER: driver,
  };
  switch (profile.TYPE) {
    case "DHCP":
      return {
        ethernet: {
          RED_TYPE: "DHCP",
          ...nic,
          ...NO_ADDRESS,
          RED_DHCP_HOSTNAME: profile.DHCP_HOSTNAME,
          RED_DHCP_FORCE_MTU: str(profile.DHCP_FORCE_MTU),
          RED_DHCP_RAPID_COMMIT: profile.DHCP_RAPID_COMMIT,
        },
      };
    case "STATIC":
      return {
        ethernet: {
          RED_TYPE: "STATIC",
          ...nic,
          RED_ADDRESS: profile.ADDRESS,
          RED_NETMASK: profile.NETMASK,
          RED_NETADDRESS: networkAddress(profile.ADDRESS, profile.NETMASK),
          DEFAULT_GATEWAY: profile.GATEWAY,
          RED_MTU: str(profile.MTU),
        },
      };
    case "PPPOE":
      return {
        ethernet: { RED_TYPE: "PPPOE", ...nic, ...NO_ADDRESS },
        ppp: {
          TYPE: "pppoe",
          USERNAME: profile.USERNAME,
          PASSWORD: profile.PASSWORD,
          AUTH: profile.AUTH,
          MTU: str(profile.MTU),
          MRU: str(profile.MRU),
          SERVICENAME: profile.SERVICENAME,
          CONCENTRATORNAME: profile.CONCENTRATORNAME,
          // connectd would copy this profile over ppp/settings after failed
          // dials (contract §3); mwan decides where RED goes instead.
          BACKUPPROFILE: undefined,
        },
        secrets: `'${profile.USERNAME}' * '${profile.PASSWORD}'\n`,
      };
    case "QMI":
      return {
        // RED_DRIVER=qmi_wwan is how IPFire's helpers know RED is not ppp0.
        ethernet: {
          RED_TYPE: "PPPOE",
          ...nic,
          RED_DRIVER: "qmi_wwan",
          ...NO_ADDRESS,
        },
        ppp: {
          TYPE: "qmi",
          APN: profile.APN,
          // The QMI start path passes auth only when spelled PAP or CHAP.
          AUTH: profile.AUTH === "none" ? undefined : profile.AUTH.toUpperCase(),
          USERNAME: profile.USERNAME,
          PASSWORD: profile.PASSWORD,
        },
      };
  }
}

function str(n: number | undefined): string | undefined {
  return n === undefined ? undefined : String(n);
}

export function networkAddress(address: string, netmask: string): string {
  const n = (ipv4ToInt(address) & ipv4ToInt(netmask)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join(".");
}

// The interface that carries RED's address once up: ppp0 for PPPoE, the NIC
// itself otherwise (contract §0.4).
export function redIface(profile: ProfileData, device: ResolvedDevice): string {
  return profile.TYPE === "PPPOE" ? "ppp0" : device.ifname;
}
