import { defineCommand } from "citty";
import { env } from "../_shared.ts";
import { stop } from "./_control.ts";

export default defineCommand({
  meta: {
    name: "stop",
    description: "Stop the daemon (after a switch in progress has finished)",
  },
  run(ctx) {
    const { paths, out } = env(ctx);
    return stop(paths, out);
  },
});
