import { defineCommand } from "citty";
import { EXIT } from "../core/errors.ts";
import { recoverInterrupted } from "../switching/recover.ts";
import { env } from "./_shared.ts";
import { limits, switchDeps } from "./_switch.ts";

export default defineCommand({
  meta: {
    name: "recover",
    description: "Complete or roll back a switch that was interrupted (the daemon does this when it starts)",
  },
  async run(ctx) {
    const { paths, out } = env(ctx);
    const r = await recoverInterrupted(switchDeps(paths, out), limits(paths));
    if (!r) out.line("no interrupted switch");
    return !r || r.up ? EXIT.ok : EXIT.failure;
  },
});
