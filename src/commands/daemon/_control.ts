// Starting and stopping as the CLI, the init script and enable/disable do it.

import { EXIT } from "../../core/errors.ts";
import type { Paths } from "../../adapters/paths.ts";
import { loadSettings } from "../../adapters/store.ts";
import { startDaemon, stopDaemon } from "../../daemon/control.ts";
import type { Output } from "../../ui/output.ts";

// Long enough for a switch in flight to finish (the daemon waits for it).
export function stopTimeoutMs(paths: Paths): number {
  const s = loadSettings(paths);
  return (s.SWITCH_DOWN_TIMEOUT + s.SWITCH_UP_TIMEOUT + 10) * 1000;
}

export async function start(paths: Paths, out: Output): Promise<number> {
  const pid = await startDaemon(paths, process.execPath);
  if (pid === undefined) {
    out.note(
      `mwan: the daemon did not start; see ${paths.display(paths.logFile)}`,
    );
    return EXIT.failure;
  }
  out.line(`mwan daemon running (pid ${pid})`);
  return EXIT.ok;
}

export async function stop(paths: Paths, out: Output): Promise<number> {
  const pid = await stopDaemon(paths, stopTimeoutMs(paths));
  out.line(
    pid === undefined
      ? "mwan daemon was not running"
      : `mwan daemon stopped (pid ${pid})`,
  );
  return EXIT.ok;
}
