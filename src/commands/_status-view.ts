// `mwan status` for a person: the state at a glance, then the details.

import { printable as p } from "../core/text/printable.ts";
import type { LinkFacts } from "../adapters/probe/types.ts";
import type { StatusSnapshot } from "../daemon/status.ts";
import type { HistoryEntry } from "../switching/state.ts";
import { type Output, table } from "../ui/output.ts";

export interface StatusView {
  now: number;
  enabled: boolean;
  daemon: { pid: number; startedAt: number | null } | null;
  primary: string | null;
  active: string | null;
  red: LinkFacts;
  live: StatusSnapshot | null;
  history: HistoryEntry[];
  // state/journal: a switch not finished (to null: a journal mwan cannot read).
  unfinished: {
    from: string | null;
    to: string | null;
    startedAt: number | null;
    pid: number | null;
  } | null;
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

// Status must read at a glance in a terminal: long reasons are cut.
const WIDTH = 100;
const fit = (line: string) => (line.length <= WIDTH ? line : `${line.slice(0, WIDTH - 1)}…`);

const clock = (t: number) => new Date(t).toTimeString().slice(0, 8);
const ms = (v: number | null) => (v === null ? "-" : `${v.toFixed(1)} ms`);

// One line a profile: what it is, and what mwan knows of it now — the link
// RED carries, the carrier of a standby NIC, the last switch to it that failed.
function profileLines(v: StatusView, live: StatusSnapshot, out: Output): string[] {
  const rows = live.profiles.map((p) => {
    const role = p.primary ? "primary" : `backup, priority ${p.priority}`;
    const kind = `${role}${p.metered ? ", metered" : ""}`;
    let now: string;
    if (p.name === v.active) now = `carries RED (${live.health.state})`;
    else if (p.carrier === undefined) now = "standby";
    else if (p.carrier === null) now = "standby, carrier unknown";
    else now = p.carrier ? "standby, carrier up" : `standby, ${out.paint("red", "no carrier")}`;
    const failed = v.history.findLast((h) => h.to === p.name && !h.ok);
    const last = failed ? `; failed ${clock(failed.at)}` : "";
    return [`  ${p.name}`, kind, `${now}${last}`];
  });
  return rows.length > 0 ? ["profiles", ...table(rows).map(fit)] : [];
}

export function renderStatus(v: StatusView, out: Output): string[] {
  const lines: string[] = [];
  const daemon = v.daemon
    ? `daemon running (pid ${v.daemon.pid}${v.daemon.startedAt ? `, up ${duration(v.now - v.daemon.startedAt)}` : ""})`
    : out.paint(v.enabled ? "red" : "dim", "daemon not running");
  lines.push(
    `mwan ${v.enabled ? out.paint("green", "enabled") : out.paint("yellow", "disabled")}, ${daemon}`,
  );

  const role =
    v.active === null ? "" : v.active === v.primary ? " (primary)" : out.paint("yellow", " (backup)");
  // The snapshot's "since" belongs to its own profile, which lags a switch briefly.
  const since =
    v.live?.active === v.active
      ? ` since ${clock(v.live.activeSince)} (${duration(v.now - v.live.activeSince)})`
      : "";
  lines.push(`RED       on ${out.paint("bold", v.active ?? "unknown")}${role}${since}`);
  const r = v.red;
  const carrier =
    r.carrier === null ? "" : r.carrier ? ", carrier up" : `, ${out.paint("red", "no carrier")}`;
  lines.push(
    `          ${r.active ? p(r.iface ?? "?") : out.paint("red", "down")} ${p(r.localAddress ?? "no address")}${r.gateway ? ` via ${p(r.gateway)}` : ""}${carrier}`,
  );
  const u = v.unfinished;
  if (u && u.pid === null) {
    const what = u.to === null ? "a switch" : `switch ${u.from ?? "?"} -> ${u.to}`;
    const when = u.startedAt === null ? "" : ` at ${clock(u.startedAt)}`;
    lines.push(
      `${out.paint("red", "interrupted")} ${what}${when}: IPFire's RED files may be half-switched; run mwan recover`,
    );
  } else if (u && !v.live?.inFlight) {
    lines.push(`switching ${u.from ?? "?"} -> ${u.to} (pid ${u.pid}, since ${clock(u.startedAt ?? v.now)})`);
  }
  if (v.live) {
    const h = v.live.health;
    const paint = h.state === "up" ? "green" : h.state === "down" ? "red" : "yellow";
    lines.push(`health    ${out.paint(paint, h.state)} for ${duration(v.now - h.since)}: ${p(h.reason)}`);
    lines.push(`why       ${p(v.live.reason)}${v.live.hold ? " (on hold)" : ""}`);
    if (v.live.inFlight)
      lines.push(`switching ${v.live.inFlight.from} -> ${v.live.inFlight.to}: ${p(v.live.inFlight.reason)}`);
    const fb = v.live.failback;
    if (fb.probationUntil)
      lines.push(`failback  trial of the primary, proving itself until ${clock(fb.probationUntil)}`);
    else if (fb.nextTrialAt) {
      const wait = fb.deferred ? ` (waiting: ${p(fb.deferred)})` : "";
      lines.push(
        `failback  next trial of ${v.primary} at ${clock(fb.nextTrialAt)} (in ${duration(fb.nextTrialAt - v.now)})${wait}, ${fb.failedTrials} failed`,
      );
    }
    lines.push(...profileLines(v, v.live, out));
    if (v.live.targets.length > 0) {
      lines.push("targets");
      const rows = v.live.targets.map((t) => [
        `  ${t.target}`,
        t.lossPct === null ? "-" : `${t.lossPct.toFixed(0)}% loss`,
        ms(t.rttAvgMs),
        `jitter ${ms(t.jitterMs)}`,
        `${t.sent} sent`,
      ]);
      lines.push(...table(rows));
    }
  }
  if (v.history.length > 0) {
    lines.push("switches");
    const rows = v.history
      .slice()
      .reverse()
      .map((h) => [
        `  ${new Date(h.at).toISOString().slice(5, 19).replace("T", " ")}`,
        `${p(h.from ?? "?")} -> ${p(h.to)}`,
        h.ok ? "ok" : "FAILED",
        `${(h.ms / 1000).toFixed(1)} s`,
        p(h.ok ? h.reason : `${h.reason}; ${h.result}`),
      ]);
    lines.push(...table(rows).map(fit));
  }
  return lines;
}
