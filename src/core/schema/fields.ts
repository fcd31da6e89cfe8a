// zod building blocks for values as they stand in KEY=VALUE files: every
// value arrives as a string, and an empty string means "not set".

import { z } from "zod";
import { SHELL_ALLOWED, describeChars, shellDroppedChars } from "../settings/codec.ts";

// A key missing from the file reads as "required" whatever its type.
z.config({
  customError: (issue) =>
    issue.code === "invalid_type" && issue.input === undefined ? "required" : undefined,
});

// "KEY=" in a file means unset, so optional fields and defaults apply to it.
const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);

export const optional = <T extends z.ZodType>(inner: T) => z.preprocess(blankToUndefined, inner.optional());

// Defaults are written as they would stand in the file, and parsed like it
// (prefault), so a default goes through the same checks and transforms.
export const withDefault = <T extends z.ZodType>(inner: T, value: string) =>
  z.preprocess(blankToUndefined, inner.prefault(value as never));

// An error message for a bad value that still says "required" when the key
// is missing (an explicit message would otherwise hide that).
export const unless = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "required" : message;

export const text = (what = "value") => z.string({ error: unless(`must be ${what}`) });

// Values IPFire's initscripts read through the shell readhash filter must
// survive it (contract §1.4), otherwise IPFire silently loses them. For a
// secret the message names no character of it: error lines end up in
// terminals, logs and mails.
export const shellSafe = (inner: z.ZodString = text(), opts: { secret?: boolean } = {}) =>
  inner.superRefine((v, ctx) => {
    const bad = shellDroppedChars(v);
    if (bad.length === 0) return;
    const message = opts.secret
      ? `contains characters IPFire's shell reader drops (allowed: ${SHELL_ALLOWED})`
      : `contains ${describeChars(bad)}, which IPFire's shell reader drops (allowed: ${SHELL_ALLOWED})`;
    ctx.addIssue({ code: "custom", message });
  });

// Values IPFire puts unquoted into a command line: pppd's `user ${USERNAME}`
// and `rp_pppoe_service ${SERVICENAME}` (src/initscripts/networking/red,
// lines 439 and 398), and qmicli's settings, which qmi_configure_apn splits
// at spaces and joins with commas (functions.network, lines 472-520). A space
// there would turn one value into more pppd options, a comma into more
// qmicli settings.
export const oneWord = (inner: z.ZodType<string, string>, opts: { qmi?: boolean } = {}) =>
  inner.superRefine((v, ctx) => {
    if (shellDroppedChars(v).length > 0) return; // said already, and IPFire drops it anyway
    if (opts.qmi && /[ ,]/.test(v))
      ctx.addIssue({
        code: "custom",
        message: "must not contain a space or a comma (IPFire splits qmicli's settings at both)",
      });
    else if (!opts.qmi && v.includes(" "))
      ctx.addIssue({
        code: "custom",
        message:
          "must not contain a space (IPFire passes it to pppd unquoted, so a space would add pppd options)",
      });
  });

export const onOff = z.enum(["on", "off"], {
  error: unless("must be on or off"),
});

export const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `must be a whole number from ${min} to ${max}`)
        .max(max, `must be a whole number from ${min} to ${max}`),
    );

export const ipv4 = z.ipv4({
  error: unless("must be an IPv4 address like 192.0.2.1"),
});

export function ipv4ToInt(a: string): number {
  return a.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

export const netmask = z
  .string()
  .refine((v) => z.ipv4().safeParse(v).success && isContiguousMask(ipv4ToInt(v)), {
    message: "must be a netmask like 255.255.255.0",
  });

function isContiguousMask(n: number): boolean {
  const inverted = ~n >>> 0;
  return n !== 0 && (inverted & (inverted + 1)) === 0;
}

export const mac = z
  .string()
  .regex(/^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$/, "must be a MAC address like 52:54:00:12:34:56")
  .transform((v) => v.toLowerCase().replaceAll("-", ":"));

// Linux interface names: at most 15 bytes, no slash, no whitespace, not . or
// .., and no leading "-", which `ip` and dhcpcd would take for an option.
export const ifname = z
  .string()
  .regex(
    /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,14}$/,
    "must be an interface name like eth1 (at most 15 letters, digits, . _ -, not starting with -)",
  )
  .refine((v) => v !== "." && v !== "..", "must be an interface name like eth1");

const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
export const domainName = z
  .string()
  .max(253, "must be a domain name like internet.example.com")
  .regex(new RegExp(`^${LABEL}(?:\\.${LABEL})*$`), "must be a domain name like internet.example.com");

// "a,b, c" as a list; empty items are dropped.
export const commaList = <T extends z.ZodType<unknown, string>>(item: T, min = 0) =>
  z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    )
    .pipe(z.array(item).min(min, "must list at least one"));

export const ipv4List = commaList(z.ipv4({ error: "must be a comma-separated list of IPv4 addresses" }), 1);
