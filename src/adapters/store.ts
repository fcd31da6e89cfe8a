// mwan's own configuration on disk: /var/ipfire/mwan/settings and one file per
// profile in /var/ipfire/mwan/profiles/. Reads validate; writes are atomic and
// keep every line mwan did not change.

import type { ConfigFiles } from "../core/config-check.ts";
import { ConfigError, MwanError, UsageError } from "../core/errors.ts";
import { profileNameProblem } from "../core/profile/name.ts";
import { type ProfileData, validateProfile } from "../core/schema/profile.ts";
import { type Settings, validateSettings } from "../core/schema/settings.ts";
import {
  emptyDoc,
  parseSettings,
  type SettingsDoc,
  serializeSettings,
  toRecord,
  withValues,
} from "../core/settings/codec.ts";
import { ensureDir, listDir, readTextIfExists, removeFile, writeFileAtomic } from "./files.ts";
import type { Paths } from "./paths.ts";

export type Changes = Record<string, string | undefined>;

export function readDoc(paths: Paths, path: string): SettingsDoc | undefined {
  const display = paths.display(path);
  const text = readTextIfExists(path, display);
  return text === undefined ? undefined : parseSettings(text, display);
}

// Throws a ConfigError naming the first problem (and how many more there are).
export function orThrow<T>(result: { ok: true; value: T } | { ok: false; errors: string[] }): T {
  if (result.ok) return result.value;
  const more = result.errors.length - 1;
  throw new ConfigError(`${result.errors[0]}${more > 0 ? ` (and ${more} more; see mwan config check)` : ""}`);
}

export function settingsRecord(paths: Paths): Record<string, string> {
  return toRecord(readDoc(paths, paths.settings) ?? emptyDoc());
}

export function loadSettings(paths: Paths): Settings {
  return orThrow(validateSettings(settingsRecord(paths), paths.display(paths.settings)));
}

// Applies `changes` to the settings file after checking the whole result.
export function saveSettings(paths: Paths, changes: Changes): Settings {
  const source = paths.display(paths.settings);
  const doc = withValues(readDoc(paths, paths.settings) ?? emptyDoc(), changes, { source });
  const settings = orThrow(validateSettings(toRecord(doc), source));
  ensureDir(paths.mwanDir, 0o755, "/var/ipfire/mwan");
  writeFileAtomic(paths.settings, serializeSettings(doc), {
    display: source,
    mode: 0o644,
  });
  return settings;
}

function checkedName(name: string): string {
  const problem = profileNameProblem(name);
  if (problem) throw new UsageError(problem);
  return name;
}

// Names of the profile files present; files that are not valid profile names
// (editor backups, temp files) are returned separately so callers can warn.
export function listProfiles(paths: Paths): {
  names: string[];
  ignored: string[];
} {
  const names: string[] = [];
  const ignored: string[] = [];
  for (const entry of listDir(paths.profilesDir, "profiles/")) {
    if (entry.startsWith(".")) continue;
    (profileNameProblem(entry) ? ignored : names).push(entry);
  }
  return { names, ignored };
}

export function profileExists(paths: Paths, name: string): boolean {
  return readTextIfExists(paths.profile(checkedName(name)), `profiles/${name}`) !== undefined;
}

export function profileRecord(paths: Paths, name: string): Record<string, string> {
  const path = paths.profile(checkedName(name));
  const doc = readDoc(paths, path);
  if (!doc) throw new ConfigError(`profiles/${name}: no such profile (see mwan profile list)`);
  return toRecord(doc);
}

export function loadProfile(paths: Paths, name: string): ProfileData {
  return orThrow(validateProfile(profileRecord(paths, name), `profiles/${name}`));
}

export interface SaveProfileOptions {
  create: boolean;
}

// Writes a profile after validating the complete result. Profiles can hold
// passwords, so the file is always 0600.
export function saveProfile(
  paths: Paths,
  name: string,
  changes: Changes,
  opts: SaveProfileOptions,
): ProfileData {
  const path = paths.profile(checkedName(name));
  const source = `profiles/${name}`;
  const existing = readDoc(paths, path);
  if (opts.create && existing)
    throw new ConfigError(`${source}: profile already exists (use mwan profile edit)`);
  if (!opts.create && !existing) throw new ConfigError(`${source}: no such profile (see mwan profile list)`);
  const doc = withValues(existing ?? emptyDoc(), changes, { source });
  const profile = orThrow(validateProfile(toRecord(doc), source));
  ensureDir(paths.mwanDir, 0o755, "/var/ipfire/mwan");
  ensureDir(paths.profilesDir, 0o700, "profiles/");
  writeFileAtomic(path, serializeSettings(doc), {
    display: source,
    mode: 0o600,
    forceMode: true,
  });
  return profile;
}

export function deleteProfile(paths: Paths, name: string): void {
  removeFile(paths.profile(checkedName(name)), `profiles/${name}`);
}

// The profile RED carries now, as recorded by mwan's switching; without a
// record, RED is on the primary.
export function activeProfile(paths: Paths): string | undefined {
  const recorded = readTextIfExists(paths.activeProfile, "state/active")?.trim();
  if (recorded) return recorded;
  return loadSettings(paths).PRIMARY;
}

// Every configuration file as raw keys, for a whole-configuration check;
// files that cannot be read or parsed are reported, not thrown.
export function readConfigFiles(paths: Paths): ConfigFiles {
  const unreadable: string[] = [];
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof MwanError)) throw err;
      unreadable.push(err.message);
      return fallback;
    }
  };
  const settings = attempt(() => settingsRecord(paths), {});
  const { names, ignored } = listProfiles(paths);
  const profiles: Record<string, Record<string, string>> = {};
  for (const name of names) {
    const raw = attempt(() => profileRecord(paths, name), undefined);
    if (raw) profiles[name] = raw;
  }
  return { settings, profiles, unreadable, ignored };
}
