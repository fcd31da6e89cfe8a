// mwan's global options in /var/ipfire/mwan/settings. Every key has a default,
// so an absent or empty file is a valid configuration (with mwan disabled).

import { z } from "zod";
import { integer, ipv4List, onOff, optional, withDefault } from "./fields.ts";
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
    default: "9.9.9.9,1.1.1.1,8.8.8.8,208.67.222.222",
    help: "IPv4 addresses probed through RED (anycast resolvers of four operators)",
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

const d = (key: string) => SETTINGS_DOC[key]?.default ?? "";

export const settingsSchema = z.strictObject({
  ENABLED: withDefault(onOff, d("ENABLED")),
  PRIMARY: optional(profileName),
  PROBE_TARGETS: withDefault(ipv4List, d("PROBE_TARGETS")),
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

export function validateSettings(
  raw: Record<string, string>,
  source: string,
): Validated<Settings> {
  return validate(settingsSchema, raw, source);
}
