// Commands that only tell the running daemon something (hold, resume). They
// return once the daemon has acted on them, so `mwan status` right after
// shows their effect.

import type { Command } from "../core/engine/types.ts";
import { EXIT } from "../core/errors.ts";
import type { Paths } from "../adapters/paths.ts";
import { awaitStatus, sendCommand } from "../daemon/commands.ts";
import { daemonPid } from "../daemon/control.ts";
import type { StatusSnapshot } from "../daemon/status.ts";
import type { Output } from "../ui/output.ts";

// How long a daemon may take to act on a command (it does so on the signal).
const ANSWER_MS = 3000;

// Sends the command; the daemon's status once it has acted on it, or
// undefined (and a note said why).
export async function commandDaemon(
  paths: Paths,
  out: Output,
  command: Command,
): Promise<StatusSnapshot | undefined> {
  const id = daemonPid(paths) === undefined ? undefined : sendCommand(paths, command);
  if (id === undefined) {
    out.note("mwan: the daemon is not running, so nothing switches automatically anyway");
    return undefined;
  }
  const snap = await awaitStatus(paths, (s) => s.lastCommand?.id === id, ANSWER_MS);
  if (!snap) out.note(`mwan: the daemon did not answer; see ${paths.display(paths.logFile)}`);
  return snap;
}

// Why the engine took no action on a command, in its words.
export function refusal(snap: StatusSnapshot): string {
  return snap.lastCommand?.refused ?? "the daemon did not carry it out; see mwan status";
}

export async function tellDaemon(paths: Paths, out: Output, command: Command & { kind: "hold" | "resume" }) {
  const snap = await commandDaemon(paths, out, command);
  if (!snap) return EXIT.failure;
  const hold = command.kind === "hold";
  if (snap.lastCommand?.refused || snap.hold !== hold) {
    out.note(`mwan: ${refusal(snap)}`);
    return EXIT.failure;
  }
  out.line(
    hold
      ? `held: RED stays on ${snap.active} until mwan resume`
      : "resumed: mwan switches RED automatically again",
  );
  return EXIT.ok;
}
