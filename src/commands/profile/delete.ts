import { defineCommand } from "citty";
import { ConfigError } from "../../core/errors.ts";
import type { Paths } from "../../adapters/paths.ts";
import { pathExists } from "../../adapters/files.ts";
import {
  deleteProfile,
  loadSettings,
  noSuchProfile,
  profileExists,
  profileRecord,
  recordedActive,
} from "../../adapters/store.ts";
import { acquireLock } from "../../switching/lock.ts";
import { profileOnRed } from "../../switching/red-profile.ts";
import { readJournal } from "../../switching/state.ts";
import { env, profileNameArg } from "../_shared.ts";
import { confirmDestructive, yesArg } from "../_confirm.ts";
import { reloadDaemon } from "../_reload.ts";

export default defineCommand({
  meta: {
    name: "delete",
    description: "Delete a profile (not the active one, not the primary)",
  },
  args: { ...profileNameArg, ...yesArg },
  async run(ctx) {
    const { paths, out } = env(ctx);
    const name = ctx.args.name;
    // Existence only: a profile too broken to parse can still be deleted.
    if (!profileExists(paths, name)) throw noSuchProfile(name);
    // Before the question, so the admin is not asked about what cannot go.
    refuseInUse(paths, name);
    await confirmDestructive(
      `Delete profile ${name}${holdsPassword(paths, name) ? " and its password" : ""}?`,
      {
        yes: ctx.args.yes === true,
        what: `deleting profile ${name}`,
        declined: `aborted, profile ${name} kept`,
      },
    );
    // Under the switch lock: a switch to the profile cannot begin or be
    // under way while it goes, so state/active never names a deleted one.
    // Without state/ no switch holds the lock (taking it makes state/), and
    // a refused delete leaves the tree as it was. Not held while the admin
    // reads the question: the daemon may have to switch meanwhile.
    const lock = pathExists(paths.stateDir) ? acquireLock(paths) : undefined;
    try {
      // Only under the lock does a journal mean an interrupted switch, not one under way.
      const journal = readJournal(paths);
      if (journal && (journal.to === name || journal.from === name))
        throw new ConfigError(
          `profiles/${name}: an interrupted switch involves this profile; run mwan recover first`,
        );
      refuseInUse(paths, name);
      deleteProfile(paths, name);
    } finally {
      lock?.release();
    }
    out.line(`profile ${name} deleted`);
    reloadDaemon(paths, out);
  },
});

function refuseInUse(paths: Paths, name: string): void {
  const primary = loadSettings(paths).PRIMARY;
  const recorded = recordedActive(paths);
  if (recorded === name)
    throw new ConfigError(`profiles/${name}: RED is using this profile now; switch to another one first`);
  // mwan never switched RED: it is on the profile its files are, which need
  // not be the PRIMARY (config set PRIMARY --force).
  if (recorded === null && profileOnRed(paths, primary) === name)
    throw new ConfigError(
      `profiles/${name}: RED is using this profile now (its configuration is IPFire's RED); switch to another one first`,
    );
  if (primary === name)
    throw new ConfigError(
      `profiles/${name}: this is the primary; set another with mwan config set PRIMARY NAME first`,
    );
}

// A password cannot be read back from anywhere once its profile is gone.
function holdsPassword(paths: Paths, name: string): boolean {
  try {
    return (profileRecord(paths, name).PASSWORD ?? "") !== "";
  } catch {
    return false; // too broken to read: asked about as a plain profile
  }
}
