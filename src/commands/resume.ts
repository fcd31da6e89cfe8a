import { defineCommand } from "citty";
import { tellDaemon } from "./_daemon-command.ts";
import { env } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "resume",
    description:
      "Resume automatic switching after mwan hold or mwan switch (which holds RED where it put it)",
  },
  run(ctx) {
    const { paths, out } = env(ctx);
    return tellDaemon(paths, out, { kind: "resume" });
  },
});
