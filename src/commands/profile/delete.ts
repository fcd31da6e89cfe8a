import { defineCommand } from "citty";
import { ConfigError } from "../../core/errors.ts";
import { pathExists } from "../../adapters/files.ts";
import {
  activeProfile,
  deleteProfile,
  loadSettings,
  noSuchProfile,
  profileExists,
} from "../../adapters/store.ts";
import { acquireLock } from "../../switching/lock.ts";
import { readJournal } from "../../switching/state.ts";
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
    if (!profileExists(paths, name)) throw noSuchProfile(name);
    // Under the switch lock: a switch to the profile cannot begin or be
    // under way while it goes, so state/active never names a deleted one.
    // Without state/ no switch holds the lock (taking it makes state/), and
    // a refused delete leaves the tree as it was.
    const lock = pathExists(paths.stateDir) ? acquireLock(paths) : undefined;
    try {
      const journal = readJournal(paths);
      if (journal && (journal.to === name || journal.from === name))
        throw new ConfigError(
          `profiles/${name}: an interrupted switch involves this profile; run mwan recover first`,
        );
      if (activeProfile(paths) === name)
        throw new ConfigError(`profiles/${name}: RED is using this profile now; switch to another one first`);
      if (loadSettings(paths).PRIMARY === name)
        throw new ConfigError(
          `profiles/${name}: this is the primary; set another with mwan config set PRIMARY NAME first`,
        );
      deleteProfile(paths, name);
    } finally {
      lock?.release();
    }
    out.line(`profile ${name} deleted`);
    reloadDaemon(paths, out);
  },
});
