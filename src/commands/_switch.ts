// What `switch`, `failback` and `recover` share: the switching context and how
// its steps are shown.

import type { Paths } from "../adapters/paths.ts";
import { ipfireSystem } from "../adapters/ipfire-system.ts";
import { loadSettings } from "../adapters/store.ts";
import { realClock } from "../switching/red-ops.ts";
import type { Step, SwitchDeps } from "../switching/switch-red.ts";
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
  return `  ${mark} ${secs}  ${s.name}${s.detail ? ` (${s.detail})` : ""}`;
}

export function limits(paths: Paths) {
  const s = loadSettings(paths);
  return {
    downMs: s.SWITCH_DOWN_TIMEOUT * 1000,
    upMs: s.SWITCH_UP_TIMEOUT * 1000,
  };
}
