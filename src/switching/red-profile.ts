// Which profiles describe what IPFire's RED files hold now
// (core/ipfire/red-match.ts): the profile RED is on when mwan has recorded
// none, and the one status names when RED differs from the recorded one.

import { MwanError } from "../core/errors.ts";
import { captureRedTexts } from "../core/ipfire/capture.ts";
import { redMismatch } from "../core/ipfire/red-match.ts";
import { profileStrings } from "../core/schema/profile.ts";
import { ipfireSystem } from "../adapters/ipfire-system.ts";
import type { Paths } from "../adapters/paths.ts";
import { listProfiles, loadProfile } from "../adapters/store.ts";

// A profile's keys with defaults filled in; undefined for a broken one,
// which is config check's to report.
export function profileKeys(paths: Paths, name: string): Record<string, string> | undefined {
  try {
    return profileStrings(loadProfile(paths, name));
  } catch {
    return undefined;
  }
}

// The profiles among `names` that `red` (RED's files as profile keys) is.
export function profilesMatching(paths: Paths, red: Record<string, string>, names: string[]): string[] {
  return names.filter((n) => {
    const keys = profileKeys(paths, n);
    return keys !== undefined && redMismatch(keys, red) === undefined;
  });
}

// The profile whose configuration RED holds now: the primary when it is
// one of those that match, else the first; undefined when none matches or
// RED's files cannot be read.
export function profileOnRed(paths: Paths, primary: string | undefined): string | undefined {
  let red: Record<string, string>;
  try {
    red = captureRedTexts(ipfireSystem(paths).readRedFiles());
  } catch (err) {
    if (!(err instanceof MwanError)) throw err;
    return undefined;
  }
  const matches = profilesMatching(paths, red, listProfiles(paths).names);
  return primary !== undefined && matches.includes(primary) ? primary : matches[0];
}
