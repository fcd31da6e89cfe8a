import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "daemon",
    description: "Start, stop or run the failover daemon",
  },
  subCommands: {
    start: () => import("./start.ts").then((m) => m.default),
    stop: () => import("./stop.ts").then((m) => m.default),
    restart: () => import("./restart.ts").then((m) => m.default),
    status: () => import("./status.ts").then((m) => m.default),
    run: () => import("./run.ts").then((m) => m.default),
  },
});
