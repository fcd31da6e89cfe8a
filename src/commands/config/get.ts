import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";
import { SETTINGS_DOC } from "../../core/schema/settings.ts";
import { loadSettings, settingsRecord } from "../../adapters/store.ts";
import { env, jsonArg } from "../_shared.ts";
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
    const key = ctx.args.key.toUpperCase();
    if (!(key in SETTINGS_DOC)) {
      throw new UsageError(
        `config get: ${ctx.args.key}: unknown setting (known: ${Object.keys(SETTINGS_DOC).join(", ")})`,
      );
    }
    loadSettings(paths);
    const row = effectiveSettings(settingsRecord(paths)).find((r) => r.key === key);
    if (out.json) return out.data({ key, value: row?.value, default: row?.isDefault });
    out.line(row?.value ?? "");
  },
});
