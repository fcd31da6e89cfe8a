import { defineCommand } from "citty";
import { readSettingsLeniently } from "../../adapters/store.ts";
import { table } from "../../ui/output.ts";
import { reportProblems } from "../_config-problems.ts";
import { env, jsonArg } from "../_shared.ts";
import { effectiveSettings } from "./_effective.ts";

export default defineCommand({
  meta: {
    name: "show",
    description: "Show every setting, its value and whether it is the default",
  },
  args: { ...jsonArg },
  run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const reading = readSettingsLeniently(paths);
    const rows = effectiveSettings(reading.raw, reading.defaulted);
    if (out.json) {
      const entry = (r: (typeof rows)[number]) => ({
        value: r.value,
        default: r.isDefault,
        ...(r.unreadable ? { unreadable: true } : {}),
      });
      out.data(Object.fromEntries(rows.map((r) => [r.key, entry(r)])));
      return reportProblems(out, reading);
    }
    const mark = (r: (typeof rows)[number]) =>
      r.unreadable ? out.paint("red", "(default: unreadable)") : r.isDefault ? "(default)" : "";
    for (const line of table(rows.map((r) => [r.key, r.value === "" ? "-" : r.value, mark(r), r.help])))
      out.line(line);
    return reportProblems(out, reading);
  },
});
