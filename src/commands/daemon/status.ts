import { defineCommand } from "citty";
import { EXIT } from "../../core/errors.ts";
import { daemonPid } from "../../daemon/control.ts";
import { env, jsonArg } from "../_shared.ts";

// Exit 0 when running, 3 when not: what init scripts expect of `status`.
export default defineCommand({
  meta: {
    name: "status",
    description: "Say whether the daemon runs (exit 0) or not (exit 3)",
  },
  args: { ...jsonArg },
  run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const pid = daemonPid(paths);
    if (out.json) out.data({ running: pid !== undefined, pid: pid ?? null });
    else out.line(pid === undefined ? "mwan daemon is not running" : `mwan daemon is running (pid ${pid})`);
    return pid === undefined ? EXIT.config : EXIT.ok;
  },
});
