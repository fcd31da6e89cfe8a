import { defineCommand } from "citty";
import { readTextIfExists } from "../adapters/files.ts";
import { readLinkFacts } from "../adapters/probe/link.ts";
import { activeProfile, readSettingsLeniently } from "../adapters/store.ts";
import { daemonPid } from "../daemon/control.ts";
import type { StatusSnapshot } from "../daemon/status.ts";
import { lockOwner } from "../switching/lock.ts";
import { readHistory, readJournal } from "../switching/state.ts";
import type { Paths } from "../adapters/paths.ts";
import { reportProblems } from "./_config-problems.ts";
import { env, jsonArg } from "./_shared.ts";
import { renderStatus, type StatusView } from "./_status-view.ts";

export default defineCommand({
  meta: {
    name: "status",
    description: "What RED is on and why, link health, recent switches, next failback trial",
  },
  args: { ...jsonArg },
  async run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const reading = readSettingsLeniently(paths);
    const settings = reading.settings;
    const pid = daemonPid(paths);
    const live = pid === undefined ? undefined : readSnapshot(readTextIfExists(paths.statusFile), pid);
    // History before state/active: a switch writes state/active first, so the
    // profile shown is never older than the last switch listed. The daemon's
    // snapshot can lag a switch by a moment, so it does not name the profile.
    const history = readHistory(paths).slice(-10);
    const active = activeProfile(paths) ?? live?.active ?? null;
    const view: StatusView = {
      now: Date.now(),
      unfinished: unfinishedSwitch(paths),
      enabled: settings.ENABLED === "on",
      daemon: pid === undefined ? null : { pid, startedAt: live?.startedAt ?? null },
      primary: settings.PRIMARY ?? null,
      active,
      red: readLinkFacts(paths.root),
      live: live ?? null,
      history,
    };
    if (out.json) out.data(view);
    else for (const line of renderStatus(view, out)) out.line(line);
    return reportProblems(out, reading);
  },
});

// A switch journal: one in progress (its lock holder alive), or one that was
// cut short and waits for `mwan recover`.
function unfinishedSwitch(paths: Paths): StatusView["unfinished"] {
  let journal: ReturnType<typeof readJournal>;
  try {
    journal = readJournal(paths);
  } catch {
    return { from: null, to: null, startedAt: null, pid: null };
  }
  if (!journal) return null;
  const pid = lockOwner(paths, paths.lock) ?? null;
  return { from: journal.from ?? null, to: journal.to, startedAt: journal.startedAt, pid };
}

// Only a snapshot written by the running daemon counts.
function readSnapshot(text: string | undefined, pid: number): StatusSnapshot | undefined {
  try {
    const snap = text === undefined ? undefined : (JSON.parse(text) as StatusSnapshot);
    return snap?.version === 2 && snap.pid === pid ? snap : undefined;
  } catch {
    return undefined;
  }
}
