// Whether root may run a program another user could have put in its way.
// As cron and sudo do: the file and the directory it sits in are root's and
// writable by nobody else, and the file is itself, not a link to another.

import { lstatSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { trustedUid } from "./processes.ts";

// Why `st` may not be trusted, or undefined when it may.
function ownershipProblem(st: Stats): string | undefined {
  if (st.uid !== trustedUid()) return `owned by uid ${st.uid}, not root`;
  if ((st.mode & 0o022) !== 0) return "writable by group or others";
  return undefined;
}

export type Runnable = { ok: true } | { ok: false; reason: string } | { ok: false; reason: null };

// A file without an x bit: perhaps the admin's way to turn a script off
// (chmod -x, as run-parts takes it), perhaps a forgotten chmod +x.
export const NOT_EXECUTABLE = "not executable";

// reason null: not meant to run (gone, not a regular file), nothing to report.
export function runnable(path: string): Runnable {
  let st: Stats;
  let dir: Stats;
  try {
    st = lstatSync(path);
    dir = lstatSync(dirname(path));
  } catch {
    return { ok: false, reason: null }; // gone
  }
  const dirProblem = ownershipProblem(dir);
  if (dirProblem) return { ok: false, reason: `its directory is ${dirProblem}` };
  if (st.isSymbolicLink())
    return { ok: false, reason: "it is a symbolic link (copy the script here instead)" };
  if (!st.isFile()) return { ok: false, reason: null };
  if ((st.mode & 0o111) === 0) return { ok: false, reason: NOT_EXECUTABLE };
  const problem = ownershipProblem(st);
  return problem ? { ok: false, reason: `it is ${problem}` } : { ok: true };
}
