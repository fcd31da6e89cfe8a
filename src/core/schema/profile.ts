// What a connection profile holds: exactly what IPFire needs to bring that
// RED type up (contract §1.2, §1.5, §4), plus mwan's own per-profile options.
// Keys are stored in /var/ipfire/mwan/profiles/<name> in IPFire's format.

import { z } from "zod";
import {
  domainName,
  ifname,
  integer,
  ipv4,
  ipv4List,
  ipv4ToInt,
  mac,
  netmask,
  onOff,
  oneWord,
  optional,
  shellSafe,
  unless,
  text,
  withDefault,
} from "./fields.ts";
import { type Validated, validate } from "./validate.ts";

export const PROFILE_TYPES = ["DHCP", "STATIC", "PPPOE", "VDSL", "QMI"] as const;
export type ProfileType = (typeof PROFILE_TYPES)[number];

const common = {
  DESCRIPTION: optional(z.string()),
  // Backups are tried in ascending PRIORITY order (1 first).
  PRIORITY: withDefault(integer(1, 99), "10"),
  // Overrides the global probe targets while this profile carries RED.
  PROBE_TARGETS: optional(ipv4List),
};

// The NIC that carries the link. Names depend on which profile was active at
// boot (contract §0.10), so the MAC is what identifies it at switch time.
const nic = {
  DEVICE: shellSafe(ifname),
  MACADDR: mac,
  DRIVER: optional(shellSafe(text())),
};

const dhcp = z.strictObject({
  TYPE: z.literal("DHCP"),
  ...common,
  ...nic,
  METERED: withDefault(onOff, "off"),
  DHCP_HOSTNAME: optional(shellSafe(domainName)),
  DHCP_FORCE_MTU: optional(integer(576, 9000)),
  // No defaults for keys IPFire stores: unset stays unset (IPFire reads it as
  // "on"), so a captured primary writes back exactly what IPFire had.
  DHCP_RAPID_COMMIT: optional(onOff),
});

const staticIp = z
  .strictObject({
    TYPE: z.literal("STATIC"),
    ...common,
    ...nic,
    METERED: withDefault(onOff, "off"),
    ADDRESS: ipv4,
    NETMASK: netmask,
    GATEWAY: ipv4,
    MTU: optional(integer(576, 9000)),
  })
  .superRefine((p, ctx) => {
    const own = addressProblem(p.ADDRESS, p.NETMASK);
    if (own) ctx.addIssue({ code: "custom", path: ["ADDRESS"], message: own });
    const gw = own ? undefined : gatewayProblem(p.ADDRESS, p.NETMASK, p.GATEWAY);
    if (gw) ctx.addIssue({ code: "custom", path: ["GATEWAY"], message: gw });
  });

function subnet(address: string, mask: string) {
  const m = ipv4ToInt(mask);
  const net = (ipv4ToInt(address) & m) >>> 0;
  return { m, net, broadcast: (net | (~m >>> 0)) >>> 0 };
}

// A gateway has to sit beside the address, so the subnet needs room for both.
function addressProblem(address: string, mask: string): string | undefined {
  const { net, broadcast } = subnet(address, mask);
  if (broadcast - net < 3) return `${address}/${mask} leaves no room for a gateway (use /30 or larger)`;
  const a = ipv4ToInt(address);
  if (a === net || a === broadcast) return `${address} is the network or broadcast address of its subnet`;
  return undefined;
}

function gatewayProblem(address: string, mask: string, gateway: string): string | undefined {
  const { m, net, broadcast } = subnet(address, mask);
  const a = ipv4ToInt(address);
  const g = ipv4ToInt(gateway);
  if ((g & m) >>> 0 !== net) return `${gateway} is not inside ${address}/${mask}`;
  if (g === a) return "must differ from ADDRESS";
  if (g === net || g === broadcast)
    return `${gateway} is the network or broadcast address of ${address}/${mask}`;
  return undefined;
}

