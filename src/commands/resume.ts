import { defineCommand } from "citty";
import { EXIT } from "../core/errors.ts";
import { sendCommand } from "../daemon/commands.ts";
import { daemonPid } from "../daemon/control.ts";
import { env } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "resume",
    description:
      "Resume automatic switching after mwan hold or mwan switch (which holds RED where it put it)",
  },
  run(ctx) {
    const { paths, out } = env(ctx);
    if (daemonPid(paths) === undefined || !sendCommand(paths, { kind: "resume" })) {
      out.note("mwan: the daemon is not running");
      return EXIT.failure;
    }
    out.line("automatic switching resumed");
    return EXIT.ok;
  },
});
