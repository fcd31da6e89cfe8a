// What IPFire's files must say for RED to come up on a profile (contract §0.3,
// §1.2, §1.5, §4): DHCP and STATIC live in ethernet/settings alone; PPPoE,
// VDSL and QMI are RED_TYPE=PPPOE plus ppp/settings, whose lowercase TYPE
// picks the path `red` takes, PPPoE and VDSL with their credentials in
// ppp/secrets. In ethernet/settings only mwan's keys change; ppp/settings is
// the profile's alone: a backup's holds its keys and nothing of the
// primary's (IPTV, VLANs, connectd's BACKUPPROFILE), and a profile imported
// from one of the web UI's dial profiles is that file, linked.

import { ipv4ToInt } from "../schema/fields.ts";
import type { ProfileData } from "../schema/profile.ts";
import { parseSettings, toRecord } from "../settings/codec.ts";
import { pppSecretsLine } from "../ipfire/capture.ts";

export type Changes = Record<string, string | undefined>;

export interface RedKeys {
  ethernet: Changes;
  // undefined: ppp/settings is left as it is (DHCP, STATIC). Otherwise the
  // whole file: these keys, in this order.
  ppp?: Record<string, string>;
  // The web UI's dial profile (settings-N) ppp/settings is to be linked to;
  // its content is then `ppp`'s source.
  pppLink?: { name: string; text: string };
  // undefined: ppp/secrets is left as it is (all but PPPoE and VDSL)
  secrets?: string;
}

// Every key some profile type sets in ethernet/settings: mwan's share of it.
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

// The keys present, in the order given.
function only(entries: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined));
}

// A dial profile of the web UI's that still is this profile's kind.
export interface GuiProfile {
  name: string; // settings-N
  text: string;
}

const PPP_TYPE = { PPPOE: "pppoe", VDSL: "vdsl", QMI: "qmi" } as const;

export function redKeys(profile: ProfileData, device: ResolvedDevice, gui?: GuiProfile): RedKeys {
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
    case "VDSL": {
      const ppp: { ppp: Record<string, string>; pppLink?: GuiProfile } = fromGui(profile, gui) ?? {
        ppp: only({
          TYPE: PPP_TYPE[profile.TYPE],
          USERNAME: profile.USERNAME,
          PASSWORD: profile.PASSWORD,
          AUTH: profile.AUTH,
          MTU: str(profile.MTU),
          MRU: str(profile.MRU),
          SERVICENAME: profile.SERVICENAME,
          INET_VLAN: profile.TYPE === "VDSL" ? String(profile.VLAN) : undefined,
          IPTV: profile.IPTV === "on" ? "enable" : undefined,
          IPTV_VLAN: profile.IPTV === "on" ? String(profile.IPTV_VLAN) : undefined,
        }),
      };
      // pppd reads the password from ppp/secrets (pppsetup.cgi writesecrets).
      const secrets = pppSecretsLine(
        ppp.ppp.USERNAME ?? profile.USERNAME,
        ppp.ppp.PASSWORD ?? profile.PASSWORD,
      );
      return { ethernet: { RED_TYPE: "PPPOE", ...nic, ...NO_ADDRESS }, ...ppp, secrets };
    }
    case "QMI":
      return {
        // RED_DRIVER=qmi_wwan is how IPFire's helpers know RED is not ppp0.
        ethernet: {
          RED_TYPE: "PPPOE",
          ...nic,
          RED_DRIVER: "qmi_wwan",
          ...NO_ADDRESS,
          RED_DHCP_HOSTNAME: profile.DHCP_HOSTNAME,
          RED_DHCP_FORCE_MTU: str(profile.DHCP_FORCE_MTU),
        },
        ...(fromGui(profile, gui) ?? {
          ppp: only({
            TYPE: "qmi",
            APN: profile.APN,
            AUTH: profile.AUTH === "none" ? undefined : profile.AUTH,
            USERNAME: profile.USERNAME,
            PASSWORD: profile.PASSWORD,
          }),
        }),
      };
  }
}

// The web UI's dial profile, when it is still of the profile's type: RED
// then comes up on IPFire's own file, as when the web UI selects it.
function fromGui(
  profile: ProfileData & { TYPE: "PPPOE" | "VDSL" | "QMI" },
  gui: GuiProfile | undefined,
): { ppp: Record<string, string>; pppLink: GuiProfile } | undefined {
  if (!gui) return undefined;
  const keys = toRecord(parseSettings(gui.text, `/var/ipfire/ppp/${gui.name}`, { ipfire: true }));
  if (keys.TYPE !== PPP_TYPE[profile.TYPE]) return undefined;
  return { ppp: { ...keys }, pppLink: { name: gui.name, text: gui.text } };
}

function str(n: number | undefined): string | undefined {
  return n === undefined ? undefined : String(n);
}

export function networkAddress(address: string, netmask: string): string {
  const n = (ipv4ToInt(address) & ipv4ToInt(netmask)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join(".");
}

// The interface that carries RED's address once up: ppp0 for PPPoE and VDSL,
// the NIC itself otherwise (contract §0.4).
export function redIface(profile: ProfileData, device: ResolvedDevice): string {
  return profile.TYPE === "PPPOE" || profile.TYPE === "VDSL" ? "ppp0" : device.ifname;
}
