import { defineCommand } from "citty";
import { EXIT } from "../core/errors.ts";
import { recoverInterrupted } from "../switching/recover.ts";
import { env } from "./_shared.ts";
import { limits, switchDeps, uninterrupted } from "./_switch.ts";

export default defineCommand({
  meta: {
    name: "recover",
    description: "Complete or roll back a switch that was interrupted (the daemon does this when it starts)",
  },
  args: {
    "files-only": {
      type: "boolean",
      description: "Put IPFire's files right but leave starting RED to IPFire (the init script, at boot)",
    },
  },
  async run(ctx) {
    const { paths, out } = env(ctx);
    return uninterrupted(out, async () => {
      const r = await recoverInterrupted(switchDeps(paths, out), {
        ...limits(paths),
        filesOnly: ctx.args["files-only"] === true,
      });
      // At boot (the init script) nothing to recover is nothing to say.
      if (!r && !ctx.args["files-only"]) out.line("no interrupted switch");
      return !r || r.up || !r.restarted ? EXIT.ok : EXIT.failure;
    });
  },
});
