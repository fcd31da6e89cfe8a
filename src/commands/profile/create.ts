import { defineCommand } from "citty";
import { ConfigError } from "../../core/errors.ts";
import type { Paths } from "../../adapters/paths.ts";
import { listProfiles, profileExists, readSettingsLeniently, saveProfile } from "../../adapters/store.ts";
import { profileKeys } from "../../switching/red-profile.ts";
import { terminalPrompter } from "../../adapters/prompt.ts";
import { env, profileNameArg } from "../_shared.ts";
import { compose } from "./_compose.ts";
import { fieldArgs } from "./_fields.ts";
import { diff, givenKeys } from "./_input.ts";
import { reloadDaemon } from "../_reload.ts";

export default defineCommand({
  meta: {
    name: "create",
    description: "Create a backup profile; asks on a terminal, otherwise takes everything from options",
  },
  args: { ...profileNameArg, ...fieldArgs },
  async run(ctx) {
    const { paths, out } = env(ctx);
    const name = ctx.args.name;
    if (profileExists(paths, name))
      throw new ConfigError(`profiles/${name}: profile already exists (use mwan profile edit)`);
    const given = await givenKeys(ctx.args, out.warn);
    const prompter = ctx.args["password-stdin"] ? undefined : terminalPrompter();
    try {
      const keys = await compose(paths, out, {
        name,
        base: {},
        given,
        suggested: prompter ? nextPriority(paths) : undefined,
        prompter,
        askAll: true,
      });
      const profile = saveProfile(paths, name, diff({}, keys), {
        create: true,
      });
      out.line(`profile ${name} created (${profile.TYPE}, priority ${profile.PRIORITY})`);
      reloadDaemon(paths, out);
    } finally {
      prompter?.close();
    }
  },
});

// The priority a new backup is offered on a terminal: after those there
// are, so no two share one (config check warns about that); with none yet,
// the schema's default.
function nextPriority(paths: Paths): Record<string, string> {
  const primary = readSettingsLeniently(paths).settings.PRIMARY;
  const taken = listProfiles(paths)
    .names.filter((n) => n !== primary)
    .map((n) => Number(profileKeys(paths, n)?.PRIORITY))
    .filter((p) => Number.isInteger(p));
  return taken.length === 0 ? {} : { PRIORITY: String(Math.min(Math.max(...taken) + 1, 99)) };
}
