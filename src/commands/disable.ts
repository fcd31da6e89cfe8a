import { defineCommand } from "citty";
import { saveSettings } from "../adapters/store.ts";
import { env } from "./_shared.ts";

export default defineCommand({
  meta: {
    name: "disable",
    description: "Turn failover off; RED stays on the profile it is on",
  },
  run(ctx) {
    const { paths, out } = env(ctx);
    saveSettings(paths, { ENABLED: "off" });
    out.line("mwan is disabled");
  },
});
