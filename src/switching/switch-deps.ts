// What a switch and a recovery are handed: IPFire, the clock and where each
// step is reported. Its own module, so that switch-red and recover, which
// calls back into a switch's steps, need not import each other for it.

import type { IpfireSystem } from "../adapters/ipfire-system.ts";
import type { Paths } from "../adapters/paths.ts";
import type { Clock } from "./red-ops.ts";

export interface Step {
  name: string;
  ms: number;
  ok: boolean;
  detail?: string;
}

export interface SwitchDeps {
  paths: Paths;
  sys: IpfireSystem;
  clock: Clock;
  onStep(step: Step): void;
}
