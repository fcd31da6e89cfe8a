import { defineCommand } from "citty";
import { ConfigError } from "../../core/errors.ts";
import { listProfiles } from "../../adapters/store.ts";
import { env } from "../_shared.ts";
import { changeSetting, settingKey } from "./_change.ts";

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
    const key = settingKey("set", ctx.args.key);
    const value = ctx.args.value;
    if (key === "PRIMARY" && value !== "" && !listProfiles(paths).names.includes(value)) {
      throw new ConfigError(
        `settings: PRIMARY: no profile named ${JSON.stringify(value)} (see mwan profile list)`,
      );
    }
    changeSetting(paths, out, key, value === "" ? undefined : value);
  },
});
