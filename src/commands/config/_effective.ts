// Settings as they apply: the file's value where set, the default otherwise.

import { SETTINGS_DOC } from "../../core/schema/settings.ts";

export interface EffectiveSetting {
  key: string;
  value: string;
  isDefault: boolean;
  help: string;
}

export function effectiveSettings(raw: Record<string, string>): EffectiveSetting[] {
  return Object.entries(SETTINGS_DOC).map(([key, doc]) => {
    const set = raw[key];
    const isDefault = set === undefined || set === "";
    return {
      key,
      value: isDefault ? doc.default : set,
      isDefault,
      help: doc.help,
    };
  });
}
