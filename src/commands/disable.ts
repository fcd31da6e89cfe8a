import { defineCommand } from "citty";
import { ConfigError, EXIT } from "../core/errors.ts";
import { loadSettings, readSettingsLeniently, saveSettingsKeys } from "../adapters/store.ts";
import { switchRed } from "../switching/switch-red.ts";
import { warnProblems } from "./_config-problems.ts";
import { env } from "./_shared.ts";
import { limits, switchDeps, uninterrupted } from "./_switch.ts";
import { stop } from "./daemon/_control.ts";

export default defineCommand({
  meta: {
    name: "disable",
    description: "Turn failover off and stop the daemon; RED stays where it is unless --failback",
  },
  args: {
    failback: {
      type: "boolean",
      description: "Move RED back to the primary first",
    },
  },
  async run(ctx) {
    const { paths, out } = env(ctx);
    // The daemon stops first: a broken settings file must not keep it running.
    await stop(paths, out, true);
    // Only ENABLED is checked: turning mwan off must not depend on the rest.
    saveSettingsKeys(paths, { ENABLED: "off" });
    out.line("mwan is disabled");
    warnProblems(out, readSettingsLeniently(paths));
    if (!ctx.args.failback) return EXIT.ok;
    const primary = loadSettings(paths).PRIMARY;
    if (!primary) throw new ConfigError("settings: PRIMARY: not set");
    return uninterrupted(out, async () => {
      const r = await switchRed(switchDeps(paths, out), {
        to: primary,
        reason: "operator: mwan disable --failback",
        rollback: true,
        ...limits(paths),
      });
      if (r.ok) out.line(`RED is on ${r.profile}`);
      else out.note(`mwan: failback failed: ${r.reason}`);
      return r.ok ? EXIT.ok : EXIT.failure;
    });
  },
});
