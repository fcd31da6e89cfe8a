// Profile names become file names under /var/ipfire/mwan/profiles/, so they are
// checked before they touch a path: no separators, no dots, no hidden files.
// No word is reserved: no command takes one in place of a profile name, so
// `primary`, `backup` or `default` are names like any other.

const NAME = /^[a-z][a-z0-9_-]{0,31}$/;

export function profileNameProblem(name: string): string | undefined {
  if (!NAME.test(name)) {
    return `${JSON.stringify(name)} is not a valid profile name (a lowercase letter, then up to 31 lowercase letters, digits, - or _)`;
  }
  return undefined;
}
