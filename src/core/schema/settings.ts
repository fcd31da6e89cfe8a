// mwan's global options in /var/ipfire/mwan/settings. Every key has a default,
// so an absent or empty file is a valid configuration (with mwan disabled).

import { z } from "zod";
import { commaList, integer, ipv4List, onOff, optional, withDefault } from "./fields.ts";
import { profileNameProblem } from "../profile/name.ts";
import { type Validated, validate } from "./validate.ts";

const profileName = z.string().superRefine((v, ctx) => {
  const problem = profileNameProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

interface KeyDoc {
  default: string;
  help: string;
}

// One table for defaults and help text, so `config show` documents itself.
export const SETTINGS_DOC: Record<string, KeyDoc> = {
  ENABLED: {
    default: "off",
    help: "on: the daemon watches RED and fails over",
  },
  PRIMARY: {
    default: "",
    help: "profile RED normally uses (set by `profile import-current`)",
  },
  PROBE_TARGETS: {
    default: "9.9.9.9,1.1.1.1,8.8.8.8",
    help: "IPv4 addresses pinged through RED (anycast resolvers of three operators)",
  },
  PROBE_DNS: {
    default: "208.67.222.222",
    help: "DNS servers asked directly through RED, not via the firewall's resolver (none: no DNS probe)",
  },
  PROBE_HTTP: {
    default: "",
    help: "http(s) URLs fetched through RED as one more probe (empty: none)",
  },
  PROBE_GATEWAY: { default: "off", help: "on: also ping RED's gateway" },
  SIDE_WATCH: {
    default: "on",
    help: "on: probe idle DHCP/STATIC profiles through their own NIC (a second lease) and PPPoE primaries by discovery; off: trials only",
  },
  FAILBACK_DELAY: {
    default: "60",
    help: "seconds on a backup before the first trial of the primary (half on a metered one); doubles after a failed trial",
  },
  FAILBACK_PROBATION: {
    default: "60",
    help: "seconds the primary has to prove itself in a trial before RED goes back to the backup",
  },
  MAIL: {
    default: "off",
    help: "on: e-mail events through IPFire's mail settings (dma)",
  },
  MAIL_TO: {
    default: "",
    help: "recipient (empty: the one in IPFire's mail settings)",
  },
  MAIL_INTERVAL: {
    default: "300",
    help: "seconds between two e-mails at least",
  },
  LOG_LEVEL: { default: "info", help: "error, warn, info or debug" },
  SWITCH_DOWN_TIMEOUT: {
    default: "30",
    help: "seconds `network stop red` may take before a switch gives up",
  },
  SWITCH_UP_TIMEOUT: {
    default: "90",
    help: "seconds a profile has to come up (DHCP alone may take 60) before RED goes back",
  },
};

// Lists that may be empty: "none" turns the probe kind off.
const optionalList = z.preprocess(
  (v) => (v === "none" ? "" : v),
  commaList(z.ipv4({ error: "must be a comma-separated list of IPv4 addresses" })),
);
const urlList = commaList(
  z.url({ protocol: /^https?$/, error: "must be a comma-separated list of http(s) URLs" }),
);

const d = (key: string) => SETTINGS_DOC[key]?.default ?? "";

export const settingsSchema = z.strictObject({
  ENABLED: withDefault(onOff, d("ENABLED")),
  PRIMARY: optional(profileName),
  PROBE_TARGETS: withDefault(ipv4List, d("PROBE_TARGETS")),
  PROBE_DNS: withDefault(optionalList, d("PROBE_DNS")),
  PROBE_HTTP: withDefault(urlList, d("PROBE_HTTP")),
  PROBE_GATEWAY: withDefault(onOff, d("PROBE_GATEWAY")),
  SIDE_WATCH: withDefault(onOff, d("SIDE_WATCH")),
  FAILBACK_DELAY: withDefault(integer(5, 86400), d("FAILBACK_DELAY")),
  FAILBACK_PROBATION: withDefault(integer(5, 3600), d("FAILBACK_PROBATION")),
  MAIL: withDefault(onOff, d("MAIL")),
  MAIL_TO: optional(z.email({ error: "must be an e-mail address" })),
  MAIL_INTERVAL: withDefault(integer(0, 86400), d("MAIL_INTERVAL")),
  SWITCH_DOWN_TIMEOUT: withDefault(integer(1, 600), d("SWITCH_DOWN_TIMEOUT")),
  SWITCH_UP_TIMEOUT: withDefault(integer(5, 1800), d("SWITCH_UP_TIMEOUT")),
  LOG_LEVEL: withDefault(
    z.enum(["error", "warn", "info", "debug"], {
      error: "must be error, warn, info or debug",
    }),
    d("LOG_LEVEL"),
  ),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsKey = keyof typeof settingsSchema.shape;

export function validateSettings(raw: Record<string, string>, source: string): Validated<Settings> {
  return validate(settingsSchema, raw, source);
}

// Checks only `keys` of `raw`, whatever the others hold.
export function validateSettingsKeys(
  raw: Record<string, string>,
  keys: SettingsKey[],
  source: string,
): Validated<Partial<Settings>> {
  const mask: Partial<Record<SettingsKey, true>> = Object.fromEntries(keys.map((k) => [k, true]));
  const picked = Object.fromEntries(keys.filter((k) => k in raw).map((k) => [k, raw[k] as string]));
  return validate(settingsSchema.pick(mask), picked, source);
}

// Each key checked on its own, so that a command can answer with the rest of
// a damaged file: a key refused, or named in `unreadable` (a line the parser
// could not take), counts as its default and is listed in `defaulted`.
export interface LenientSettings {
  value: Settings;
  errors: string[];
  defaulted: SettingsKey[];
}

export function validateSettingsLeniently(
  raw: Record<string, string>,
  source: string,
  unreadable: ReadonlySet<string> = new Set(),
): LenientSettings {
  const shape = settingsSchema.shape;
  const unknown = Object.keys(raw).filter((k) => !(k in shape));
  const checked = validate(settingsSchema, Object.fromEntries(unknown.map((k) => [k, raw[k] ?? ""])), source);
  const errors = checked.ok ? [] : checked.errors;
  const defaulted: SettingsKey[] = [];
  const usable: Record<string, string> = {};
  for (const key of Object.keys(shape) as SettingsKey[]) {
    const one = unreadable.has(key) ? undefined : validateSettingsKeys(raw, [key], source);
    if (one?.ok) {
      if (raw[key] !== undefined) usable[key] = raw[key];
      continue;
    }
    if (one) errors.push(...one.errors);
    defaulted.push(key);
  }
  return { value: settingsSchema.parse(usable), errors, defaulted };
}
