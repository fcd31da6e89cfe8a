import { defineCommand } from "citty";
import { EXIT } from "../../core/errors.ts";
import { printable } from "../../core/text/printable.ts";
import { profileStrings, validateProfile } from "../../core/schema/profile.ts";
import { profileRecord } from "../../adapters/store.ts";
import { table } from "../../ui/output.ts";
import { env, jsonArg, profileNameArg } from "../_shared.ts";
import { MASK, masked, PROFILE_JSON_VERSION } from "./_display.ts";

export default defineCommand({
  meta: { name: "show", description: "Show one profile (passwords masked)" },
  args: { ...profileNameArg, ...jsonArg },
  run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const name = ctx.args.name;
    const raw = profileRecord(paths, name);
    const result = validateProfile(raw, `profiles/${name}`);
    const shown = masked(result.ok ? profileStrings(result.value) : raw);
    if (out.json) {
      // Validated values keep their types (PRIORITY a number, lists arrays);
      // an invalid profile's keys are the file's strings.
      const keys = result.ok ? maskedValues(result.value, shown) : shown;
      out.data({
        version: PROFILE_JSON_VERSION,
        name,
        valid: result.ok,
        errors: result.ok ? [] : result.errors,
        keys,
      });
    } else {
      for (const line of table(Object.entries(shown).map(([k, v]) => [k, printable(v)]))) out.line(line);
      for (const e of result.ok ? [] : result.errors) out.warn(e);
    }
    return result.ok ? EXIT.ok : EXIT.config;
  },
});

// The typed values, with each masked key as `shown` has it.
function maskedValues(
  profile: Record<string, unknown>,
  shown: Record<string, string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(profile)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, shown[k] === MASK ? MASK : v]),
  );
}
