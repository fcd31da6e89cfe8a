import { defineCommand } from "citty";
import { env } from "../_shared.ts";
import { start, stop } from "./_control.ts";

export default defineCommand({
  meta: { name: "restart", description: "Stop and start the daemon" },
  async run(ctx) {
    const { paths, out } = env(ctx);
    await stop(paths, out);
    return start(paths, out);
  },
});
