import { defineCommand } from "citty";
import { EXIT } from "../core/errors.ts";
import { readSettingsLeniently } from "../adapters/store.ts";
import { gatherStatus } from "../daemon/status-model.ts";
import { reportProblems } from "./_config-problems.ts";
import { env, jsonArg } from "./_shared.ts";
import { renderStatus } from "./_status-view.ts";

export default defineCommand({
  meta: {
    name: "status",
    description: "What RED is on and why, link health, recent switches, next failback trial",
  },
  args: { ...jsonArg },
  run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const reading = readSettingsLeniently(paths);
    const settings = reading.settings;
    const model = gatherStatus(paths, {
      enabled: settings.ENABLED === "on",
      primary: settings.PRIMARY ?? null,
    });
    if (out.json) out.data(model);
    else for (const line of renderStatus(model, out)) out.line(line);
    const problems = reportProblems(out, reading);
    if (problems !== EXIT.ok) return problems;
    // Like `daemon status` (and systemctl): 3 when nothing watches RED though
    // mwan is enabled, so a monitoring check notices; 1 for a cut-short switch.
    if (model.interrupted) return EXIT.failure;
    return model.enabled && model.daemon === null ? EXIT.config : EXIT.ok;
  },
});
