import { defineCommand } from "citty";
import { runDaemon } from "../../daemon/daemon.ts";
import { env } from "../_shared.ts";

export default defineCommand({
  meta: {
    name: "run",
    description: "Run the daemon in the foreground (for debugging and init systems)",
  },
  run(ctx) {
    const { paths } = env(ctx);
    return runDaemon(paths, process.stderr.isTTY === true);
  },
});
