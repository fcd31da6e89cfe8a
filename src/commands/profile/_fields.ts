// The profile keys as command-line options and as interactive questions. One
// table, so `create`, `edit` and the prompts cannot drift apart.

import type { ArgsDef } from "citty";
import { type ProfileType, keysOf } from "../../core/schema/profile.ts";

export interface Field {
  key: string;
  flag: string;
  question: string;
  hint?: string;
  secret?: boolean;
  // Set by option only, never asked (import-current's business).
  optionOnly?: boolean;
}

export const FIELDS: Field[] = [
  { key: "DEVICE", flag: "device", question: "Network interface (e.g. eth1)" },
  { key: "MACADDR", flag: "mac", question: "MAC address of that interface" },
  { key: "DRIVER", flag: "driver", question: "Kernel driver (optional)" },
  { key: "ADDRESS", flag: "address", question: "IPv4 address" },
  { key: "NETMASK", flag: "netmask", question: "Netmask (e.g. 255.255.255.0)" },
  { key: "GATEWAY", flag: "gateway", question: "Gateway" },
  { key: "APN", flag: "apn", question: "APN (e.g. internet.provider.example)" },
  {
    key: "AUTH",
    flag: "auth",
    question: "Authentication",
    hint: "pap-or-chap|pap|chap (QMI: none|PAP|CHAP, or the web UI's pap-or-chap|pap|chap, which pass none)",
  },
  { key: "USERNAME", flag: "username", question: "Username" },
  { key: "PASSWORD", flag: "password", question: "Password", secret: true },
  {
    key: "SERVICENAME",
    flag: "service-name",
    question: "PPPoE service name (optional)",
  },
  {
    key: "VLAN",
    flag: "vlan",
    question: "VLAN the PPPoE session runs on (INET_VLAN)",
    hint: "1-4094, default 7",
  },
  { key: "IPTV", flag: "iptv", question: "IPTV on its own VLAN", hint: "on|off" },
  { key: "IPTV_VLAN", flag: "iptv-vlan", question: "IPTV VLAN", hint: "1-4094, default 8" },
  {
    key: "PPP_PROFILE",
    flag: "ppp-profile",
    question: "The web UI's dial profile it is (optional)",
    hint: "1-5",
    optionOnly: true,
  },
  { key: "MTU", flag: "mtu", question: "MTU (optional)" },
  { key: "MRU", flag: "mru", question: "MRU (optional)" },
  {
    key: "DHCP_HOSTNAME",
    flag: "dhcp-hostname",
    question: "Host name sent to the DHCP server (optional)",
  },
  {
    key: "DHCP_FORCE_MTU",
    flag: "dhcp-force-mtu",
    question: "Force this MTU over DHCP's (optional)",
  },
  {
    key: "DHCP_RAPID_COMMIT",
    flag: "dhcp-rapid-commit",
    question: "DHCP rapid commit",
    hint: "on|off",
  },
  {
    key: "PRIORITY",
    flag: "priority",
    question: "Priority among backups (1 is tried first)",
  },
  {
    key: "METERED",
    flag: "metered",
    question: "Paid by volume, so probed less often",
    hint: "on|off",
  },
  {
    key: "PROBE_TARGETS",
    flag: "probe-targets",
    question: "Probe targets (optional, comma-separated IPv4)",
  },
  {
    key: "DESCRIPTION",
    flag: "description",
    question: "Description (optional)",
  },
];

// Options are declared by their command-line spelling (--service-name), so
// --help shows what is typed.
export const fieldArgs: ArgsDef = {
  type: {
    type: "string",
    description: "Connection type: dhcp, static, pppoe, vdsl or qmi",
    valueHint: "TYPE",
  },
  ...Object.fromEntries(
    FIELDS.map((f) => [
      f.flag,
      // The value is named by the profile key it sets: --mac MACADDR.
      { type: "string", description: `${f.question}${f.hint ? `: ${f.hint}` : ""}`, valueHint: f.key },
    ]),
  ),
  "password-stdin": {
    type: "boolean",
    description: "Read the password from the first line of standard input",
  },
};

// The keys the options on the command line set.
export function changesFromArgs(args: Record<string, unknown>): Record<string, string> {
  const changes: Record<string, string> = {};
  if (typeof args.type === "string") changes.TYPE = args.type.toUpperCase();
  for (const f of FIELDS) {
    const v = args[f.flag];
    if (typeof v === "string") changes[f.key] = v;
  }
  return changes;
}

export function fieldsFor(type: ProfileType): Field[] {
  const keys = new Set(keysOf(type));
  return FIELDS.filter((f) => keys.has(f.key));
}

export function flagFor(key: string): string | undefined {
  const f = FIELDS.find((x) => x.key === key);
  return f ? `--${f.flag}` : undefined;
}
