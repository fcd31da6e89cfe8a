// After a configuration change: a running daemon re-reads it (SIGHUP), so
// what the admin just set is what is in force, and the command returns once
// the daemon's status shows it.

import type { Paths } from "../adapters/paths.ts";
import { awaitStatusSync } from "../daemon/commands.ts";
import { signalDaemon } from "../daemon/control.ts";
import type { Output } from "../ui/output.ts";
import { noteReasons } from "./_config-problems.ts";

// A reload waits for a switch in progress; longer than this, the command
// does not wait.
const RELOAD_WAIT_MS = 3000;

export function reloadDaemon(paths: Paths, out: Output): void {
  const sent = Date.now();
  if (!signalDaemon(paths, "SIGHUP")) return;
  const snap = awaitStatusSync(paths, (s) => (s.lastReload?.at ?? 0) >= sent, RELOAD_WAIT_MS);
  if (!snap) out.note("the running daemon re-reads its configuration once the switch in progress is done");
  else if (snap.lastReload?.error)
    noteReasons(
      out,
      "the running daemon keeps its configuration",
      snap.lastReload.problems ?? [snap.lastReload.error],
    );
  else out.note("the running daemon re-read its configuration");
}
