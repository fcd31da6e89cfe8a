// Starting and stopping as the CLI, the init script and enable/disable do it.

import { EXIT } from "../../core/errors.ts";
import type { Paths } from "../../adapters/paths.ts";
import { loadSettings } from "../../adapters/store.ts";
import { awaitStatus } from "../../daemon/commands.ts";
import { refusedProblems } from "../../daemon/config.ts";
import { daemonPid, launchDaemon, type StartResult, stopDaemon } from "../../daemon/control.ts";
import type { Output } from "../../ui/output.ts";
import { noteReasons } from "../_config-problems.ts";

// Long enough for a switch in flight to finish (the daemon waits for it).
// With broken settings the defaults apply: stopping must always be possible.
export function stopTimeoutMs(paths: Paths): number {
  let seconds = 130;
  try {
    const s = loadSettings(paths);
    seconds = s.SWITCH_DOWN_TIMEOUT + s.SWITCH_UP_TIMEOUT + 10;
  } catch {
    // keep the default
  }
  return seconds * 1000;
}

// A daemon that refused its configuration makes this exit 3, as a command
// refusing it would.
export async function start(paths: Paths, out: Output): Promise<number> {
  const running = daemonPid(paths);
  if (running !== undefined) {
    out.line(`the daemon is already running (pid ${running})`);
    return EXIT.ok;
  }
  const started = await launchDaemon(paths, process.execPath);
  if (started.pid === undefined) {
    const seeLog = started.logged ? ` (see ${paths.display(paths.logFile)})` : "";
    noteReasons(out, "the daemon did not start", whyNotStarted(paths, started), seeLog);
    return started.exitCode === EXIT.config ? EXIT.config : EXIT.failure;
  }
  // Until its first status (a recovery at start may take longer: then not),
  // so that `mwan status` right after shows the daemon's own view.
  await awaitStatus(paths, () => true, 3000);
  out.line(`mwan daemon running (pid ${started.pid})`);
  return EXIT.ok;
}

// The daemon's reason as it logged it; without one (a log it could not
// write) the configuration it refused, checked here as the daemon checks it.
function whyNotStarted(paths: Paths, started: StartResult & { pid: undefined }): string[] {
  if (started.why.length > 0) return started.why;
  if (started.exitCode !== EXIT.config) return [`it exited with status ${started.exitCode}`];
  const problems = refusedProblems(paths);
  return problems.length > 0 ? problems : ["its configuration is invalid (see mwan config check)"];
}

// `quiet`: say nothing when there was no daemon (disable, uninstall).
export async function stop(paths: Paths, out: Output, quiet = false): Promise<number> {
  const pid = await stopDaemon(paths, stopTimeoutMs(paths));
  if (pid !== undefined) out.line(`mwan daemon stopped (pid ${pid})`);
  else if (!quiet) out.line("mwan daemon was not running");
  return EXIT.ok;
}
