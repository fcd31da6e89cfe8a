// `mwan events test`: the admin's scripts and mail tried with a test event,
// the way the daemon delivers a real one (the same trust rule, environment,
// timeout and mail path), each outcome reported instead of logged.

import { testEvent } from "../core/events.ts";
import type { Settings } from "../core/schema/settings.ts";
import { type BoundedRun, runOutcome } from "../adapters/bounded-run.ts";
import { eventScripts, runEventScript, type Skipped } from "../adapters/event-scripts.ts";
import { sendEventMail } from "../adapters/mail.ts";
import type { Paths } from "../adapters/paths.ts";
import { activeProfile } from "../adapters/store.ts";

export interface ScriptTried {
  path: string;
  // undefined: not run (`skipped` says why).
  run?: BoundedRun;
  skipped?: string;
}

export interface MailTried {
  ok: boolean;
  detail: string; // to whom, or what went wrong
  ms?: number;
}

export async function tryScripts(paths: Paths): Promise<ScriptTried[]> {
  const e = testEvent(currentProfile(paths), Date.now());
  const skipped: Skipped[] = [];
  const scripts = eventScripts(paths, (s) => skipped.push(s));
  const tried = await Promise.all(
    scripts.map(async (path): Promise<ScriptTried> => {
      try {
        return { path, run: await runEventScript(path, e) };
      } catch (err) {
        return { path, skipped: `cannot run: ${err instanceof Error ? err.message : String(err)}` };
      }
    }),
  );
  return [...tried, ...skipped.map((s) => ({ path: s.path, skipped: s.reason }))].sort((a, b) =>
    a.path.localeCompare(b.path),
  );
}

export async function tryMail(paths: Paths, settings: Settings): Promise<MailTried> {
  try {
    const { to, run } = await sendEventMail(paths, settings, testEvent(currentProfile(paths), Date.now()));
    return run.code === 0
      ? { ok: true, detail: `sent to ${to}`, ms: run.ms }
      : { ok: false, detail: `sendmail ${runOutcome(run)}`, ms: run.ms };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

// A test must not fail for want of a readable state/active.
function currentProfile(paths: Paths): string {
  try {
    return activeProfile(paths) ?? "";
  } catch {
    return "";
  }
}
