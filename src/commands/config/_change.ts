// What `config set` and `config unset` share: which keys they take, and the
// change itself, which repairs the key it names in a damaged file and says
// what else is wrong there.

import { UsageError } from "../../core/errors.ts";
import { didYouMean } from "../../core/text/nearest.ts";
import { SETTINGS_DOC, type SettingsKey } from "../../core/schema/settings.ts";
import type { Paths } from "../../adapters/paths.ts";
import { mailProblems } from "../../adapters/mail.ts";
import { readSettingsLeniently, saveSettingsKeys } from "../../adapters/store.ts";
import type { Output } from "../../ui/output.ts";
import { warnProblems } from "../_config-problems.ts";
import { reloadDaemon } from "../_reload.ts";

export function knownKey(command: string, given: string): SettingsKey {
  const key = given.toUpperCase();
  if (key in SETTINGS_DOC) return key as SettingsKey;
  // A slip gets the one it was near; anything else, every name there is.
  const known = Object.keys(SETTINGS_DOC);
  const near = didYouMean(given, known) || ` (known: ${known.join(", ")})`;
  throw new UsageError(`config ${command}: ${given}: unknown setting${near}`);
}

// The keys a command may change: ENABLED has commands of its own.
export function settingKey(command: string, given: string): SettingsKey {
  const key = knownKey(command, given);
  if (key === "ENABLED") throw new UsageError(`config ${command}: ENABLED: use mwan enable or mwan disable`);
  return key;
}

// `value` undefined: the key's line goes and its default applies. A running
// daemon re-reads only a configuration it can take.
export function changeSetting(paths: Paths, out: Output, key: SettingsKey, value: string | undefined): void {
  saveSettingsKeys(paths, { [key]: value });
  out.line(value === undefined ? `${key} restored to its default` : `${key}=${value}`);
  const reading = readSettingsLeniently(paths);
  // The change itself is fine; mail that can reach nobody is said at once,
  // not first by config check.
  if (key === "MAIL" || key === "MAIL_TO")
    for (const problem of mailProblems(paths, reading.settings)) out.warn(problem);
  if (reading.problems.length === 0) reloadDaemon(paths, out);
  else warnProblems(out, reading);
}
