import { defineCommand } from "citty";
import { ConfigError, EXIT } from "../core/errors.ts";
import { activeProfile, loadSettings, readSettingsLeniently } from "../adapters/store.ts";
import { prepareSwitch, switchRed } from "../switching/switch-red.ts";
import { reportProblems } from "./_config-problems.ts";
import { env } from "./_shared.ts";
import { limits, switchDeps, uninterrupted } from "./_switch.ts";
import { printPlan } from "./_plan.ts";
import { daemonPid } from "../daemon/control.ts";
import { viaDaemon } from "./_via-daemon.ts";

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
    if (reading) {
      printPlan(out, prepareSwitch(deps, primary, reading.settings).plan);
      return reportProblems(out, reading);
    }
    if (daemonPid(paths) !== undefined) {
      // The daemon makes no switch for it, so there would be none to wait for.
      if (activeProfile(paths) === primary) {
        out.line(`RED is already on ${primary}`);
        return EXIT.ok;
      }
      return viaDaemon(paths, out, { kind: "failbackNow" }, primary);
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
