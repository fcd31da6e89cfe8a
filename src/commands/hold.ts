import { defineCommand } from "citty";
import { tellDaemon } from "./_daemon-command.ts";
import { env } from "./_shared.ts";

export default defineCommand({
  meta: { name: "hold", description: "Stop automatic switching until mwan resume (RED stays where it is)" },
  run(ctx) {
    const { paths, out } = env(ctx);
    return tellDaemon(paths, out, { kind: "hold" });
  },
});
