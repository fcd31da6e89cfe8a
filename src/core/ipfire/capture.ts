// Turns IPFire's current RED configuration (contract §1.2, §1.5, §4) into
// profile keys: how `profile import-current` makes the primary profile.

import { ConfigError } from "../errors.ts";
import { parseSettings, toRecord } from "../settings/codec.ts";
import type { RedSnapshot } from "../switch/red-files.ts";

export interface RedConfigFiles {
  ethernet: Record<string, string>;
  ppp: Record<string, string>;
  // ppp/secrets: one line, 'USERNAME' * 'PASSWORD'
  secrets: string | undefined;
  // The web UI's dial profile ppp/settings is a hard link to (settings-N).
  pppLink?: string;
}

const ETHERNET = "/var/ipfire/ethernet/settings";
const PPP = "/var/ipfire/ppp/settings";

// Leaves out empty values: an unset key means the same to IPFire and mwan.
function keys(entries: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""),
  );
}

// ppp/secrets as pppsetup.cgi's writesecrets writes it (pppd reads it).
export function pppSecretsLine(username: string, password: string): string {
  return `'${username}' * '${password}'\n`;
}

export function secretsPassword(
  secrets: string | undefined,
  username: string | undefined,
): string | undefined {
  const line = secrets?.split("\n").find((l) => l.trim() !== "");
  const m = line?.match(/^'(.*)'\s+\*\s+'(.*)'\s*$/);
  if (!m || (username !== undefined && m[1] !== username)) return undefined;
  return m[2];
}

// IPFire's RED files as texts (as read now, or as mwan saved them), read as
// IPFire reads them: a line IPFire skips is skipped here too.
export function captureRedTexts(red: RedSnapshot): Record<string, string> {
  if (red.ethernet === undefined) throw new ConfigError(`${ETHERNET}: missing; is this an IPFire system?`);
  const record = (text: string | undefined, source: string) =>
    toRecord(parseSettings(text ?? "", source, { ipfire: true }));
  return captureRed({
    ethernet: record(red.ethernet, ETHERNET),
    ppp: record(red.ppp, PPP),
    secrets: red.secrets,
    ...(red.pppLink ? { pppLink: red.pppLink } : {}),
  });
}

export function captureRed(files: RedConfigFiles): Record<string, string> {
  const e = files.ethernet;
  const nic = {
    DEVICE: e.RED_DEV,
    MACADDR: e.RED_MACADDR,
    DRIVER: e.RED_DRIVER,
  };
  switch (e.RED_TYPE) {
    case "DHCP":
      return keys({
        TYPE: "DHCP",
        ...nic,
        DHCP_HOSTNAME: e.RED_DHCP_HOSTNAME,
        DHCP_FORCE_MTU: e.RED_DHCP_FORCE_MTU,
        DHCP_RAPID_COMMIT: e.RED_DHCP_RAPID_COMMIT,
      });
    case "STATIC":
      return keys({
        TYPE: "STATIC",
        ...nic,
        ADDRESS: e.RED_ADDRESS,
        NETMASK: e.RED_NETMASK,
        GATEWAY: e.DEFAULT_GATEWAY,
        MTU: e.RED_MTU,
      });
    case "PPPOE":
      return capturePpp(files, nic);
    case undefined:
    case "":
      throw new ConfigError(`${ETHERNET}: RED_TYPE: not set; is RED configured (setup)?`);
    default:
      throw new ConfigError(
        `${ETHERNET}: RED_TYPE: ${JSON.stringify(e.RED_TYPE)} is not DHCP, STATIC or PPPOE`,
      );
  }
}

// The ppp TYPEs red brings up that mwan has no profile for (red 205-225,
// 313-370, 426-431).
const UNSUPPORTED: Record<string, string> = {
  modem: "an analog modem",
  serial: "a serial link",
  pptp: "PPTP",
  pppoeatm: "PPPoE over ATM",
  pptpatm: "PPTP over ATM",
};

// Captured as IPFire has it, for a profile to bring the same RED up again.
function capturePpp(files: RedConfigFiles, nic: Record<string, string | undefined>): Record<string, string> {
  const p = files.ppp;
  const password = p.PASSWORD || secretsPassword(files.secrets, p.USERNAME);
  const gui = files.pppLink?.match(/^settings-([1-5])$/)?.[1];
  if (p.TYPE === "pppoe" || p.TYPE === "vdsl") {
    if (p.AUTH && !["pap-or-chap", "pap", "chap"].includes(p.AUTH)) {
      throw new ConfigError(`${PPP}: AUTH: ${JSON.stringify(p.AUTH)} (login scripts) cannot be captured`);
    }
    // red reads these from ppp/settings, defaults 7 and 8 (red 27-28, 196).
    const iptv = p.IPTV === "enable";
    return keys({
      TYPE: p.TYPE === "vdsl" ? "VDSL" : "PPPOE",
      ...nic,
      USERNAME: p.USERNAME,
      PASSWORD: password,
      AUTH: p.AUTH,
      MTU: p.MTU,
      MRU: p.MRU,
      SERVICENAME: p.SERVICENAME,
      VLAN: p.TYPE === "vdsl" ? p.INET_VLAN || "7" : undefined,
      IPTV: iptv ? "on" : undefined,
      IPTV_VLAN: iptv ? p.IPTV_VLAN || "8" : undefined,
      PPP_PROFILE: gui,
    });
  }
  if (p.TYPE === "qmi") {
    return keys({
      TYPE: "QMI",
      // RED_DRIVER is always qmi_wwan for QMI: implied by the type.
      DEVICE: nic.DEVICE,
      MACADDR: nic.MACADDR,
      APN: p.APN,
      // As the web UI wrote it: lowercase pap, chap or pap-or-chap.
      AUTH: p.AUTH || "none",
      USERNAME: p.USERNAME,
      PASSWORD: password,
      // dhcpcd_start takes these from ethernet/settings for QMI too.
      DHCP_HOSTNAME: files.ethernet.RED_DHCP_HOSTNAME,
      DHCP_FORCE_MTU: files.ethernet.RED_DHCP_FORCE_MTU,
      PPP_PROFILE: gui,
    });
  }
  const unsupported = p.TYPE ? UNSUPPORTED[p.TYPE] : undefined;
  if (unsupported)
    throw new ConfigError(
      `${PPP}: TYPE: ${JSON.stringify(p.TYPE)}: mwan does not support ${unsupported}; it switches DHCP, STATIC, PPPoE, VDSL and QMI (LTE) connections`,
    );
  const type = p.TYPE ? JSON.stringify(p.TYPE) : "not set";
  throw new ConfigError(`${PPP}: TYPE: ${type}; mwan captures pppoe, vdsl and qmi connections`);
}
