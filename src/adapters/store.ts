// mwan's own configuration on disk: /var/ipfire/mwan/settings and one file per
// profile in /var/ipfire/mwan/profiles/. Reads validate; writes are atomic and
// keep every line mwan did not change.

import type { ConfigFiles } from "../core/config-check.ts";
import { ConfigError, EXIT, MwanError, UsageError } from "../core/errors.ts";
import { profileNameProblem } from "../core/profile/name.ts";
import { type ProfileData, validateProfile } from "../core/schema/profile.ts";
import {
  type Settings,
  type SettingsKey,
  settingsSchema,
  validateSettings,
  validateSettingsKeys,
  validateSettingsLeniently,
} from "../core/schema/settings.ts";
import {
  emptyDoc,
  type ParseOptions,
  type ParseProblem,
  parseSettings,
  type SettingsDoc,
  serializeSettings,
  toRecord,
  withValues,
} from "../core/settings/codec.ts";
import {
  ensureDir,
  listDir,
  readSettingsTextIfExists,
  readTextIfExists,
  removeFile,
  writeFileAtomic,
} from "./files.ts";
import { type Paths, PRIVATE_DIR_MODE } from "./paths.ts";

export type Changes = Record<string, string | undefined>;

// `ipfire`: a file of IPFire's, read as IPFire reads it (codec.ts).
export function readDoc(paths: Paths, path: string, opts: ParseOptions = {}): SettingsDoc | undefined {
  const display = paths.display(path);
  const text = readSettingsTextIfExists(path, display);
  return text === undefined ? undefined : parseSettings(text, display, opts);
}

// Throws a ConfigError naming every problem.
export function orThrow<T>(result: { ok: true; value: T } | { ok: false; errors: string[] }): T {
  if (result.ok) return result.value;
  throw new ConfigError(result.errors);
}

export function settingsRecord(paths: Paths): Record<string, string> {
  return toRecord(readDoc(paths, paths.settings) ?? emptyDoc());
}

export function loadSettings(paths: Paths): Settings {
  return orThrow(validateSettings(settingsRecord(paths), paths.display(paths.settings)));
}

// The settings as a command that only reads shows them, whatever a hand edit
// did to the file: every value that can be read, the default for each key
// that cannot (`defaulted`), and every problem, in the file's order.
export interface SettingsReading {
  settings: Settings;
  // The file's keys, less those taken as their default.
  raw: Record<string, string>;
  defaulted: SettingsKey[];
  problems: string[];
}

export function readSettingsLeniently(paths: Paths): SettingsReading {
  const source = paths.display(paths.settings);
  const parsed: ParseProblem[] = [];
  let raw: Record<string, string>;
  try {
    raw = toRecord(readDoc(paths, paths.settings, { problems: parsed }) ?? emptyDoc());
  } catch (err) {
    // Not readable at all (not UTF-8, no permission): nothing in it counts.
    if (!(err instanceof MwanError)) throw err;
    const defaulted = Object.keys(settingsSchema.shape) as SettingsKey[];
    return { settings: settingsSchema.parse({}), raw: {}, defaulted, problems: [err.message] };
  }
  const unreadable = new Set(parsed.flatMap((p) => (p.key === undefined ? [] : [p.key])));
  const checked = validateSettingsLeniently(raw, source, unreadable);
  for (const key of checked.defaulted) delete raw[key];
  return {
    settings: checked.value,
    raw,
    defaulted: checked.defaulted,
    problems: [...parsed.map((p) => p.message), ...checked.errors],
  };
}

// A change checked in full and ready to be written: a command that writes
// two files checks both before it writes either.
export interface Prepared<T> {
  value: T;
  write(): void;
}

// `changes` applied to the settings file, the whole result checked.
export function prepareSettings(paths: Paths, changes: Changes): Prepared<Settings> {
  const source = paths.display(paths.settings);
  const doc = withValues(readDoc(paths, paths.settings) ?? emptyDoc(), changes, { source });
  return { value: orThrow(validateSettings(toRecord(doc), source)), write: () => writeSettings(paths, doc) };
}

export function saveSettings(paths: Paths, changes: Changes): Settings {
  const prepared = prepareSettings(paths, changes);
  prepared.write();
  return prepared.value;
}

// Applies `changes` checking only the keys changed, so that mwan can be
// turned off, and a key repaired, whatever else a hand edit left in the
// file: a changed key set twice is left on its first line, every other line
// keeps its bytes (a line that is not KEY=VALUE too).
export function saveSettingsKeys(
  paths: Paths,
  changes: Partial<Record<SettingsKey, string | undefined>>,
): void {
  const source = paths.display(paths.settings);
  const damaged = readDoc(paths, paths.settings, { problems: [] }) ?? emptyDoc();
  const doc = withValues(damaged, changes, { source, dropRepeats: true });
  orThrow(validateSettingsKeys(toRecord(doc), Object.keys(changes) as SettingsKey[], source));
  writeSettings(paths, doc);
}

