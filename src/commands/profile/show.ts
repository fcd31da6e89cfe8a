import { defineCommand } from "citty";
import { EXIT } from "../../core/errors.ts";
import { printable } from "../../core/text/printable.ts";
import { validateProfile } from "../../core/schema/profile.ts";
import { profileRecord } from "../../adapters/store.ts";
import { table } from "../../ui/output.ts";
import { env, jsonArg, profileNameArg } from "../_shared.ts";
import { masked, stringify } from "./_display.ts";

export default defineCommand({
  meta: { name: "show", description: "Show one profile (passwords masked)" },
  args: { ...profileNameArg, ...jsonArg },
  run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const name = ctx.args.name;
    const raw = profileRecord(paths, name);
    const result = validateProfile(raw, `profiles/${name}`);
    const shown = masked(result.ok ? stringify(result.value) : raw);
    if (out.json) {
      out.data({ name, valid: result.ok, errors: result.ok ? [] : result.errors, keys: shown });
    } else {
      for (const line of table(Object.entries(shown).map(([k, v]) => [k, printable(v)]))) out.line(line);
      for (const e of result.ok ? [] : result.errors) out.warn(e);
    }
    return result.ok ? EXIT.ok : EXIT.config;
  },
});
