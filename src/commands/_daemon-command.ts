// Commands that only tell the running daemon something (hold, resume).

import type { Command } from "../core/engine/types.ts";
import { EXIT } from "../core/errors.ts";
import type { Paths } from "../adapters/paths.ts";
import { sendCommand } from "../daemon/commands.ts";
import { daemonPid } from "../daemon/control.ts";
import type { Output } from "../ui/output.ts";

export function tellDaemon(paths: Paths, out: Output, command: Command, done: string): number {
  if (daemonPid(paths) === undefined || !sendCommand(paths, command)) {
    out.note("mwan: the daemon is not running, so nothing switches automatically anyway");
    return EXIT.failure;
  }
  out.line(done);
  return EXIT.ok;
}
