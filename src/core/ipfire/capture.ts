// Turns IPFire's current RED configuration (contract §1.2, §1.5, §4) into
// profile keys: how `profile import-current` makes the primary profile.

import { ConfigError } from "../errors.ts";

export interface RedConfigFiles {
  ethernet: Record<string, string>;
  ppp: Record<string, string>;
  // ppp/secrets: one line, 'USERNAME' * 'PASSWORD'
  secrets: string | undefined;
}

const ETHERNET = "/var/ipfire/ethernet/settings";
const PPP = "/var/ipfire/ppp/settings";

// Leaves out empty values: an unset key means the same to IPFire and mwan.
function keys(entries: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""),
  );
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

function capturePpp(files: RedConfigFiles, nic: Record<string, string | undefined>): Record<string, string> {
  const p = files.ppp;
  const password = p.PASSWORD || secretsPassword(files.secrets, p.USERNAME);
  if (p.TYPE === "pppoe") {
    if (p.AUTH && !["pap-or-chap", "pap", "chap"].includes(p.AUTH)) {
      throw new ConfigError(`${PPP}: AUTH: ${JSON.stringify(p.AUTH)} (login scripts) cannot be captured`);
    }
    return keys({
      TYPE: "PPPOE",
      ...nic,
      USERNAME: p.USERNAME,
      PASSWORD: password,
      AUTH: p.AUTH,
      MTU: p.MTU,
      MRU: p.MRU,
      SERVICENAME: p.SERVICENAME,
      CONCENTRATORNAME: p.CONCENTRATORNAME,
    });
  }
  if (p.TYPE === "qmi") {
    // IPFire's GUI stores pap/chap in lowercase; anything else means none.
    const auth = p.AUTH === "pap" || p.AUTH === "chap" ? p.AUTH : "none";
    return keys({
      TYPE: "QMI",
      // RED_DRIVER is always qmi_wwan for QMI: implied by the type.
      DEVICE: nic.DEVICE,
      MACADDR: nic.MACADDR,
      APN: p.APN,
      AUTH: auth,
      USERNAME: p.USERNAME,
      PASSWORD: auth === "none" ? undefined : password,
    });
  }
  const type = p.TYPE ? JSON.stringify(p.TYPE) : "not set";
  throw new ConfigError(`${PPP}: TYPE: ${type}; mwan captures pppoe and qmi connections`);
}
