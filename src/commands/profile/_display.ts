// How a profile is shown: secrets masked, always the same mask so nothing
// about the password (not even its length) leaks.

import { SECRET_KEYS } from "../../core/settings/codec.ts";

export const MASK = "********";

export function masked(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, SECRET_KEYS.has(k) && v !== "" ? MASK : v]),
  );
}

// Validated values with defaults filled in, back in the file's spelling.
export function stringify(profile: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(profile)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(",") : String(v);
  }
  return out;
}
