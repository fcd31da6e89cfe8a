// TEST CODE: IPFire's files written the way IPFire writes them, for fixtures
// that must look like a real box's (issue 11):
// - writehash (config/cfgroot/general-functions.pl 344-368): KEY=value lines,
//   single quotes only around a value with a space, nothing escaped, inner
//   line breaks written raw, keys in Perl's hash order (unordered: here a
//   fixed shuffle, so no test can lean on an order);
// - the web UI's dial profile (html/cgi-bin/pppsetup.cgi): initprofile's
//   full key set (1017-1068) overlaid with the fields the page posts for the
//   type (492-987), PROFILE, VALID=yes; IPTVSERVERS from its textarea, whose
//   lines the browser sends with CRLF and the CGI writes raw (847-850);
// - writesecrets (1005-1014): 'USERNAME' * 'PASSWORD';
// - mac.cgi (87-90): MAC, MAC1, MAC2 with dashes.

export function writehash(keys: Record<string, string>): string {
  const entries = Object.entries(keys);
  // A fixed, unsorted order: every third key first, and so on.
  const order = [0, 1, 2].flatMap((r) => entries.filter((_, i) => i % 3 === r));
  return order.map(([k, v]) => `${k}=${v.includes(" ") ? `'${v}'` : v}\n`).join("");
}

// initprofile's defaults (pppsetup.cgi 1017-1068) on a box with igmpproxy
// installed (IPTV=enable by default there, 1055-1057).
const INITPROFILE: Record<string, string> = {
  PROFILENAME: "Unnamed",
  COMPORT: "ttyS0",
  MONPORT: "",
  DTERATE: "115200",
  SPEAKER: "off",
  RECONNECTION: "persistent",
  DIALONDEMANDDNS: "off",
  AUTOCONNECT: "on",
  SENDCR: "off",
  USEIBOD: "off",
  USEDOV: "off",
  MODEM: "PCIST",
  LINE: "WO",
  ENCAP: "0",
  VPI: "1",
  VCI: "32",
  ATM_DEV: "0",
  PPTP_PEER: "10.0.0.138",
  DIALMODE: "T",
  MAXRETRIES: "5",
  HOLDOFF: "30",
  TIMEOUT: "15",
  MODULATION: "AUTO",
  AUTH: "pap-or-chap",
  DEBUG: "off",
  BACKUPPROFILE: "1",
  IPTVSERVERS: "192.168.2.51/32",
  IPTV: "disable",
  INET_VLAN: "7",
  IPTV_VLAN: "8",
  TYPE: "pppoe",
  PROTOCOL: "RFC2364",
  MTU: "",
  MRU: "",
  PPTP_ROUTE: "",
  PPTP_NICCFG: "10.0.0.140/24 broadcast 10.0.0.255",
};

export interface DialProfile {
  profile: number; // 1-5
  name: string;
  type: "pppoe" | "vdsl" | "qmi";
  username: string;
  password: string;
  auth?: string;
  apn?: string;
  iptv?: boolean;
  iptvServers?: string[];
}

// What pppsetup.cgi's Save writes to ppp/settings-N for such a profile.
export function dialProfile(p: DialProfile): string {
  const posted: Record<string, string> = {
    PROFILE: String(p.profile),
    PROFILENAME: p.name,
    TYPE: p.type,
    USERNAME: p.username,
    PASSWORD: p.password,
    AUTH: p.auth ?? "pap-or-chap",
    VALID: "yes",
  };
  if (p.type === "qmi") {
    // No BACKUPPROFILE select on a QMI page (733): it stays empty.
    Object.assign(posted, { APN: p.apn ?? "internet.example", BACKUPPROFILE: "" });
  } else {
    Object.assign(posted, {
      SERVICENAME: "",
      CONCENTRATORNAME: "",
      BACKUPPROFILE: String(p.profile),
      IPTV: p.iptv ? "enable" : "disable",
      // The textarea: CRLF between lines, written raw.
      IPTVSERVERS: (p.iptvServers ?? ["192.168.2.51/32"]).join("\r\n"),
    });
  }
  return writehash({ ...INITPROFILE, ...posted });
}

export function writesecrets(username: string, password: string): string {
  return `'${username}' * '${password}'\n`;
}

export function macSettings(mac: string): string {
  return writehash({ MAC: mac.replaceAll(":", "-"), MAC1: "", MAC2: "" });
}
