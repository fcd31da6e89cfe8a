// The command tree. Subcommands load lazily, so a hook invocation evaluates
// only the code it needs.

import { defineCommand } from "citty";
import { VERSION } from "../version.ts";

const subCommands = {
  enable: () => import("./enable.ts").then((m) => m.default),
  disable: () => import("./disable.ts").then((m) => m.default),
  config: () => import("./config/index.ts").then((m) => m.default),
  profile: () => import("./profile/index.ts").then((m) => m.default),
  switch: () => import("./switch.ts").then((m) => m.default),
  failback: () => import("./failback.ts").then((m) => m.default),
  recover: () => import("./recover.ts").then((m) => m.default),
  daemon: () => import("./daemon/index.ts").then((m) => m.default),
  status: () => import("./status.ts").then((m) => m.default),
  history: () => import("./history.ts").then((m) => m.default),
  hold: () => import("./hold.ts").then((m) => m.default),
  resume: () => import("./resume.ts").then((m) => m.default),
  events: () => import("./events/index.ts").then((m) => m.default),
  hook: () => import("./hook.ts").then((m) => m.default),
  install: () => import("./install.ts").then((m) => m.default),
  uninstall: () => import("./uninstall.ts").then((m) => m.default),
  help: () => import("./help.ts").then((m) => m.default),
};

export const COMMAND_NAMES = Object.keys(subCommands);

export const main = defineCommand({
  meta: {
    name: "mwan",
    version: VERSION,
    description: "Multi-WAN failover for IPFire: watches RED and switches it to a backup profile",
  },
  args: {
    root: {
      type: "string",
      description: "Act on the IPFire tree below DIR instead of / (also MWAN_ROOT)",
      valueHint: "DIR",
    },
  },
  subCommands,
});
