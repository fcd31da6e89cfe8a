import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "profile",
    description: "Create, inspect and change connection profiles",
  },
  subCommands: {
    create: () => import("./create.ts").then((m) => m.default),
    list: () => import("./list.ts").then((m) => m.default),
    show: () => import("./show.ts").then((m) => m.default),
    edit: () => import("./edit.ts").then((m) => m.default),
    delete: () => import("./delete.ts").then((m) => m.default),
    "import-current": () => import("./import-current.ts").then((m) => m.default),
    test: () => import("./test.ts").then((m) => m.default),
  },
});