function writeSettings(paths: Paths, doc: SettingsDoc): void {
  ensureDir(paths.mwanDir, 0o755, "/var/ipfire/mwan");
  writeFileAtomic(paths.settings, serializeSettings(doc), {
    display: paths.display(paths.settings),
    mode: 0o644,
  });
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

// A profile named on the command line that is not there: the command line
// is wrong (exit 2), no file is invalid. Not a UsageError: the syntax was
// right, so there is no --help to point to, only the list of profiles.
export function noSuchProfile(name: string): MwanError {
  return new MwanError(`profiles/${name}: no such profile (see mwan profile list)`, EXIT.usage);
}

export function profileRecord(paths: Paths, name: string): Record<string, string> {
  const path = paths.profile(checkedName(name));
  const doc = readDoc(paths, path);
  if (!doc) throw noSuchProfile(name);
  return toRecord(doc);
}

export function loadProfile(paths: Paths, name: string): ProfileData {
  return orThrow(validateProfile(profileRecord(paths, name), `profiles/${name}`));
}

export interface SaveProfileOptions {
  create: boolean;
}

// A profile with `changes` applied, the complete result checked. Profiles
// can hold passwords, so the file is always written 0600.
export function prepareProfile(
  paths: Paths,
  name: string,
  changes: Changes,
  opts: SaveProfileOptions,
): Prepared<ProfileData> {
  const path = paths.profile(checkedName(name));
  const source = `profiles/${name}`;
  const existing = readDoc(paths, path);
  if (opts.create && existing)
    throw new ConfigError(`${source}: profile already exists (use mwan profile edit)`);
  if (!opts.create && !existing) throw noSuchProfile(name);
  const doc = withValues(existing ?? emptyDoc(), changes, { source });
  const value = orThrow(validateProfile(toRecord(doc), source));
  const write = () => {
    ensureDir(paths.mwanDir, 0o755, "/var/ipfire/mwan");
    ensureDir(paths.profilesDir, PRIVATE_DIR_MODE, "profiles/");
    writeFileAtomic(path, serializeSettings(doc), {
      display: source,
      mode: 0o600,
      forceMode: true,
    });
  };
  return { value, write };
}

export function saveProfile(
  paths: Paths,
  name: string,
  changes: Changes,
  opts: SaveProfileOptions,
): ProfileData {
  const prepared = prepareProfile(paths, name, changes, opts);
  prepared.write();
  return prepared.value;
}

export function deleteProfile(paths: Paths, name: string): void {
  removeFile(paths.profile(checkedName(name)), `profiles/${name}`);
}

// The profile RED carries now, as recorded by mwan's switching; without a
// record, RED is on the primary.
export function activeProfile(paths: Paths): string | undefined {
  const recorded = recordedActive(paths);
  // A damaged settings file leaves PRIMARY unknown, and no more than that.
  return recorded === null ? readSettingsLeniently(paths).settings.PRIMARY : recorded;
}

// What state/active says: null when it records nothing (mwan never
// switched RED), undefined when it holds no profile's name, which says
// nothing about which profile RED is on.
export function recordedActive(paths: Paths): string | null | undefined {
  const recorded = readTextIfExists(paths.activeProfile, "state/active", 256)?.trim();
  if (recorded === undefined || recorded === "") return null;
  return profileNameProblem(recorded) === undefined ? recorded : undefined;
}

// Every configuration file as raw keys, for a whole-configuration check;
// files that cannot be read are reported, not thrown (and a settings file
// that could not be read is left undefined, not taken as empty). A file the
// parser refuses lines of is read as far as it can be: every refused line is
// named, and the keys they concern are listed, so that their values are not
// judged again while the rest of the file is.
export function readConfigFiles(paths: Paths): ConfigFiles {
  const unreadable: string[] = [];
  const damaged: Record<string, string[]> = {};
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof MwanError)) throw err;
      unreadable.push(err.message);
      return fallback;
    }
  };
  // A settings file that is not there holds the defaults; a profile's that
  // went away since the listing is no profile.
  const record = (path: string, file: string, missing?: Record<string, string>) => {
    const problems: ParseProblem[] = [];
    const doc = readDoc(paths, path, { problems });
    unreadable.push(...problems.map((p) => p.message));
    const keys = [...new Set(problems.flatMap((p) => (p.key === undefined ? [] : [p.key])))];
    if (keys.length > 0) damaged[file] = keys;
    return doc ? toRecord(doc) : missing;
  };
  const settings = attempt(() => record(paths.settings, "settings", {}), undefined);
  const { names, ignored } = listProfiles(paths);
  const profiles: Record<string, Record<string, string>> = {};
  const unreadableProfiles: string[] = [];
  for (const name of names) {
    const before = unreadable.length;
    const raw = attempt(() => record(paths.profile(name), `profiles/${name}`), undefined);
    if (raw) profiles[name] = raw;
    else if (unreadable.length > before) unreadableProfiles.push(name);
  }
  return { settings, profiles, unreadable, ignored, damaged, unreadableProfiles };
}
