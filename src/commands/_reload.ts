// After a configuration change: a running daemon re-reads it (SIGHUP), so
// what the admin just set is what is in force.

import type { Paths } from "../adapters/paths.ts";
import { signalDaemon } from "../daemon/control.ts";
import type { Output } from "../ui/output.ts";

export function reloadDaemon(paths: Paths, out: Output): void {
  if (signalDaemon(paths, "SIGHUP")) out.note("the running daemon re-reads its configuration");
}
