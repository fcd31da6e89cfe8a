import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { ConfigError, EXIT } from "../core/errors.ts";
import { activeProfile, loadSettings, readSettingsLeniently } from "../adapters/store.ts";
import type { Paths } from "../adapters/paths.ts";
import { acquireLock } from "../switching/lock.ts";
import { readJournal } from "../switching/state.ts";
import type { SwitchDeps } from "../switching/switch-deps.ts";
import { prepareSwitch, type SwitchPlan, switchRed } from "../switching/switch-red.ts";
import { reportProblems } from "./_config-problems.ts";
import { env } from "./_shared.ts";
import { limits, switchDeps, uninterrupted } from "./_switch.ts";
import { printPlan } from "./_plan.ts";
import { daemonPid } from "../daemon/control.ts";
import { viaDaemon } from "./_via-daemon.ts";

// RED holds the primary's settings already: failback has nothing to move
// back, so RED is not restarted, even when it is down (a line that is down
// on the primary is not failback's to restart; the daemon watches it).
const onPrimary = (plan: SwitchPlan) => plan.from === plan.to && plan.changes.length === 0;

// Judged under the switch lock, so a switch in flight (whose files may not
// have changed yet) is refused as busy rather than taken for "on the
// primary"; an interrupted one (a journal) is left to switchRed to mend.
// Without state/ no switch ever ran, and none is made here to take a lock.
function settledOnPrimary(paths: Paths, deps: SwitchDeps, primary: string): boolean {
  const onIt = () => onPrimary(prepareSwitch(deps, primary).plan);
  if (!existsSync(paths.stateDir)) return onIt();
  const lock = acquireLock(paths);
  try {
    return readJournal(paths) === undefined && onIt();
  } finally {
    lock.release();
  }
}

export default defineCommand({
  meta: {
    name: "failback",
    description: "Move RED back to the primary profile now",
  },
  args: {
    "dry-run": {
      type: "boolean",
      description: "Print the key changes and commands, change nothing",
    },
  },
  async run(ctx) {
    const { paths, out } = env(ctx);
    const dry = ctx.args["dry-run"];
    // A dry run shows its plan in spite of a damaged settings file (README).
    const reading = dry ? readSettingsLeniently(paths) : undefined;
    const primary = (reading?.settings ?? loadSettings(paths)).PRIMARY;
    if (!primary) throw new ConfigError("settings: PRIMARY: not set (run mwan profile import-current NAME)");
    const deps = switchDeps(paths, out);
    const already = `RED is already on the primary ${primary}; nothing to do`;
    if (reading) {
      const plan = prepareSwitch(deps, primary, reading.settings).plan;
      if (onPrimary(plan)) out.line(already);
      else printPlan(out, plan);
      return reportProblems(out, reading);
    }
    if (daemonPid(paths) !== undefined) {
      // The daemon makes no switch for it, so there would be none to wait for.
      if (activeProfile(paths) === primary) {
        out.line(already);
        return EXIT.ok;
      }
      return viaDaemon(paths, out, { kind: "failbackNow" }, primary);
    }
    if (settledOnPrimary(paths, deps, primary)) {
      out.line(already);
      return EXIT.ok;
    }
    out.line(`switching RED back to the primary, ${primary}`);
    return uninterrupted(out, async () => {
      const r = await switchRed(deps, {
        to: primary,
        reason: "operator: mwan failback",
        rollback: true,
        ...limits(paths),
      });
      if (r.ok) out.line(r.changed ? `RED is on ${r.profile}` : `RED is already on ${r.profile}`);
      else out.note(`mwan: failback failed: ${r.reason}`);
      return r.ok ? EXIT.ok : EXIT.failure;
    });
  },
});
