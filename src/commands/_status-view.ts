// `mwan status` for a person on an 80-column console: the headline (what is
// wrong and what mwan does about it), then the details, each reason once.
// Made from the status model (daemon/status-model.ts), as --json is.

import { printable as p } from "../core/text/printable.ts";
import { duration } from "../core/text/time.ts";
import { wrap as wrapWords } from "../core/text/wrap.ts";
import type { SideView, StatusModel, SwitchView } from "../daemon/status-model.ts";
import { type Output, table } from "../ui/output.ts";

const WIDTH = 80;

// Onto lines of at most WIDTH columns, the first after `first`, the others
// after `indent` (a word longer than a line stays whole).
function wrap(text: string, first: string, indent: string): string[] {
  const width = WIDTH - Math.max(first.length, indent.length);
  return wrapWords(text, width).map((line, i) => (i === 0 ? first : indent) + line);
}

const ms = (v: number | null) => (v === null ? "-" : `${v.toFixed(1)} ms`);
const ago = (m: StatusModel, iso: string) => duration(Date.parse(m.time) - Date.parse(iso));
const until = (m: StatusModel, iso: string) => duration(Date.parse(iso) - Date.parse(m.time));

export function switchLines(s: SwitchView, out: Output, numbered: boolean): string[] {
  const outcome = s.ok ? "ok" : out.paint("red", "FAILED");
  const head = `${numbered ? `${String(s.number).padStart(3)}  ` : "  "}${s.at}  ${p(s.from ?? "?")} -> ${p(s.to)}  ${outcome}  ${s.seconds.toFixed(1)} s`;
  const indent = numbered ? "       " : "      ";
  return [head, ...wrap(p(s.ok ? s.reason : `${s.reason}; ${s.result}`), indent, indent)];
}

function profileLines(m: StatusModel, out: Output): string[] {
  const rows = m.profiles.map((x) => {
    // "backup 10": its priority, short enough to leave room for its health.
    const kind = `${x.role === "primary" ? "primary" : `backup ${x.priority}`}${x.metered ? ", metered" : ""}`;
    let now: string;
    if (x.carriesRed) now = `carries RED (${m.health?.state ?? "?"})`;
    else if (x.carrier === false) now = `standby, ${out.paint("red", "no carrier")}`;
    else if (x.side) now = sideWords(m, x.side, out);
    else now = x.carrier ? "standby, carrier up" : "standby";
    return [`  ${x.name}`, kind, `${now}${x.lastFailedAt ? `; failed ${x.lastFailedAt}` : ""}`];
  });
  if (rows.length === 0) return [];
  // A long reason goes on under its own column, so each line fits.
  const lines = table(rows);
  const indent = " ".repeat(
    Math.max(...rows.map((r) => (r[0] as string).length + (r[1] as string).length)) + 4,
  );
  const fitted = lines.flatMap((l) => (visible(l) <= WIDTH ? [l] : wrapAt(l, indent)));
  return ["profiles", ...fitted];
}

// A standby's health from the side, e.g. "up from the side for 3m 2s (0% loss, 3.1 ms)".
function sideWords(m: StatusModel, w: SideView, out: Output): string {
  if (w.status === "unavailable")
    return `standby, side watch ${out.paint("yellow", "unavailable")}: ${p(w.reason)}`;
  const h = w.health;
  const stats =
    w.mode === "probes" && w.lossPct !== null
      ? ` (${w.lossPct.toFixed(0)}% loss${w.rttAvgMs === null ? "" : `, ${w.rttAvgMs.toFixed(1)} ms`})`
      : "";
  if (h.state === "unproven") return `standby, watched from the side, not proven yet${stats}`;
  const paint = h.state === "up" ? "green" : "red";
  const why = h.state === "down" ? `: ${p(h.reason)}` : "";
  return `${out.paint(paint, h.state)} from the side for ${ago(m, h.since)}${stats}${why}`;
}

// Without the colour codes, which take no columns.
const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "").length;

function wrapAt(line: string, indent: string): string[] {
  const head = line.slice(0, indent.length);
  return wrap(line.slice(indent.length), head, indent);
}

