import { defineCommand } from "citty";
import { checkConfig } from "../../core/config-check.ts";
import { EXIT } from "../../core/errors.ts";
import { mailProblems } from "../../adapters/mail.ts";
import { configFilesOfBox } from "../../switching/config-input.ts";
import { env, jsonArg } from "../_shared.ts";

export default defineCommand({
  meta: {
    name: "check",
    description: "Check settings and every profile; lists every problem found",
  },
  args: { ...jsonArg },
  run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const report = checkConfig(configFilesOfBox(paths));
    // Not in checkConfig: the daemon must not refuse failover over mail.
    const errors = [...report.errors, ...(report.settings ? mailProblems(paths, report.settings) : [])];
    const ok = errors.length === 0;
    if (out.json) {
      out.data({ ok, errors, warnings: report.warnings, enableRefuses: report.enableRefuses });
    } else {
      for (const e of errors) out.line(`${out.paint("red", "error:")} ${e}`);
      for (const w of report.warnings) out.line(`${out.paint("yellow", "warning:")} ${w}`);
      const valid = `settings and ${Object.keys(report.profiles).length} profile(s) are valid`;
      // Not a plain ok while `mwan enable` would still refuse.
      if (ok && report.enableRefuses)
        out.line(`ok: ${valid}, but mwan enable refuses until the marked warnings are fixed`);
      else if (ok) out.line(`ok: ${valid}`);
    }
    return ok ? EXIT.ok : EXIT.config;
  },
});