// pppd reads the password from ppp/secrets as 'user' * 'password'.
const pppPassword = text()
  .min(1, "required")
  .refine((v) => !/['\\\n\r\0]/.test(v), "must not contain ' or \\ (ppp/secrets quotes it)");

// 802.1Q VLAN ids the kernel accepts (IPFire's page takes 0-4095).
const vlanId = integer(1, 4094);

// One of the web UI's five dial profiles, ppp/settings-1..5 (contract §1.5):
// a profile imported from one is switched to the way pppsetup.cgi selects
// it, by linking ppp/settings to that file.
const guiProfile = { PPP_PROFILE: optional(integer(1, 5)) };

// PPPoE as IPFire's red runs it (src/initscripts/networking/red 265-312,
// 378-440), on the NIC itself or, for VDSL, on its VLAN.
const pppLine = {
  METERED: withDefault(onOff, "off"),
  // The initscript puts USERNAME on pppd's command line after shell readhash.
  USERNAME: oneWord(shellSafe(text().min(1, "required"))),
  PASSWORD: pppPassword,
  AUTH: optional(
    z.enum(["pap-or-chap", "pap", "chap"], {
      error: "must be pap-or-chap, pap or chap",
    }),
  ),
  MTU: optional(integer(576, 1500)),
  MRU: optional(integer(576, 1500)),
  SERVICENAME: optional(oneWord(shellSafe(text()))),
  // IPFire's red never uses it (only the non-plugin pppoe command reads
  // it, contract §1.4): kept readable for profiles an earlier mwan wrote,
  // never written to ppp/settings; config check says so.
  CONCENTRATORNAME: optional(text()),
  // IPTV on its own VLAN (red 265-312): a second dhcpcd on RED_DEV.IPTV_VLAN.
  IPTV: withDefault(onOff, "off"),
  IPTV_VLAN: withDefault(vlanId, "8"),
  ...guiProfile,
};

const pppoe = z.strictObject({
  TYPE: z.literal("PPPOE"),
  ...common,
  ...nic,
  ...pppLine,
});

// VDSL: PPPoE on the VLAN RED_DEV.INET_VLAN (red 251-264), 7 for Deutsche
// Telekom and many other DSL lines.
const vdsl = z.strictObject({
  TYPE: z.literal("VDSL"),
  ...common,
  ...nic,
  ...pppLine,
  VLAN: withDefault(vlanId, "7"),
});

// The AUTH values with which IPFire's QMI start hands a user name and
// password to qmicli (functions.network 492-496).
const QMI_AUTH_PASSED: readonly string[] = ["PAP", "CHAP"];

const qmi = z
  .strictObject({
    TYPE: z.literal("QMI"),
    ...common,
    // udev names the modem's netdev and gives it 02:ff:ff:ff:ff:NN (contract §4).
    DEVICE: optional(shellSafe(ifname)),
    MACADDR: optional(mac),
    // Mobile data is usually paid by volume: probe less often by default.
    METERED: withDefault(onOff, "on"),
    APN: shellSafe(domainName),
    // Stored as ppp/settings holds it. IPFire's QMI start passes auth to
    // qmicli only for PAP or CHAP in capitals (functions.network 492-496);
    // its web UI writes the lowercase ones, which pass none.
    AUTH: withDefault(
      z.enum(["none", "PAP", "CHAP", "pap-or-chap", "pap", "chap"], {
        error: unless("must be none, PAP, CHAP, or as IPFire's web UI writes it: pap-or-chap, pap, chap"),
      }),
      "none",
    ),
    // QMI's start path reads these through the shell readhash filter.
    USERNAME: optional(oneWord(shellSafe(text()), { qmi: true })),
    // A quote is among what the shell reader drops.
    PASSWORD: optional(oneWord(shellSafe(text(), { secret: true }), { qmi: true })),
    // QMI's address comes from dhcpcd_start, which takes these from
    // ethernet/settings (functions.network 340-347).
    DHCP_HOSTNAME: optional(shellSafe(domainName)),
    DHCP_FORCE_MTU: optional(integer(576, 9000)),
    ...guiProfile,
  })
  .superRefine((p, ctx) => {
    if (QMI_AUTH_PASSED.includes(p.AUTH) && !p.USERNAME) {
      ctx.addIssue({
        code: "custom",
        path: ["USERNAME"],
        message: `required when AUTH=${p.AUTH}`,
      });
    }
  });

// Whether the rest of the profile leaves `key` unused, so it is not asked:
// red starts IPTV's dhcpcd only with IPTV=on, and a QMI user name and
// password reach qmicli only with AUTH PAP or CHAP. Unset keys read as
// their defaults.
export function keyUnused(type: ProfileType, keys: Readonly<Record<string, string>>, key: string): boolean {
  const value = (k: string) => keys[k] || keyDefault(type, k);
  if (key === "IPTV_VLAN") return value("IPTV") !== "on";
  if (type === "QMI" && (key === "USERNAME" || key === "PASSWORD"))
    return !QMI_AUTH_PASSED.includes(value("AUTH") ?? "");
  return false;
}

export const PROFILE_SCHEMAS = {
  DHCP: dhcp,
  STATIC: staticIp,
  PPPOE: pppoe,
  VDSL: vdsl,
  QMI: qmi,
} as const;

export type DhcpProfile = z.output<typeof dhcp>;
export type StaticProfile = z.output<typeof staticIp>;
export type PppoeProfile = z.output<typeof pppoe>;
export type VdslProfile = z.output<typeof vdsl>;
export type QmiProfile = z.output<typeof qmi>;
export type ProfileData = DhcpProfile | StaticProfile | PppoeProfile | VdslProfile | QmiProfile;

export function keysOf(type: ProfileType): string[] {
  return Object.keys(PROFILE_SCHEMAS[type].shape ?? {});
}

// What a prompt offers, read from the schema so it cannot drift from what
// is accepted: the values a key takes when they are few (an enum), and the
// value an unset key stands for (its default), in the file's spelling.
export function keyChoices(type: ProfileType, key: string): readonly string[] | undefined {
  let s = keySchema(type, key)?._zod.def;
  // Through the wrappers optional(), withDefault() and preprocess put around it.
  while (s && (s.type === "pipe" || s.type === "optional" || s.type === "prefault")) {
    const d = s as unknown as { type: string; out?: z.ZodType; innerType?: z.ZodType };
    s = (d.type === "pipe" ? d.out : d.innerType)?._zod.def;
  }
  return s?.type === "enum" ? Object.values((s as z.core.$ZodEnumDef).entries).map(String) : undefined;
}

export function keyDefault(type: ProfileType, key: string): string | undefined {
  const r = keySchema(type, key)?.safeParse(undefined);
  return r?.success && (typeof r.data === "string" || typeof r.data === "number")
    ? String(r.data)
    : undefined;
}

function keySchema(type: ProfileType, key: string): z.ZodType | undefined {
  const shape: Record<string, z.ZodType> = PROFILE_SCHEMAS[type].shape;
  return Object.hasOwn(shape, key) ? shape[key] : undefined;
}

// Checks a profile's raw keys; the TYPE is checked first so that every other
// message can say which type it applies to.
export function validateProfile(raw: Record<string, string>, source: string): Validated<ProfileData> {
  const type = raw.TYPE;
  if (type === undefined || type === "")
    return {
      ok: false,
      errors: [`${source}: TYPE: required (one of ${PROFILE_TYPES.join(", ")})`],
    };
  if (!isProfileType(type)) {
    return {
      ok: false,
      errors: [`${source}: TYPE: must be one of ${PROFILE_TYPES.join(", ")} (found ${JSON.stringify(type)})`],
    };
  }
  return validate(PROFILE_SCHEMAS[type], raw, source, ` for TYPE=${type}`) as Validated<ProfileData>;
}

export function isProfileType(v: string): v is ProfileType {
  return (PROFILE_TYPES as readonly string[]).includes(v);
}

// Validated values with defaults filled in, back in the file's spelling.
export function profileStrings(profile: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(profile)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(",") : String(v);
  }
  return out;
}
