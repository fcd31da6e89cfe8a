import { defineCommand } from "citty";
import { ConfigError, EXIT, MwanError } from "../core/errors.ts";
import type { Paths } from "../adapters/paths.ts";
import { activeProfile, listProfiles, loadSettings } from "../adapters/store.ts";
import { startDaemon, stopDaemon } from "../daemon/control.ts";
import { shown } from "../install/apply.ts";
import { readManifest } from "../install/manifest.ts";
import { planInstall } from "../install/plan.ts";
import { removeInstall } from "../install/remove.ts";
import { lockOwner } from "../switching/lock.ts";
import { recoverInterrupted } from "../switching/recover.ts";
import { readJournal } from "../switching/state.ts";
import { switchRed } from "../switching/switch-red.ts";
import type { Output } from "../ui/output.ts";
import { confirmDestructive, yesArg } from "./_confirm.ts";
import { env } from "./_shared.ts";
import { limits, switchDeps, uninterrupted } from "./_switch.ts";
import { stopTimeoutMs } from "./daemon/_control.ts";

// The backup profile RED is on, if it is not on the primary.
function backupInUse(paths: Paths): string | undefined {
  const active = activeProfile(paths);
  return active !== undefined && active !== loadSettings(paths).PRIMARY ? active : undefined;
}

function refusal(profile: string): MwanError {
  return new MwanError(`RED is on backup profile ${profile}; run mwan failback first or pass --failback`);
}

// A journal means a switch has not finished. Its lock holder alive, one is in
// progress; dead (kill -9, power loss), IPFire's files may be half-switched
// and state/active may name either profile, and nothing would ever recover
// them once mwan is gone.
function refuseUnfinishedSwitch(paths: Paths): void {
  if (!readJournal(paths)) return;
  const pid = lockOwner(paths, paths.lock);
  throw new MwanError(
    pid !== undefined
      ? `another mwan (pid ${pid}) is switching RED; try again when it is done`
      : "state/journal: a switch was interrupted and IPFire's RED files may be half-switched; run mwan recover first or pass --failback",
  );
}

// Without mwan nothing would ever bring RED back to the primary, so leaving
// RED on a backup needs the operator's word. An interrupted switch is
// recovered first: only then does state/active say which profile RED is on.
async function leaveBackup(paths: Paths, out: Output, failback: boolean): Promise<void> {
  if (failback) await recoverInterrupted(switchDeps(paths, out), limits(paths));
  // Again now that the daemon has stopped: one killed at the stop timeout leaves its switch.
  else refuseUnfinishedSwitch(paths);
  const backup = backupInUse(paths);
  if (backup === undefined) return;
  if (!failback) throw refusal(backup);
  const primary = loadSettings(paths).PRIMARY;
  if (!primary) throw new ConfigError("settings: PRIMARY: not set, so there is nothing to fail back to");
  out.line(`switching RED back to the primary, ${primary}`);
  const r = await switchRed(switchDeps(paths, out), {
    to: primary,
    reason: "operator: mwan uninstall --failback",
    rollback: true,
    ...limits(paths),
  });
  if (!r.ok) throw new MwanError(`failback failed: ${r.reason}; nothing was uninstalled`);
}

// Profiles hold what no other file has (a password, an APN): asked for by
// name, before anything is stopped or removed.
async function confirmPurge(paths: Paths, yes: boolean): Promise<void> {
  const { names } = listProfiles(paths);
  const which = names.length === 1 ? "profile" : "profiles";
  const profiles = names.length > 0 ? ` with ${which} ${names.join(", ")} and any passwords in them` : "";
  await confirmDestructive(`Remove mwan, its logs and its configuration${profiles}?`, {
    yes,
    what: "uninstall --purge",
    declined: "aborted, nothing uninstalled",
  });
}

export default defineCommand({
  meta: {
    name: "uninstall",
    description: "Remove what mwan install added (the configuration stays unless --purge)",
  },
  args: {
    purge: {
      type: "boolean",
      description: "Also remove the configuration (/var/ipfire/mwan) and the logs (/var/log/mwan.log*)",
    },
    failback: {
      type: "boolean",
      description:
        "If RED is on a backup profile, switch it back to the primary first (an interrupted switch is recovered before)",
    },
    ...yesArg,
  },
  async run(ctx) {
    const { paths, out } = env(ctx);
    const manifest = readManifest(paths);
    // Refused before the daemon is stopped, so a refusal changes nothing.
    if (!ctx.args.failback) {
      refuseUnfinishedSwitch(paths);
      const backup = backupInUse(paths);
      if (backup !== undefined) throw refusal(backup);
    }
    if (ctx.args.purge) await confirmPurge(paths, ctx.args.yes === true);
    // Stopped first, so it neither fails over behind our back nor fights
    // the failback; it comes back if uninstall goes no further.
    const pid = await stopDaemon(paths, stopTimeoutMs(paths));
    if (pid !== undefined) out.line(`stopped the daemon (pid ${pid})`);
    let code: number;
    try {
      code = await uninterrupted(out, async () => {
        await leaveBackup(paths, out, ctx.args.failback === true);
        return EXIT.ok;
      });
    } catch (err) {
      if (pid !== undefined) await startDaemon(paths, paths.binary);
      throw err;
    }
    // Interrupted: the failback is done, the uninstall was not asked to go on.
    if (code !== EXIT.ok) {
      if (pid !== undefined) await startDaemon(paths, paths.binary);
      out.note("mwan: interrupted; nothing was uninstalled");
      return code;
    }
    const outcomes = removeInstall(
      paths,
      planInstall(paths, paths.binary),
      manifest,
      ctx.args.purge === true,
    );
    for (const o of outcomes) out.line(o.line);
    out.line(
      ctx.args.purge
        ? "mwan is uninstalled, with its configuration and logs"
        : `mwan is uninstalled; its configuration stays in ${shown(paths, paths.mwanDir)} (--purge removes it)`,
    );
    return EXIT.ok;
  },
});
