// The admin's event scripts: executables in /var/ipfire/mwan/events.d/ that
// root may trust (README, "Security"), run one event at a time.

import { hostname } from "node:os";
import { join } from "node:path";
import { eventEnv, type MwanEvent } from "../core/events.ts";
import { type BoundedRun, runBounded } from "./bounded-run.ts";
import { listDir } from "./files.ts";
import type { Paths } from "./paths.ts";
import { runnable } from "./trust.ts";

export const SCRIPT_TIMEOUT_MS = 30_000;

// Editor backups and dotfiles are not scripts.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface Skipped {
  path: string;
  reason: string;
}

// The scripts root may run, in name order; `skipped` hears of every other
// executable there and why it is not run. No directory: no scripts.
export function eventScripts(paths: Paths, skipped: (s: Skipped) => void): string[] {
  return listDir(paths.eventsDir, "/var/ipfire/mwan/events.d")
    .filter((n) => NAME.test(n) && !n.endsWith("~"))
    .map((n) => join(paths.eventsDir, n))
    .filter((p) => trusted(p, skipped));
}

// Checked again right before each run: a script may have been replaced
// while its event waited.
export function trusted(path: string, skipped: (s: Skipped) => void): boolean {
  const r = runnable(path);
  if (!r.ok && r.reason) skipped({ path, reason: r.reason });
  return r.ok;
}

export function runEventScript(path: string, e: MwanEvent, stop?: AbortSignal): Promise<BoundedRun> {
  return runBounded([path], { env: eventEnv(e, hostname()), timeoutMs: SCRIPT_TIMEOUT_MS, stop });
}
