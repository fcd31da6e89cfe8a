// `mwan switch` and `mwan failback` while the daemon runs: hand the command to
// it and report the switch it makes, once `mwan status` shows it.

import type { Command } from "../core/engine/types.ts";
import { EXIT } from "../core/errors.ts";
import type { Paths } from "../adapters/paths.ts";
import { loadProfile } from "../adapters/store.ts";
import { awaitStatus, awaitSwitch } from "../daemon/commands.ts";
import type { Output } from "../ui/output.ts";
import { commandDaemon, refusal } from "./_daemon-command.ts";
import { limits } from "./_switch.ts";

export async function viaDaemon(paths: Paths, out: Output, command: Command, to: string): Promise<number> {
  loadProfile(paths, to); // an unknown or invalid profile is refused here, not in the log
  const since = Date.now();
  out.line(`asked the daemon (it owns RED while it runs) to switch RED to ${to}`);
  const ack = await commandDaemon(paths, out, command);
  if (!ack) return EXIT.failure;
  if (!ack.lastCommand?.switched) {
    if (ack.active !== to) {
      out.note(`mwan: ${refusal(ack)}`);
      return EXIT.failure;
    }
    out.line(`RED is already on ${to}${ack.hold ? "; held there until mwan resume" : ""}`);
    return EXIT.ok;
  }
  const { downMs, upMs } = limits(paths);
  const entry = await awaitSwitch(paths, since, downMs + upMs + 10_000);
  if (!entry) {
    out.note("mwan: no switch happened; see mwan status and /var/log/mwan.log");
    return EXIT.failure;
  }
  // The daemon's status follows the history by a moment: wait for it.
  const end = entry.at + entry.ms;
  await awaitStatus(paths, (s) => (s.history.at(-1)?.doneAt ?? 0) >= end, 3000);
  out.line(
    `${entry.ok ? "RED is on" : "switch failed:"} ${entry.ok ? entry.to : entry.result} (${(entry.ms / 1000).toFixed(1)} s)`,
  );
  return entry.ok ? EXIT.ok : EXIT.failure;
}
