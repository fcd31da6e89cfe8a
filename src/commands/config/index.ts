import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "config",
    description: "Show, change and check mwan's global settings",
  },
  subCommands: {
    show: () => import("./show.ts").then((m) => m.default),
    get: () => import("./get.ts").then((m) => m.default),
    set: () => import("./set.ts").then((m) => m.default),
    unset: () => import("./unset.ts").then((m) => m.default),
    check: () => import("./check.ts").then((m) => m.default),
  },
});
