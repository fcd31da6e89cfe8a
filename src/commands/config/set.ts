import { defineCommand } from "citty";
import { ConfigError, UsageError } from "../../core/errors.ts";
import { SETTINGS_DOC } from "../../core/schema/settings.ts";
import { listProfiles, saveSettings } from "../../adapters/store.ts";
import { env } from "../_shared.ts";
import { reloadDaemon } from "../_reload.ts";

export default defineCommand({
  meta: {
    name: "set",
    description: "Change one setting (an empty VALUE restores the default)",
  },
  args: {
    key: {
      type: "positional",
      description: "Setting name, e.g. PROBE_TARGETS",
      valueHint: "KEY",
      required: true,
    },
    value: {
      type: "positional",
      description: "New value",
      valueHint: "VALUE",
      required: true,
    },
  },
  run(ctx) {
    const { paths, out } = env(ctx);
    const key = ctx.args.key.toUpperCase();
    const value = ctx.args.value;
    if (!(key in SETTINGS_DOC)) {
      throw new UsageError(
        `config set: ${ctx.args.key}: unknown setting (known: ${Object.keys(SETTINGS_DOC).join(", ")})`,
      );
    }
    if (key === "ENABLED") throw new UsageError("config set: ENABLED: use mwan enable or mwan disable");
    if (key === "PRIMARY" && value !== "" && !listProfiles(paths).names.includes(value)) {
      throw new ConfigError(
        `settings: PRIMARY: no profile named ${JSON.stringify(value)} (see mwan profile list)`,
      );
    }
    saveSettings(paths, { [key]: value === "" ? undefined : value });
    out.line(value === "" ? `${key} restored to its default` : `${key}=${value}`);
    reloadDaemon(paths, out);
  },
});
