// What `config check` and `enable` check: every configuration file, what
// IPFire's RED holds for PRIMARY to describe, and the box's NICs.

import type { ConfigFiles } from "../core/config-check.ts";
import { MwanError } from "../core/errors.ts";
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
  try {
    known = knownNics(paths, sys.readRedFiles());
  } catch (err) {
    // RED's files are unreadable: the NICs are found without their pair.
    if (!(err instanceof MwanError)) throw err;
  }
  return {
    ...files,
    ...(primary ? { red: primaryRed(paths, primary, primary) } : {}),
    nics: { interfaces: sys.interfaces(), known },
  };
}
