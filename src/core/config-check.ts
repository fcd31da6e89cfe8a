// Checks mwan's configuration as a whole: each file on its own, then what
// only the files together can tell (the primary exists, there is a backup).

import { type LanNic, lanNicProblem } from "./ipfire/lan-nics.ts";
import { primaryMismatch, type RedSide } from "./ipfire/red-match.ts";
import { type BoxNics, checkNics } from "./nic-check.ts";
import { type ProfileData, validateProfile } from "./schema/profile.ts";
import { type Settings, validateSettings } from "./schema/settings.ts";

export interface ConfigFiles {
  // undefined when the settings file could not be read or parsed.
  settings: Record<string, string> | undefined;
  profiles: Record<string, Record<string, string>>;
  // Files that could not be read or parsed at all, as one-line messages.
  unreadable: string[];
  // Files in profiles/ whose names are not profile names.
  ignored: string[];
  // What PRIMARY must describe; left out, it is not compared (the daemon,
  // which reads its configuration while it switches RED).
  red?: RedSide;
  // The box's NICs; left out, profiles are not checked against them.
  nics?: BoxNics;
  // The NICs of IPFire's inside zones (GREEN, BLUE, ORANGE).
  lan?: LanNic[];
}

export interface ConfigReport {
  errors: string[];
  warnings: string[];
  settings?: Settings;
  profiles: Record<string, ProfileData>;
}

export function checkConfig(files: ConfigFiles): ConfigReport {
  const errors = [...files.unreadable];
  const warnings = files.ignored.map(
    (f) => `profiles/${f}: not a valid profile name; mwan ignores this file`,
  );
  const profiles: Record<string, ProfileData> = {};
  for (const [name, raw] of Object.entries(files.profiles)) {
    const result = validateProfile(raw, `profiles/${name}`);
    if (result.ok) profiles[name] = result.value;
    else errors.push(...result.errors);
    const onLan = lanNicProblem(raw, files.lan ?? []);
    if (onLan) errors.push(`profiles/${name}: ${onLan}`);
    if (raw.CONCENTRATORNAME !== undefined)
      warnings.push(
        `profiles/${name}: CONCENTRATORNAME: IPFire's red never passes it to pppd; mwan ignores it (remove the line)`,
      );
  }
  // Already reported as unreadable: without its keys, what PRIMARY is and
  // whether a backup exists cannot be told.
  if (files.settings === undefined) return { errors, warnings, profiles };
  const checked = validateSettings(files.settings, "settings");
  if (!checked.ok) return { errors: [...errors, ...checked.errors], warnings, profiles };
  const settings = checked.value;
  // Problems that stop failover from working are errors once mwan is enabled.
  const needed = (msg: string) => (settings.ENABLED === "on" ? errors : warnings).push(msg);
  const names = Object.keys(files.profiles);
  if (!settings.PRIMARY) needed("settings: PRIMARY: not set (run mwan profile import-current NAME)");
  else if (!names.includes(settings.PRIMARY)) {
    errors.push(`settings: PRIMARY: no profile named ${JSON.stringify(settings.PRIMARY)}`);
  }
  if (!names.some((n) => n !== settings.PRIMARY)) needed("no backup profile (run mwan profile create NAME)");
  const primaryKeys = settings.PRIMARY ? files.profiles[settings.PRIMARY] : undefined;
  if (settings.PRIMARY && primaryKeys && files.red) {
    const m = primaryMismatch(settings.PRIMARY, primaryKeys, files.red);
    if (m && "mismatch" in m) needed(`settings: PRIMARY: ${m.mismatch}`);
    else if (m) warnings.push(`settings: PRIMARY: ${m.note}`);
  }
  if (files.nics) {
    const found = checkNics(settings.PRIMARY, profiles, files.nics);
    for (const m of found.needed) needed(m);
    warnings.push(...found.warnings);
  }
  return { errors, warnings, settings, profiles };
}

// Backups in the order failover tries them: PRIORITY, then name.
export function backupOrder(primary: string | undefined, profiles: Record<string, ProfileData>): string[] {
  return Object.keys(profiles)
    .filter((n) => n !== primary)
    .sort((a, b) => (profiles[a]?.PRIORITY ?? 0) - (profiles[b]?.PRIORITY ?? 0) || a.localeCompare(b));
}
