import { defineCommand } from "citty";
import { readSettingsLeniently } from "../../adapters/store.ts";
import { reportProblems } from "../_config-problems.ts";
import { env, jsonArg } from "../_shared.ts";
import { knownKey } from "./_change.ts";
import { effectiveSettings } from "./_effective.ts";

export default defineCommand({
  meta: { name: "get", description: "Print the value of one setting" },
  args: {
    key: {
      type: "positional",
      description: "Setting name, e.g. PRIMARY",
      valueHint: "KEY",
      required: true,
    },
    ...jsonArg,
  },
  run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const key = knownKey("get", ctx.args.key);
    const reading = readSettingsLeniently(paths);
    const row = effectiveSettings(reading.raw, reading.defaulted).find((r) => r.key === key);
    if (out.json)
      out.data({
        key,
        value: row?.value,
        default: row?.isDefault,
        ...(row?.unreadable ? { unreadable: true } : {}),
      });
    else out.line(row?.value ?? "");
    return reportProblems(out, reading);
  },
});
