// What a PRIMARY is compared with (core/ipfire/red-match.ts): IPFire's RED
// files now, or, while RED is on a backup, the primary's files as mwan saved
// them when it switched away (they are what failing back restores).

import { MwanError } from "../core/errors.ts";
import { captureRedTexts } from "../core/ipfire/capture.ts";
import type { RedSide } from "../core/ipfire/red-match.ts";
import { ipfireSystem } from "../adapters/ipfire-system.ts";
import type { Paths } from "../adapters/paths.ts";
import { activeProfile } from "../adapters/store.ts";
import { readPrimarySnapshot } from "./state.ts";

// `candidate`: the profile that is or is to become PRIMARY; `primary`: the
// PRIMARY set now. RED on either of them holds the primary's configuration.
export function primaryRed(paths: Paths, candidate: string, primary: string | undefined): RedSide {
  const active = activeProfile(paths);
  const onBackup = active !== undefined && active !== candidate && active !== primary;
  try {
    if (!onBackup) return { keys: captureRedTexts(ipfireSystem(paths).readRedFiles()), what: "RED" };
    const saved = readPrimarySnapshot(paths);
    if (!saved)
      return { note: `RED is on ${active} and mwan holds no copy of the primary's files; not compared` };
    return {
      keys: captureRedTexts(saved),
      what: `the primary's RED as mwan saved it (RED is on ${active} now)`,
    };
  } catch (err) {
    if (!(err instanceof MwanError)) throw err;
    return { note: `what RED holds cannot be told (${err.message}); not compared` };
  }
}
