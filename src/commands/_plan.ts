// How a dry run shows a switch: every key that would change, and the commands.

import { MASK } from "./profile/_display.ts";
import type { SwitchPlan } from "../switching/switch-red.ts";
import type { Output } from "../ui/output.ts";

const SECRET = new Set(["PASSWORD", "(credentials)"]);

export function printPlan(out: Output, plan: SwitchPlan): void {
  if (out.json) return out.data(plan);
  out.line(`dry run: RED ${plan.from ?? "(unknown profile)"} -> ${plan.to}`);
  if (plan.unchanged) return out.line("RED is already on this profile; nothing to do");
  const show = (key: string, v: string | undefined) =>
    v === undefined ? "(unset)" : SECRET.has(key) ? MASK : JSON.stringify(v);
  for (const c of plan.changes)
    out.line(`  ${c.file}: ${c.key}: ${show(c.key, c.before)} -> ${show(c.key, c.after)}`);
  if (plan.changes.length === 0) out.line("  (no settings change)");
  out.line("commands:");
  for (const c of plan.commands) out.line(`  ${c}`);
}
