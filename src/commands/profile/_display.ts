// How a profile is shown: secrets masked, always the same mask so nothing
// about the password (not even its length) leaks.

import { SECRET_KEYS } from "../../core/settings/codec.ts";

export const MASK = "********";

// The schema version of `profile show --json` and `profile list --json`
// (README: JSON output).
export const PROFILE_JSON_VERSION = 1;

export function masked(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, SECRET_KEYS.has(k) && v !== "" ? MASK : v]),
  );
}
