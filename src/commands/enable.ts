import { defineCommand } from "citty";
import { checkConfig } from "../core/config-check.ts";
import { ConfigError, EXIT } from "../core/errors.ts";
import { saveSettings } from "../adapters/store.ts";
import { configFilesOfBox } from "../switching/config-input.ts";
import { env } from "./_shared.ts";
import { start } from "./daemon/_control.ts";

export default defineCommand({
  meta: {
    name: "enable",
    description: "Turn failover on (checks the whole configuration first) and start the daemon",
  },
  args: {
    start: {
      type: "boolean",
      default: true,
      negativeDescription: "Only turn it on; the daemon starts at the next boot",
    },
  },
  async run(ctx) {
    const { paths, out } = env(ctx);
    const files = configFilesOfBox(paths);
    // Check as if already enabled, so a configuration that cannot fail over is refused.
    const report = checkConfig({
      ...files,
      settings: files.settings && { ...files.settings, ENABLED: "on" },
    });
    for (const w of report.warnings) out.warn(w);
    if (report.errors.length > 0) throw new ConfigError(report.errors);
    saveSettings(paths, { ENABLED: "on" });
    out.line(
      `mwan is enabled: primary ${report.settings?.PRIMARY}, ${Object.keys(report.profiles).length - 1} backup profile(s)`,
    );
    return ctx.args.start ? start(paths, out) : EXIT.ok;
  },
});
