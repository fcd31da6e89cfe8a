// The one picture of mwan's state that `mwan status`, `mwan status --json`
// and any later view (a web page) are made from: what the daemon published,
// mwan's own records in state/, and RED's files and facts, read once and
// put in plain data with ISO 8601 times. `headline` says in words what is
// wrong and what mwan does about it; the text rendering is
// commands/_status-view.ts.

import { readTextIfExists } from "../adapters/files.ts";
import { ipfireSystem } from "../adapters/ipfire-system.ts";
import type { Paths } from "../adapters/paths.ts";
import { readLinkFacts } from "../adapters/probe/link.ts";
import { activeProfile, listProfiles } from "../adapters/store.ts";
import { captureRedTexts } from "../core/ipfire/capture.ts";
import { redMismatch } from "../core/ipfire/red-match.ts";
import { duration, isoTime } from "../core/text/time.ts";
import { lockOwner } from "../switching/lock.ts";
import { profileKeys, profilesMatching } from "../switching/red-profile.ts";
import { type HistoryEntry, readHistory, readHold, readJournal } from "../switching/state.ts";
import { daemonPid } from "./control.ts";
import { readSnapshot, type SideSnapshot, type StatusSnapshot } from "./status.ts";

export const STATUS_SCHEMA_VERSION = 1;
// Switches `mwan status` lists; `mwan history` lists every one kept.
const RECENT_SWITCHES = 10;

export interface SwitchView {
  number: number; // `mwan history NUMBER`: 1 is the oldest kept
  at: string;
  from: string | null;
  to: string;
  ok: boolean;
  reason: string;
  result: string;
  seconds: number;
}

export interface StatusModel {
  version: typeof STATUS_SCHEMA_VERSION;
  time: string;
  headline: string;
  // The admin must act: nothing watches RED though mwan is enabled, or a
  // switch was cut short. `mwan status` then exits non-zero.
  attention: boolean;
  enabled: boolean;
  daemon: { pid: number; startedAt: string | null } | null;
  hold: { since: string | null } | null;
  primary: string | null;
  active: string | null;
  activeSince: string | null;
  red: {
    iface: string | null;
    address: string | null;
    gateway: string | null;
    up: boolean;
    carrier: boolean | null;
    // How IPFire's RED differs from the profile `active` names; null when
    // it matches (or cannot be compared).
    mismatch: string | null;
    // With a mismatch: another profile RED's configuration is, if any.
    matches: string | null;
  };
  health: { state: "unproven" | "up" | "down"; since: string; reason: string } | null;
  probeProblem: string | null;
  switching: { from: string | null; to: string | null; since: string | null; reason: string | null } | null;
  interrupted: { from: string | null; to: string | null; at: string | null } | null;
  failback: {
    nextTrialAt: string | null;
    // When RED goes back to a primary healthy from the side, no trial needed.
    backAt: string | null;
    failedTrials: number;
    waitingFor: string | null;
    trialUntil: string | null;
  } | null;
  noUplink: { failed: string[]; nextAttemptAt: string } | null;
  profiles: {
    name: string;
    role: "primary" | "backup";
    priority: number;
    metered: boolean;
    carriesRed: boolean;
    carrier: boolean | null;
    lastFailedAt: string | null;
    // Its watch through its own NIC while it does not carry RED; null when
    // not watched (carries RED, QMI, a PPPoE backup, SIDE_WATCH=off).
    side: SideView | null;
  }[];
  targets: {
    target: string;
    sent: number;
    lossPct: number | null;
    rttAvgMs: number | null;
    jitterMs: number | null;
  }[];
  switches: { kept: number; recent: SwitchView[] };
}

