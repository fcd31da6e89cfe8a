// What `switch`, `failback` and `recover` share: the switching context and how
// its steps are shown.

import { printable } from "../core/text/printable.ts";
import type { Paths } from "../adapters/paths.ts";
import { ipfireSystem } from "../adapters/ipfire-system.ts";
import { holdSignals, signalExitCode } from "../adapters/signals.ts";
import { loadSettings } from "../adapters/store.ts";
import { realClock } from "../switching/red-ops.ts";
import type { Step, SwitchDeps } from "../switching/switch-deps.ts";
import type { Output } from "../ui/output.ts";

export function switchDeps(paths: Paths, out: Output): SwitchDeps {
  return {
    paths,
    sys: ipfireSystem(paths),
    clock: realClock,
    onStep: (s) => out.line(stepLine(out, s)),
  };
}

export function stepLine(out: Output, s: Step): string {
  const mark = s.ok ? out.paint("green", "ok  ") : out.paint("red", "FAIL");
  const secs = `${(s.ms / 1000).toFixed(2)} s`.padStart(9);
  return `  ${mark} ${secs}  ${s.name}${s.detail ? ` (${printable(s.detail)})` : ""}`;
}

export function limits(paths: Paths) {
  const s = loadSettings(paths);
  return {
    downMs: s.SWITCH_DOWN_TIMEOUT * 1000,
    upMs: s.SWITCH_UP_TIMEOUT * 1000,
  };
}

// A switch from the command line, with SIGINT, SIGTERM and SIGHUP held until
// it has finished or gone back (adapters/signals.ts): the exit code is the
// switch's, or 128 + the signal's number when one came.
export async function uninterrupted(out: Output, work: () => Promise<number>): Promise<number> {
  const held = holdSignals((sig) =>
    out.note(`mwan: ${sig}: finishing the switch first; RED goes back if it does not come up`),
  );
  try {
    const code = await work();
    const sig = held.received();
    return sig ? signalExitCode(sig) : code;
  } finally {
    held.release();
  }
}
