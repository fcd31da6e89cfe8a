import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";
import { profileRecord, saveProfile } from "../../adapters/store.ts";
import { terminalPrompter } from "../../adapters/prompt.ts";
import { env, profileNameArg } from "../_shared.ts";
import { compose } from "./_compose.ts";
import { fieldArgs } from "./_fields.ts";
import { diff, givenKeys } from "./_input.ts";
import { reloadDaemon } from "../_reload.ts";

export default defineCommand({
  meta: {
    name: "edit",
    description: "Change a profile: the options given, or every field in turn on a terminal",
  },
  args: { ...profileNameArg, ...fieldArgs },
  async run(ctx) {
    const { paths, out } = env(ctx);
    const name = ctx.args.name;
    const base = profileRecord(paths, name);
    const given = await givenKeys(ctx.args, out.warn);
    const askAll = Object.keys(given).length === 0;
    const prompter = askAll ? terminalPrompter() : undefined;
    if (askAll && !prompter) throw new UsageError("profile edit: give the options to change (see --help)");
    try {
      const keys = await compose(paths, out, {
        name,
        base,
        given,
        prompter,
        askAll,
      });
      saveProfile(paths, name, diff(base, keys), { create: false });
      out.line(`profile ${name} saved`);
      reloadDaemon(paths, out);
    } finally {
      prompter?.close();
    }
  },
});