export interface SideView {
  mode: "probes" | "discovery";
  status: "running" | "unavailable";
  since: string;
  reason: string;
  health: { state: "unproven" | "up" | "down"; since: string; reason: string };
  // Start of the current run of passed rounds (what failback counts from).
  goodSince: string | null;
  // Averages over the targets that have samples (null: none yet).
  lossPct: number | null;
  rttAvgMs: number | null;
  targets: {
    target: string;
    sent: number;
    lossPct: number | null;
    rttAvgMs: number | null;
    rttLastMs: number | null;
  }[];
}

// What the model is made of, read from the box (gatherStatus) or given.
export interface StatusInputs {
  now: number;
  enabled: boolean;
  primary: string | null;
  pid: number | null;
  live: StatusSnapshot | null;
  active: string | null;
  red: ReturnType<typeof readLinkFacts>;
  history: HistoryEntry[];
  heldOnDisk: { since: number } | null;
  journal: { from: string | null; to: string | null; startedAt: number | null; pid: number | null } | null;
  mismatch: { why: string; matches: string | null } | null;
}

export function gatherStatus(
  paths: Paths,
  settings: { enabled: boolean; primary: string | null },
): StatusModel {
  const pid = daemonPid(paths) ?? null;
  const live = pid === null ? null : (readSnapshot(readTextIfExists(paths.statusFile), pid) ?? null);
  // History before state/active: a switch writes state/active first, so the
  // profile shown is never older than the last switch listed.
  const history = readHistory(paths);
  const active = activeProfile(paths) ?? live?.active ?? null;
  const journal = unfinishedSwitch(paths);
  return statusModel({
    now: Date.now(),
    ...settings,
    pid,
    live,
    active,
    red: readLinkFacts(paths.root),
    history,
    heldOnDisk: heldOnDisk(paths),
    journal,
    mismatch: active === null || journal !== null || live?.inFlight ? null : mismatchWith(paths, active),
  });
}

// The daemon says whether it holds; without one, state/hold (unreadable:
// not held, as the daemon takes it).
function heldOnDisk(paths: Paths): { since: number } | null {
  try {
    return readHold(paths) ?? null;
  } catch {
    return null;
  }
}

