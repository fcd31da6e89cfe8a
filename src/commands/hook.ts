// Called by IPFire's red.up/red.down hook symlinks (see dispatch.ts). IPFire
// ignores the exit code and waits for the hook, so this must return at once.
// Telling the daemon arrives with the daemon; until then a hook only checks
// what it was called with.

import { defineCommand } from "citty";
import { UsageError } from "../core/errors.ts";

export default defineCommand({
  meta: {
    name: "hook",
    description: "(internal) called by IPFire when RED goes up or down",
    hidden: true,
  },
  args: {
    event: {
      type: "positional",
      description: "up or down",
      valueHint: "up|down",
      required: true,
    },
  },
  run({ args }) {
    if (args.event !== "up" && args.event !== "down") {
      throw new UsageError(
        `hook: event must be up or down, not ${JSON.stringify(args.event)}`,
      );
    }
  },
});