export function renderStatus(m: StatusModel, out: Output): string[] {
  const paintHead = m.attention ? "red" : m.hold || m.active !== m.primary ? "yellow" : "bold";
  const lines = wrap(p(m.headline), "", "  ").map((l) => out.paint(paintHead, l));
  if (m.red.mismatch)
    lines.push(
      ...wrap(
        m.red.matches
          ? `RED holds the configuration of ${m.red.matches}, not of ${m.active}, which mwan believes it is on (${p(m.red.mismatch)})`
          : `RED holds a configuration that matches no profile: ${p(m.red.mismatch)} (mwan believes it is on ${m.active}; mwan profile import-current NAME saves what RED holds)`,
        `${out.paint("red", "warning:")} `,
        "  ",
      ),
    );

  const daemon = m.daemon
    ? `daemon running (pid ${m.daemon.pid}${m.daemon.startedAt ? `, up ${ago(m, m.daemon.startedAt)}` : ""})`
    : out.paint(m.enabled ? "red" : "dim", "daemon not running");
  lines.push(
    `mwan      ${m.enabled ? out.paint("green", "enabled") : out.paint("yellow", "disabled")}, ${daemon}`,
  );
  if (m.hold)
    lines.push(`held      by the admin${m.hold.since ? ` since ${m.hold.since}` : ""} (mwan resume ends it)`);

  const role =
    m.active === null ? "" : m.active === m.primary ? " (primary)" : out.paint("yellow", " (backup)");
  const since = m.activeSince ? ` since ${m.activeSince} (${ago(m, m.activeSince)})` : "";
  lines.push(`RED       on ${out.paint("bold", m.active ?? "unknown")}${role}${since}`);
  const r = m.red;
  const carrier =
    r.carrier === null ? "" : r.carrier ? ", carrier up" : `, ${out.paint("red", "no carrier")}`;
  lines.push(
    `          ${r.up ? p(r.iface ?? "?") : out.paint("red", "down")} ${p(r.address ?? "no address")}${r.gateway ? ` via ${p(r.gateway)}` : ""}${carrier}`,
  );
  if (m.interrupted) {
    const when = m.interrupted.at ? ` at ${m.interrupted.at}` : "";
    lines.push(
      `${out.paint("red", "interrupted")} ${m.interrupted.from ?? "?"} -> ${m.interrupted.to ?? "?"}${when}`,
    );
  }
  if (m.switching?.since) lines.push(`switching since ${m.switching.since}`);

  if (m.health) {
    const h = m.health;
    const paint = h.state === "up" ? "green" : h.state === "down" ? "red" : "yellow";
    // Said once: a reason the headline or the switch list already gives is not repeated.
    const last = m.switches.recent[0];
    const told =
      m.headline.includes(h.reason) ||
      (last !== undefined && h.reason.includes(last.result)) ||
      h.reason === "";
    const why = told ? "" : `: ${p(h.reason)}`;
    lines.push(
      ...wrap(`${out.paint(paint, h.state)} for ${ago(m, h.since)}${why}`, "health    ", "          "),
    );
  }
  if (m.probeProblem)
    lines.push(...wrap(p(m.probeProblem), `probes    ${out.paint("red", "cannot run:")} `, "          "));
  const fb = m.failback;
  if (fb?.trialUntil) lines.push(`failback  trial of ${m.active}, proving itself until ${fb.trialUntil}`);
  else if (fb?.backAt && !m.hold)
    lines.push(
      `failback  to ${m.primary} at ${fb.backAt} (in ${until(m, fb.backAt)}), healthy from the side`,
    );
  else if (fb?.nextTrialAt && !m.hold) {
    const wait = fb.waitingFor ? ` (waiting: ${p(fb.waitingFor)})` : "";
    lines.push(
      ...wrap(
        `next trial of ${m.primary} at ${fb.nextTrialAt} (in ${until(m, fb.nextTrialAt)})${wait}, ${fb.failedTrials} failed`,
        "failback  ",
        "          ",
      ),
    );
  }
  lines.push(...profileLines(m, out));
  if (m.targets.length > 0) {
    lines.push("targets");
    const rows = m.targets.map((t) => [
      `  ${t.target}`,
      t.lossPct === null ? "-" : `${t.lossPct.toFixed(0)}% loss`,
      ms(t.rttAvgMs),
      `jitter ${ms(t.jitterMs)}`,
      `${t.sent} sent`,
    ]);
    lines.push(...table(rows));
  }
  const { recent, kept } = m.switches;
  if (recent.length > 0) {
    const more =
      kept > recent.length ? `last ${recent.length} of ${kept}; mwan history lists all` : "newest first";
    lines.push(`switches (${more})`);
    for (const s of recent) lines.push(...switchLines(s, out, false));
  }
  return lines;
}
