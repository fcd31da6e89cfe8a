// Called by IPFire's red.up/red.down hook symlinks (see dispatch.ts) inside
// dhcpcd's, pppd's or the initscript's run of the hooks, which wait for it:
// it only pokes the daemon and returns. It never starts or stops a daemon,
// and stays quiet while mwan itself is switching RED (the daemon looks at RED
// when its switch is done anyway).

import { defineCommand } from "citty";
import { existsSync } from "node:fs";
import { UsageError } from "../core/errors.ts";
import { signalDaemon } from "../daemon/control.ts";
import { lockOwner } from "../switching/lock.ts";
import type { CommandData } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "hook",
    description: "(internal) called by IPFire when RED goes up or down",
    hidden: true,
  },
  args: {
    event: {
      type: "positional",
      description: "What RED did: up or down",
      valueHint: "EVENT",
      required: true,
    },
  },
  run({ args, data }) {
    if (args.event !== "up" && args.event !== "down") {
      throw new UsageError(`hook: event must be up or down, not ${JSON.stringify(args.event)}`);
    }
    const { paths } = data as CommandData;
    const switching = existsSync(paths.journal) || lockOwner(paths, paths.lock) !== undefined;
    if (!switching) signalDaemon(paths, "SIGUSR1");
  },
});
