// Checks mwan's configuration as a whole: each file on its own, then what
// only the files together can tell (the primary exists, there is a backup).

import { type LanNic, lanNicProblem } from "./ipfire/lan-nics.ts";
import { primaryMismatch, type RedSide } from "./ipfire/red-match.ts";
import { type BoxNics, checkNics } from "./nic-check.ts";
import { type ProfileData, validateProfile } from "./schema/profile.ts";
import { type Settings, validateSettingsLeniently } from "./schema/settings.ts";

export interface ConfigFiles {
  // undefined when the settings file could not be read or parsed.
  settings: Record<string, string> | undefined;
  profiles: Record<string, Record<string, string>>;
  // Files, or lines of them, that could not be read, as one-line messages.
  unreadable: string[];
  // By file ("settings", "profiles/NAME"): the keys of lines that could not
  // be read. Already named in `unreadable`, their values are not judged.
  damaged?: Record<string, string[]>;
  // Profiles whose files could not be read at all (named in `unreadable`):
  // they exist, so they count as the primary or a backup that is there.
  unreadableProfiles?: string[];
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
  // Some warnings are errors once mwan is enabled: `mwan enable` refuses
  // until they are fixed. They end in ENABLE_REFUSES.
  enableRefuses: boolean;
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
    const source = `profiles/${name}`;
    const damaged = files.damaged?.[source] ?? [];
    const readable = Object.fromEntries(Object.entries(raw).filter(([k]) => !damaged.includes(k)));
    const result = validateProfile(readable, source);
    // A damaged profile is not one failover can use, whatever else it holds.
    if (result.ok && damaged.length === 0) profiles[name] = result.value;
    else if (!result.ok)
      errors.push(...result.errors.filter((e) => !damaged.some((k) => e.startsWith(`${source}: ${k}: `))));
    const onLan = lanNicProblem(raw, files.lan ?? []);
    if (onLan) errors.push(`${source}: ${onLan}`);
    if (raw.CONCENTRATORNAME !== undefined)
      warnings.push(
        `${source}: CONCENTRATORNAME: IPFire's red never passes it to pppd; mwan ignores it (remove the line)`,
      );
  }
  // Already reported as unreadable: without its keys, what PRIMARY is and
  // whether a backup exists cannot be told.
  if (files.settings === undefined) return { errors, warnings, enableRefuses: false, profiles };
  // Each key on its own, so that one bad value hides none of the checks below.
  const damaged = new Set(files.damaged?.settings ?? []);
  const checked = validateSettingsLeniently(files.settings, "settings", damaged);
  errors.push(...checked.errors);
  const settings = checked.value;
  // Problems that stop failover from working are errors once mwan is enabled;
  // before, warnings that say enable will refuse them.
  let enableRefuses = false;
  const needed = (msg: string) => {
    if (settings.ENABLED === "on") return void errors.push(msg);
    warnings.push(`${msg}${ENABLE_REFUSES}`);
    enableRefuses = true;
  };
  const names = [...Object.keys(files.profiles), ...(files.unreadableProfiles ?? [])];
  // A PRIMARY that could not be read (already said) is not known, nor missing.
  if (!checked.defaulted.includes("PRIMARY")) {
    if (!settings.PRIMARY) needed("settings: PRIMARY: not set (run mwan profile import-current NAME)");
    else if (!names.includes(settings.PRIMARY))
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
  return { errors, warnings, enableRefuses, settings, profiles };
}

export const ENABLE_REFUSES = " (mwan enable refuses this)";

// Backups in the order failover tries them: PRIORITY, then name.
export function backupOrder(primary: string | undefined, profiles: Record<string, ProfileData>): string[] {
  return Object.keys(profiles)
    .filter((n) => n !== primary)
    .sort((a, b) => (profiles[a]?.PRIORITY ?? 0) - (profiles[b]?.PRIORITY ?? 0) || a.localeCompare(b));
}
