import { defineCommand } from "citty";
import { EXIT } from "../core/errors.ts";
import { ASKED_NO_ROLLBACK, prepareSwitch, switchRed } from "../switching/switch-red.ts";
import { noSuchProfile, profileExists, readSettingsLeniently } from "../adapters/store.ts";
import { reportProblems } from "./_config-problems.ts";
import { env } from "./_shared.ts";
import { limits, switchDeps, uninterrupted } from "./_switch.ts";
import { printPlan } from "./_plan.ts";
import { daemonPid } from "../daemon/control.ts";
import { viaDaemon } from "./_via-daemon.ts";

export default defineCommand({
  meta: {
    name: "switch",
    description:
      "Move RED to a profile now and hold it there (mwan resume); goes back if it does not come up",
  },
  args: {
    profile: {
      type: "positional",
      description: "Profile to switch to",
      valueHint: "NAME",
      required: true,
    },
    "dry-run": {
      type: "boolean",
      description: "Print the key changes and commands, change nothing",
    },
    rollback: {
      type: "boolean",
      default: true,
      negativeDescription: "Leave RED on the profile even if it does not come up",
    },
  },
  async run(ctx) {
    const { paths, out } = env(ctx);
    const deps = switchDeps(paths, out);
    // Before anything is said or sent: a name that is no profile is a
    // mistake on the command line, whoever would make the switch.
    if (!profileExists(paths, ctx.args.profile)) throw noSuchProfile(ctx.args.profile);
    if (ctx.args["dry-run"]) {
      const reading = readSettingsLeniently(paths);
      printPlan(out, prepareSwitch(deps, ctx.args.profile, reading.settings).plan);
      return reportProblems(out, reading);
    }
    if (daemonPid(paths) !== undefined) {
      const command = { kind: "switchTo", profile: ctx.args.profile, rollback: ctx.args.rollback } as const;
      return viaDaemon(paths, out, command, ctx.args.profile);
    }
    out.line(`switching RED to ${ctx.args.profile}`);
    return uninterrupted(out, async () => {
      const r = await switchRed(deps, {
        to: ctx.args.profile,
        reason: "operator: mwan switch",
        rollback: ctx.args.rollback,
        leftNote: ASKED_NO_ROLLBACK,
        ...limits(paths),
      });
      if (r.ok) out.line(r.changed ? `RED is on ${r.profile}` : `RED is already on ${r.profile}`);
      else out.note(`mwan: switch failed: ${r.reason}`);
      return r.ok ? EXIT.ok : EXIT.failure;
    });
  },
});
