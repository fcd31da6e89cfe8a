import { defineCommand } from "citty";
import { env } from "../_shared.ts";
import { changeSetting, settingKey } from "./_change.ts";

export default defineCommand({
  meta: {
    name: "unset",
    description: "Remove one setting from the file, so that its default applies",
  },
  args: {
    key: {
      type: "positional",
      description: "Setting name, e.g. FAILBACK_DELAY",
      valueHint: "KEY",
      required: true,
    },
  },
  run(ctx) {
    const { paths, out } = env(ctx);
    changeSetting(paths, out, settingKey("unset", ctx.args.key), undefined);
  },
});
