import { defineCommand } from "citty";
import { EXIT } from "../../core/errors.ts";
import { loadSettings } from "../../adapters/store.ts";
import { env } from "../_shared.ts";
import { start } from "./_control.ts";

export default defineCommand({
  meta: {
    name: "start",
    description: "Start the daemon in the background (new session, detached)",
  },
  args: {
    "if-enabled": {
      type: "boolean",
      description: "Do nothing unless mwan is enabled (for the init script)",
    },
  },
  async run(ctx) {
    const { paths, out } = env(ctx);
    if (ctx.args["if-enabled"] && loadSettings(paths).ENABLED !== "on") {
      out.line("mwan is disabled; daemon not started");
      return EXIT.ok;
    }
    return start(paths, out);
  },
});
