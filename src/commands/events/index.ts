import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "events",
    description: "Try the event scripts in events.d and the event mail",
  },
  subCommands: {
    test: () => import("./test.ts").then((m) => m.default),
  },
});
