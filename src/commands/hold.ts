import { defineCommand } from "citty";
import { EXIT } from "../core/errors.ts";
import { sendCommand } from "../daemon/commands.ts";
import { daemonPid } from "../daemon/control.ts";
import { env } from "./_shared.ts";

export default defineCommand({
  meta: { name: "hold", description: "Stop automatic switching until mwan resume (RED stays where it is)" },
  run(ctx) {
    const { paths, out } = env(ctx);
    if (daemonPid(paths) === undefined || !sendCommand(paths, { kind: "hold" })) {
      out.note("mwan: the daemon is not running; nothing switches automatically anyway");
      return EXIT.failure;
    }
    out.line("automatic switching is on hold (mwan resume ends it)");
    return EXIT.ok;
  },
});
