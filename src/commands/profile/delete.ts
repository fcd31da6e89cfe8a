import { defineCommand } from "citty";
import { ConfigError } from "../../core/errors.ts";
import { activeProfile, deleteProfile, loadSettings, profileExists } from "../../adapters/store.ts";
import { env, profileNameArg } from "../_shared.ts";
import { reloadDaemon } from "../_reload.ts";

export default defineCommand({
  meta: {
    name: "delete",
    description: "Delete a profile (not the active one, not the primary)",
  },
  args: { ...profileNameArg },
  run(ctx) {
    const { paths, out } = env(ctx);
    const name = ctx.args.name;
    // Existence only: a profile too broken to parse can still be deleted.
    if (!profileExists(paths, name))
      throw new ConfigError(`profiles/${name}: no such profile (see mwan profile list)`);
    if (activeProfile(paths) === name) {
      throw new ConfigError(`profiles/${name}: RED is using this profile now; switch to another one first`);
    }
    if (loadSettings(paths).PRIMARY === name) {
      throw new ConfigError(
        `profiles/${name}: this is the primary; set another with mwan config set PRIMARY NAME first`,
      );
    }
    deleteProfile(paths, name);
    out.line(`profile ${name} deleted`);
    reloadDaemon(paths, out);
  },
});
