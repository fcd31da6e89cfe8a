// What `config check` and `enable` check: every configuration file, what
// IPFire's RED holds for PRIMARY to describe, and the box's NICs.

import type { ConfigFiles } from "../core/config-check.ts";
import { MwanError } from "../core/errors.ts";
import { type LanNic, lanNics } from "../core/ipfire/lan-nics.ts";
import type { RedSnapshot } from "../core/switch/red-files.ts";
import { parseSettings, toRecord } from "../core/settings/codec.ts";
import { ipfireSystem } from "../adapters/ipfire-system.ts";
import type { Paths } from "../adapters/paths.ts";
import { readConfigFiles } from "../adapters/store.ts";
import { primaryRed } from "./primary-red.ts";
import { knownNics } from "./switch-red.ts";

export function configFilesOfBox(paths: Paths): ConfigFiles {
  const files = readConfigFiles(paths);
  const primary = files.settings?.PRIMARY;
  const sys = ipfireSystem(paths);
  let known: ReturnType<typeof knownNics> = [];
  let lan: LanNic[] = [];
  try {
    const red = sys.readRedFiles();
    known = knownNics(paths, red);
    lan = lanNicsOf(red);
  } catch (err) {
    // RED's files are unreadable: the NICs are found without their pair.
    if (!(err instanceof MwanError)) throw err;
  }
  return {
    ...files,
    ...(primary ? { red: primaryRed(paths, primary, primary) } : {}),
    nics: { interfaces: sys.interfaces(), known },
    lan,
  };
}

function lanNicsOf(red: RedSnapshot): LanNic[] {
  return lanNics(
    toRecord(parseSettings(red.ethernet ?? "", "/var/ipfire/ethernet/settings", { ipfire: true })),
  );
}

// The NICs of IPFire's inside zones, which no profile may take; none when
// ethernet/settings cannot be read (a switch then refuses on its own).
export function lanNicsOfBox(paths: Paths): LanNic[] {
  try {
    return lanNicsOf(ipfireSystem(paths).readRedFiles());
  } catch (err) {
    if (!(err instanceof MwanError)) throw err;
    return [];
  }
}
