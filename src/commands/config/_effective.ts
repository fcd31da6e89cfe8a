// Settings as they apply: the file's value where set, the default otherwise.

import { SETTINGS_DOC } from "../../core/schema/settings.ts";

export interface EffectiveSetting {
  key: string;
  value: string;
  isDefault: boolean;
  // The file sets the key, but not so that it can be read: the default shows.
  unreadable: boolean;
  help: string;
}

export function effectiveSettings(
  raw: Record<string, string>,
  unreadable: readonly string[] = [],
): EffectiveSetting[] {
  return Object.entries(SETTINGS_DOC).map(([key, doc]) => {
    const set = raw[key];
    const isDefault = set === undefined || set === "";
    return {
      key,
      value: isDefault ? doc.default : set,
      isDefault,
      unreadable: unreadable.includes(key),
      help: doc.help,
    };
  });
}