// A switch journal: one in progress (its lock holder alive), or one that was
// cut short and waits for `mwan recover`.
function unfinishedSwitch(paths: Paths): StatusInputs["journal"] {
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

function mismatchWith(paths: Paths, active: string): StatusInputs["mismatch"] {
  const profile = profileKeys(paths, active);
  if (!profile) return null;
  let red: Record<string, string>;
  try {
    red = captureRedTexts(ipfireSystem(paths).readRedFiles());
  } catch (err) {
    // IPFire's RED files hold something mwan cannot take for any profile.
    return { why: err instanceof Error ? err.message : String(err), matches: null };
  }
  const m = redMismatch(profile, red);
  if (m === undefined) return null;
  const why = `RED is ${m.red}; profile ${active} is ${m.profile}`;
  const others = listProfiles(paths).names.filter((n) => n !== active);
  return { why, matches: profilesMatching(paths, red, others)[0] ?? null };
}

// "failover: dsl down: …" → "dsl down: …": the kind is mwan's word, and
// "operator" is the admin.
const KIND = /^(failover|failback|return|rescue|retry): /;
const plainReason = (reason: string) => reason.replace(KIND, "").replace(/^operator: /, "by the admin: ");

export function switchView(h: HistoryEntry, number: number): SwitchView {
  return {
    number,
    at: isoTime(h.at),
    from: h.from ?? null,
    to: h.to,
    ok: h.ok,
    reason: h.reason,
    result: h.result,
    seconds: Math.round(h.ms / 100) / 10,
  };
}

export function statusModel(i: StatusInputs): StatusModel {
  const { live, now } = i;
  const iso = (t: number | null | undefined) => (t ? isoTime(t) : null);
  // "since" is the switch that put RED there, not a daemon start or reload.
  const landed = i.history.findLast((h) => h.ok && h.to === i.active);
  const activeSince = landed ? landed.at + landed.ms : live?.active === i.active ? live.activeSince : null;
  const held = live ? (live.hold ? { since: i.heldOnDisk?.since || null } : null) : i.heldOnDisk;
  const inFlight = live?.inFlight;
  const j = i.journal;
  const switching = inFlight
    ? { from: inFlight.from, to: inFlight.to, since: iso(inFlight.at), reason: plainReason(inFlight.reason) }
    : j && j.pid !== null
      ? { from: j.from, to: j.to, since: iso(j.startedAt), reason: null }
      : null;
  const fb = live?.failback;
  const rescue = live?.rescue;
  const failed = (name: string) => i.history.findLast((h) => h.to === name && !h.ok);
  const model: StatusModel = {
    version: STATUS_SCHEMA_VERSION,
    time: isoTime(now),
    headline: "",
    attention: (i.enabled && i.pid === null) || (j !== null && j.pid === null),
    enabled: i.enabled,
    daemon: i.pid === null ? null : { pid: i.pid, startedAt: iso(live?.startedAt) },
    hold: held ? { since: iso(held.since) } : null,
    primary: i.primary,
    active: i.active,
    activeSince: iso(activeSince),
    red: {
      iface: i.red.iface,
      address: i.red.localAddress,
      gateway: i.red.gateway,
      up: i.red.active,
      carrier: i.red.carrier,
      mismatch: i.mismatch?.why ?? null,
      matches: i.mismatch?.matches ?? null,
    },
    health: live
      ? { state: live.health.state, since: isoTime(live.health.since), reason: live.health.reason }
      : null,
    probeProblem: live?.probeProblem ?? null,
    switching,
    interrupted: j && j.pid === null ? { from: j.from, to: j.to, at: iso(j.startedAt) } : null,
    failback:
      fb && (fb.nextTrialAt || fb.probationUntil || fb.sideBackAt)
        ? {
            nextTrialAt: iso(fb.nextTrialAt),
            backAt: iso(fb.sideBackAt),
            failedTrials: fb.failedTrials,
            waitingFor: fb.deferred,
            trialUntil: iso(fb.probationUntil),
          }
        : null,
    noUplink: rescue?.retryAt ? { failed: [...rescue.failed], nextAttemptAt: isoTime(rescue.retryAt) } : null,
    profiles: (live?.profiles ?? []).map((p) => ({
      name: p.name,
      role: p.primary ? "primary" : "backup",
      priority: p.priority,
      metered: p.metered,
      carriesRed: p.name === i.active,
      carrier: p.name === i.active ? i.red.carrier : (p.carrier ?? null),
      lastFailedAt: iso(failed(p.name)?.at),
      side: p.name === i.active ? null : sideView(live?.side?.[p.name]),
    })),
    targets: (live?.targets ?? []).map((t) => ({
      target: t.target,
      sent: t.sent,
      lossPct: t.lossPct,
      rttAvgMs: t.rttAvgMs,
      jitterMs: t.jitterMs,
    })),
    switches: {
      kept: i.history.length,
      recent: i.history
        .map((h, n) => switchView(h, n + 1))
        .slice(-RECENT_SWITCHES)
        .reverse(),
    },
  };
  return { ...model, headline: headline(model, i, activeSince) };
}

function sideView(w: SideSnapshot | undefined): SideView | null {
  if (!w) return null;
  const mean = (xs: (number | null)[]) => {
    const known = xs.filter((x): x is number => x !== null);
    return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
  };
  return {
    mode: w.mode,
    status: w.status,
    since: isoTime(w.statusSince),
    reason: w.statusReason,
    health: { state: w.health, since: isoTime(w.healthSince), reason: w.healthReason },
    goodSince: w.goodSince === null ? null : isoTime(w.goodSince),
    lossPct: mean(w.targets.map((t) => t.lossPct)),
    rttAvgMs: mean(w.targets.map((t) => t.rttAvgMs)),
    targets: w.targets.map((t) => ({
      target: t.target,
      sent: t.sent,
      lossPct: t.lossPct,
      rttAvgMs: t.rttAvgMs,
      rttLastMs: t.lastRttMs,
    })),
  };
}

// What the headline says of failback while on a backup: by the side watch
// when it runs probes on the primary, else by trials.
function failbackWords(m: StatusModel, live: StatusSnapshot, now: number): string {
  const fb = live.failback;
  const primary = m.primary ?? "the primary";
  const w = m.profiles.find((x) => x.name === m.primary)?.side;
  if (w?.status === "running" && w.mode === "probes") {
    if (fb.sideBackAt) {
      const good = w.goodSince
        ? `: healthy from the side for ${duration(now - Date.parse(w.goodSince))}`
        : "";
      return `; back to ${primary} in ${duration(fb.sideBackAt - now)}${good}`;
    }
    if (w.health.state === "down") return `; ${primary} down from the side: no trial`;
    if (fb.deferred) return `; failback to ${primary} waits: ${fb.deferred}`;
    return `; ${primary} watched from the side${w.health.state === "up" ? ", healthy" : ", not proven yet"}`;
  }
  if (fb.deferred) return `; failback to ${primary} waits: ${fb.deferred}`;
  if (fb.nextTrialAt) return `; failback trial of ${primary} in ${duration(fb.nextTrialAt - now)}`;
  return "";
}

// The first line of `mwan status`: the one thing the admin must know now.
function headline(m: StatusModel, i: StatusInputs, since: number | null): string {
  const { live, now } = i;
  const active = m.active ?? "an unknown profile";
  const onBackup = m.active !== null && m.active !== m.primary;
  const where = onBackup ? `backup ${active}` : active;
  const inMs = (t: number) => duration(t - now);
  if (m.interrupted) {
    const what = m.interrupted.to
      ? `the switch ${m.interrupted.from ?? "?"} -> ${m.interrupted.to}`
      : "a switch";
    return `${what} was cut short: IPFire's RED files may be half-switched; run mwan recover`;
  }
  if (!m.enabled) return "mwan is disabled: nothing switches automatically (mwan enable)";
  if (m.daemon === null)
    return "the daemon is not running: nothing will fail over or back (mwan daemon start)";
  if (m.switching) {
    const why = m.switching.reason ? `: ${m.switching.reason}` : "";
    return `switching ${m.switching.from ?? "?"} -> ${m.switching.to ?? "?"}${why}`;
  }
  if (!live) return `the daemon (pid ${m.daemon.pid}) is starting`;
  const down = live.health.state === "down" ? `; ${active} is down (${live.health.reason})` : "";
  if (m.hold) {
    const then = onBackup ? "to let it fail back" : "to let mwan switch again";
    return `held on ${active} by the admin${down} (mwan resume ${then})`;
  }
  if (live.rescue?.retryAt)
    return `no working uplink: ${live.rescue.failed.join(", ")} failed; next attempt in ${inMs(live.rescue.retryAt)}`;
  if (m.probeProblem && live.health.state !== "down")
    return `probes cannot run (${m.probeProblem}): mwan cannot tell whether ${active} works`;
  const fb = live.failback;
  if (onBackup) {
    const landed = i.history.findLast((h) => h.ok && h.to === m.active);
    const why = landed ? ` (${plainReason(landed.reason)})` : "";
    const time = since ? ` for ${duration(now - since)}` : "";
    const next = failbackWords(m, live, now);
    const proof = live.health.state === "unproven" ? `, not proven yet` : "";
    return `on ${where}${time}${why}${proof}${next}`;
  }
  if (fb.probationUntil)
    return `trying ${active} again: it must stay healthy for ${inMs(fb.probationUntil)} more, or RED goes back`;
  if (live.health.state === "up") return `on ${active} (primary), healthy`;
  if (live.health.state === "unproven")
    return `on ${active} (primary), not proven yet: ${live.health.reason}`;
  return `${active} is down (${live.health.reason})`;
}
