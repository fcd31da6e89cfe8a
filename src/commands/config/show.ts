import { defineCommand } from "citty";
import { loadSettings, settingsRecord } from "../../adapters/store.ts";
import { table } from "../../ui/output.ts";
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
    loadSettings(paths); // refuses to present an invalid file as if it applied
    const rows = effectiveSettings(settingsRecord(paths));
    if (out.json)
      return out.data(Object.fromEntries(rows.map((r) => [r.key, { value: r.value, default: r.isDefault }])));
    for (const line of table(
      rows.map((r) => [r.key, r.value === "" ? "-" : r.value, r.isDefault ? "(default)" : "", r.help]),
    )) {
      out.line(line);
    }
  },
});
