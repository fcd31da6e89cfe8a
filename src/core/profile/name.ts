// Profile names become file names under /var/ipfire/mwan/profiles/, so they are
// checked before they touch a path: no separators, no dots, no hidden files.

const NAME = /^[a-z][a-z0-9_-]{0,31}$/;

// Words mwan's commands take in place of a profile name.
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "primary",
  "backup",
  "current",
  "active",
  "all",
  "none",
  "default",
]);

export function profileNameProblem(name: string): string | undefined {
  if (!NAME.test(name)) {
    return `${JSON.stringify(name)} is not a valid profile name (a lowercase letter, then up to 31 lowercase letters, digits, - or _)`;
  }
  if (RESERVED_NAMES.has(name)) return `${JSON.stringify(name)} is reserved; choose another profile name`;
  return undefined;
}
