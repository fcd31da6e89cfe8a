// `mwan help [COMMAND [SUBCOMMAND]]`: the same help as --help. Only what it
// takes is declared here; cli.ts answers it, because it reads the whole
// command tree, which a command below main.ts cannot import.

import { defineCommand } from "citty";

export default defineCommand({
  meta: { name: "help", description: "Show the help of mwan or of a command (the same as --help)" },
  args: {
    command: {
      type: "positional",
      description: "A command, e.g. profile",
      valueHint: "COMMAND",
      required: false,
    },
    subcommand: {
      type: "positional",
      description: "One of its commands, e.g. create",
      valueHint: "SUBCOMMAND",
      required: false,
    },
  },
});
