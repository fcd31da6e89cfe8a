// Failover simulation: drives the real engine (src/core/engine) with scripted
// link behaviour on a virtual clock, and models pfSense (dpinger) and mwan3
// (mwan3track) defaults on the same events, as described in
// shared/research/multiwan-anchors.md §1.2, §1.6, §2.1, §2.4.
//
//   bun test/bench/failover-sim.ts [out.json]   (default build/dist/bench-failover.json)
//
// Reproducible: every run uses a seeded PRNG. Bytes are IP bytes, request plus
// reply: 84 B each way for mwan and mwan3 (56-byte ping payload), 29 B each
// way for dpinger (1-byte payload), no L2 or tunnel overhead.
//
// The side watch is modeled as the daemon runs it: once the engine plans a
// profile (State.sidePlan), its watch is ready after SIDE_READY_MS (a DHCP
// lease on the profile's own NIC), then a round to every target every side
// interval through that profile's uplink; "unavailable" stands for a watch
// that cannot run (QMI, no lease offered, no PADO), which brings the trials.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from "../../src/core/engine/config.ts";
import { decide, initialState } from "../../src/core/engine/decide.ts";
import type { Action, Event, Profile, State } from "../../src/core/engine/types.ts";
import type { ProbeResult } from "../../src/core/health/round.ts";

const S = 1_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WARMUP = 15 * MIN; // longer than failback.stableMs: the primary starts out stable
const MWAN_ECHO_BYTES = 2 * 84;
const DPINGER_ECHO_BYTES = 2 * 29;
const SIDE_READY_MS = 3 * S;

// ---------------------------------------------------------------- randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

// --------------------------------------------------------------------- world

// What one uplink does over time. Intervals are [from, to) in ms.
interface Uplink {
  loss: number; // independent loss per echo
  rttMs: number; // base RTT; replies add an exponential tail of rttMs / 4
  bringUpMs: number; // `network stop red` + `network start red` until a lease
  blackholes: [number, number][]; // carrier up, upstream dead
  noCarrier: [number, number][];
  redDown: [number, number][]; // red/active gone (PPP/DHCP drop), carrier up
}

function inAny(spans: [number, number][], t: number): boolean {
  for (const [a, b] of spans) if (t >= a && t < b) return true;
  return false;
}

const dead = (u: Uplink, t: number) => inAny(u.blackholes, t) || inAny(u.noCarrier, t) || inAny(u.redDown, t);

function edges(u: Uplink): number[] {
  return [...u.blackholes, ...u.noCarrier, ...u.redDown].flat();
}

function periodic(from: number, to: number, upMs: number, downMs: number): [number, number][] {
  const spans: [number, number][] = [];
  for (let t = from + upMs; t < to; t += upMs + downMs) spans.push([t, Math.min(t + downMs, to)]);
  return spans;
}

const DSL: Uplink = {
  loss: 0.01,
  rttMs: 15,
  bringUpMs: 4 * S,
  blackholes: [],
  noCarrier: [],
  redDown: [],
};
const LTE: Uplink = {
  loss: 0.01,
  rttMs: 45,
  bringUpMs: 8 * S,
  blackholes: [],
  noCarrier: [],
  redDown: [],
};
const TARGETS = ["1.1.1.1", "9.9.9.9", "8.8.8.8"];

// One echo sent at t over uplink u: its RTT, or null when it is lost.
function echo(u: Uplink, t: number, rnd: () => number, timeoutMs: number): number | null {
  const rtt = u.rttMs - (u.rttMs / 4) * Math.log(1 - rnd());
  if (rnd() < u.loss || dead(u, t) || dead(u, t + rtt) || rtt > timeoutMs) return null;
  return rtt;
}

// --------------------------------------------------------------- mwan (real)

interface MwanRun {
  switches: { at: number; kind: string; from: string; to: string }[];
  declaredDownAt: number | null; // first switch away from the primary
  backOnPrimaryAt: number[]; // switchDone ok onto the primary
  darkMs: number; // time the LAN had no working uplink
  bytes: Record<string, number>;
  sideBytes: Record<string, number>;
  final: State;
}

// How the shell's side watch of a profile fares: it runs, or cannot run.
type SideSim = "probes" | "unavailable";

function profiles(backupMetered: boolean, side: Record<string, SideSim>): Profile[] {
  const mode = (name: string) => (side[name] === undefined ? "none" : "probes");
  return [
    { name: "primary", priority: 0, metered: false, isPrimary: true, side: mode("primary") },
    { name: "backup", priority: 1, metered: backupMetered, isPrimary: false, side: mode("backup") },
  ];
}

function runMwan(
  world: Record<string, Uplink>,
  endMs: number,
  seed: number,
  opts: {
    config?: EngineConfig;
    backupMetered?: boolean;
    darkFrom?: number;
    active?: string;
    side?: Record<string, SideSim>;
  } = {},
): MwanRun {
  const rnd = mulberry32(seed);
  const config = opts.config ?? DEFAULT_ENGINE_CONFIG;
  let now = 0;
  let state = initialState({
    profiles: profiles(opts.backupMetered ?? true, opts.side ?? {}),
    active: opts.active ?? "primary",
    now,
    config,
  });
  const run: MwanRun = {
    switches: [],
    declaredDownAt: null,
    backOnPrimaryAt: [],
    darkMs: 0,
    bytes: {},
    sideBytes: {},
    final: state,
  };
  // The switch the shell is carrying out (a holder, as `act` sets it).
  const pending: { done: { at: number; to: string; ok: boolean } | null } = {
    done: null,
  };
  let lastRoundAt: number | null = null;
  let rotate = 0;
  const rounds: { at: number; event: Event }[] = [];
  // Side watches the shell runs: ready (status reported) at readyAt, then a
  // round every intervalMs from nextAt.
  const watches = new Map<string, { readyAt: number; ready: boolean; nextAt: number; intervalMs: number }>();
  const syncWatches = () => {
    const planned = new Set(state.sidePlan.map((p) => p.profile));
    for (const name of [...watches.keys()]) {
      if (planned.has(name)) continue;
      watches.delete(name);
      feed({ type: "sideStatus", profile: name, status: "stopped", mode: "probes", reason: "not planned" });
    }
    for (const p of state.sidePlan) {
      if (!watches.has(p.profile)) {
        const readyAt = now + SIDE_READY_MS;
        watches.set(p.profile, { readyAt, ready: false, nextAt: readyAt, intervalMs: p.intervalMs });
      }
    }
  };
  const nextSide = () => {
    let at = Infinity;
    for (const [name, w] of watches) {
      if (!w.ready) at = Math.min(at, w.readyAt);
      else if (opts.side?.[name] === "probes") at = Math.min(at, w.nextAt);
    }
    return at;
  };
  const worldEdges = [...new Set(Object.values(world).flatMap(edges))]
    .filter((t) => t > 0)
    .sort((a, b) => a - b);
  let edgeIdx = 0;
  let nextTick = 250;

  const redUp = (t: number) => {
    const u = world[state.active];
    return state.mode !== "switching" && u !== undefined && !inAny(u.noCarrier, t) && !inAny(u.redDown, t);
  };
  const feed = (event: Event) => {
    const d = decide(state, event, now);
    state = d.state;
    act(d.actions);
  };
  const reportFacts = () => {
    const u = world[state.active];
    if (!u) return;
    const carrier = !inAny(u.noCarrier, now);
    const up = redUp(now);
    feed({
      type: "link",
      profile: state.active,
      facts: { carrier, operUp: carrier, redActive: up, hasAddress: up },
    });
    for (const [name, v] of Object.entries(world)) {
      if (name !== state.active)
        feed({
          type: "standbyCarrier",
          profile: name,
          carrier: !inAny(v.noCarrier, now),
        });
    }
  };
  const act = (actions: Action[]) => {
    for (const a of actions) {
      if (a.type !== "switch" && a.type !== "failback") continue;
      run.switches.push({
        at: now,
        kind: a.type === "switch" ? a.kind : "failback",
        from: a.from,
        to: a.to,
      });
      if (a.from === "primary" && run.declaredDownAt === null) run.declaredDownAt = now;
      const target = world[a.to];
      if (!target) throw new Error(`no uplink ${a.to}`);
      const at = now + target.bringUpMs;
      pending.done = { at, to: a.to, ok: !inAny(target.noCarrier, at) };
    }
  };

  // The due step of one side watch: its status report, or one round to every
  // target through its own uplink.
  const sideStep = () => {
    for (const [name, w] of watches) {
      const mode = opts.side?.[name];
      if (!w.ready && now >= w.readyAt) {
        w.ready = true;
        feed(
          mode === "probes"
            ? { type: "sideStatus", profile: name, status: "running", mode: "probes", reason: "lease" }
            : {
                type: "sideStatus",
                profile: name,
                status: "unavailable",
                mode: "probes",
                reason: "no lease offered",
              },
        );
        return;
      }
      if (w.ready && mode === "probes" && now >= w.nextAt) {
        const u = world[name] as Uplink;
        const timeoutMs = state.config.side.timeoutMs;
        const results = TARGETS.map((target) => ({ target, rttMs: echo(u, now, rnd, timeoutMs) }));
        run.sideBytes[name] = (run.sideBytes[name] ?? 0) + TARGETS.length * MWAN_ECHO_BYTES;
        const allIn = results.every((r) => r.rttMs !== null);
        const doneAt = now + (allIn ? Math.max(...results.map((r) => r.rttMs as number)) : timeoutMs);
        rounds.push({ at: doneAt, event: { type: "sideRound", profile: name, sentAt: now, results } });
        rounds.sort((a, b) => a.at - b.at);
        w.nextAt = now + w.intervalMs;
        return;
      }
    }
  };

  reportFacts();
  while (now < endMs) {
    const plan = state.probe;
    const nextRound =
      plan === null ? Infinity : lastRoundAt === null ? now : Math.max(now, lastRoundAt + plan.intervalMs);
    syncWatches();
    const sideAt = nextSide();
    const candidates = [
      nextTick,
      sideAt,
      nextRound,
      pending.done?.at ?? Infinity,
      worldEdges[edgeIdx] ?? Infinity,
      rounds[0]?.at ?? Infinity,
      endMs,
    ];
    const t = Math.min(...candidates);
    const wasDark = state.mode === "switching" || dead(world[state.active] as Uplink, now);
    if (wasDark && now >= (opts.darkFrom ?? 0)) run.darkMs += t - now;
    now = t;
    if (now >= endMs) break;

    const sd = pending.done;
    if (sd && now >= sd.at) {
      pending.done = null;
      lastRoundAt = null;
      feed(
        sd.ok
          ? { type: "switchDone", to: sd.to, ok: true }
          : { type: "switchDone", to: sd.to, ok: false, reason: "no carrier" },
      );
      if (sd.ok && sd.to === "primary") run.backOnPrimaryAt.push(now);
      reportFacts();
    } else if (worldEdges[edgeIdx] !== undefined && now >= (worldEdges[edgeIdx] as number)) {
      edgeIdx++;
      reportFacts();
    } else if (rounds[0] && now >= rounds[0].at) {
      feed((rounds.shift() as { event: Event }).event);
    } else if (now >= sideAt) {
      sideStep();
    } else if (plan !== null && now >= nextRound) {
      const u = world[plan.profile] as Uplink;
      const n = plan.targetsPerRound === "all" ? TARGETS.length : plan.targetsPerRound;
      const results: ProbeResult[] = [];
      for (let i = 0; i < n; i++) {
        const target = TARGETS[(rotate + i) % TARGETS.length] as string;
        results.push({ target, rttMs: echo(u, now, rnd, plan.timeoutMs) });
      }
      rotate = (rotate + n) % TARGETS.length;
      run.bytes[plan.profile] = (run.bytes[plan.profile] ?? 0) + n * MWAN_ECHO_BYTES;
      const allIn = results.every((r) => r.rttMs !== null);
      const doneAt = now + (allIn ? Math.max(...results.map((r) => r.rttMs as number)) : plan.timeoutMs);
      rounds.push({
        at: doneAt,
        event: {
          type: "probeRound",
          profile: plan.profile,
          sentAt: now,
          results,
        },
      });
      rounds.sort((a, b) => a.at - b.at);
      lastRoundAt = now;
    } else {
      nextTick = now + 250;
      feed({ type: "tick" });
    }
  }
  run.final = state;
  return run;
}

// ------------------------------------------------------ pfSense (dpinger) model

// dpinger -s 500 -l 2000 -t 60000 -A 1000 -L 20 -D 500 (hold 10 s) on one
// monitor IP per gateway; pfSense probes every gateway all the time, so it
// fails back as soon as the alarm clears. Returns alarm raise/clear times.
function runDpinger(
  u: Uplink,
  endMs: number,
  seed: number,
  startMs = 0,
): { raise: number[]; clear: number[]; bytes: number } {
  const rnd = mulberry32(seed);
  const send = 500;
  const slots: { sent: number; rtt: number | null }[] = [];
  const raise: number[] = [];
  const clear: number[] = [];
  let alarm = false;
  let okSince: number | null = null;
  let bytes = 0;
  let nextSend = startMs + rnd() * send;
  for (let now = startMs + 1000; now < endMs; now += 1000) {
    while (nextSend <= now) {
      slots.push({ sent: nextSend, rtt: echo(u, nextSend, rnd, 60_000) });
      if (slots.length > 120) slots.shift();
      bytes += DPINGER_ECHO_BYTES;
      nextSend += send;
    }
    let received = 0;
    let lost = 0;
    let sum = 0;
    for (const s of slots) {
      if (s.rtt !== null && s.sent + s.rtt <= now) {
        received++;
        sum += s.rtt;
      } else if (s.sent < now - 2000) lost++;
    }
    if (received + lost === 0) continue;
    const loss = Math.floor((lost * 100) / (received + lost));
    const bad = loss > 20 || (received > 0 && sum / received > 500);
    if (!alarm && bad) {
      alarm = true;
      okSince = null;
      raise.push(now);
    } else if (alarm) {
      if (bad) okSince = null;
      else {
        okSince ??= now;
        if (now - okSince >= 10_000) {
          alarm = false;
          clear.push(now);
        }
      }
    }
  }
  return { raise, clear, bytes };
}

// --------------------------------------------------------- mwan3track model

// Score machine of mwan3track (down 5, up 5, interval = failure_interval =
// recovery_interval = 10 s, ping -c1 -W4, targets probed one after the other
// until `reliability` answered). mwan3 also probes the backup all the time, so
// failback follows `connected` at once. Returns disconnected/connected times.
function runMwan3(
  u: Uplink,
  endMs: number,
  seed: number,
  targets: number,
  reliability: number,
  startMs = 0,
): { raise: number[]; clear: number[]; bytes: number } {
  const rnd = mulberry32(seed);
  const down = 5;
  const up = 5;
  let score = down + up;
  const raise: number[] = [];
  const clear: number[] = [];
  let bytes = 0;
  let t = startMs + rnd() * 10_000;
  while (t < endMs) {
    let upCount = 0;
    for (let i = 0; i < targets && upCount < reliability; i++) {
      const rtt = echo(u, t, rnd, 4_000);
      bytes += MWAN_ECHO_BYTES;
      if (rtt === null) t += 4_000;
      else {
        t += rtt;
        upCount++;
      }
    }
    if (upCount < reliability) {
      score--;
      if (score < up) score = 0;
      if (score === up) {
        raise.push(t);
        score = 0;
      }
    } else {
      score++;
      if (score > up) score = down + up;
      if (score === up) {
        clear.push(t);
        score = down + up;
      }
    }
    t += 10_000;
  }
  return { raise, clear, bytes };
}

type Monitor = (
  u: Uplink,
  endMs: number,
  seed: number,
  startMs?: number,
) => { raise: number[]; clear: number[]; bytes: number };
const COMPETITORS: Record<string, Monitor> = {
  pfSense: runDpinger,
  "mwan3 (4 targets, k=2)": (u, e, s, st) => runMwan3(u, e, s, 4, 2, st),
  "mwan3 (1 target)": (u, e, s, st) => runMwan3(u, e, s, 1, 1, st),
};

// Dark time for a monitor that probes the primary in parallel: the LAN is dark
// while the primary is dead and the monitor still routes through it. Sampled
// every 100 ms, walking the sorted raise/clear times alongside.
function competitorDark(u: Uplink, raise: number[], clear: number[], from: number, to: number): number {
  const flips = [...raise.map((t) => ({ t, on: true })), ...clear.map((t) => ({ t, on: false }))].sort(
    (x, y) => x.t - y.t,
  );
  let i = 0;
  let onBackup = false;
  let darkMs = 0;
  for (let t = from; t < to; t += 100) {
    while (i < flips.length && (flips[i] as { t: number }).t <= t) {
      onBackup = (flips[i] as { on: boolean }).on;
      i++;
    }
    if (!onBackup && dead(u, t)) darkMs += 100;
  }
  return darkMs;
}

// ------------------------------------------------------------------ scenarios

const rows: { event: string; values: Record<string, string> }[] = [];
const json: Record<string, unknown> = {
  config: DEFAULT_ENGINE_CONFIG,
  targets: TARGETS.length,
};

function stats(xs: number[]): { median: number; max: number; min: number } {
  const s = [...xs].sort((a, b) => a - b);
  return {
    min: s[0] ?? NaN,
    median: s[Math.floor(s.length / 2)] ?? NaN,
    max: s.at(-1) ?? NaN,
  };
}
const sec = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : "never");
const range = (xs: number[]) => {
  const s = stats(xs);
  return `${sec(s.median)} (max ${sec(s.max)})`;
};

// 1. Time to declare the primary down, over 100 cut times spread over a second.
function detection(name: string, mutate: (u: Uplink, cut: number) => Uplink, competitors: boolean): void {
  const trials = 100;
  const mwan: number[] = [];
  const others: Record<string, number[]> = {};
  for (let i = 0; i < trials; i++) {
    const cut = 2 * MIN + (i * 1000) / trials + i * 37;
    const primary = mutate({ ...DSL }, cut);
    const r = runMwan({ primary, backup: LTE }, cut + 60 * S, seedOf(`${name}/${i}`));
    mwan.push((r.declaredDownAt ?? Infinity) - cut);
    if (!competitors) continue;
    for (const [label, model] of Object.entries(COMPETITORS)) {
      const m = model(primary, cut + 10 * MIN, seedOf(`${name}/${label}/${i}`));
      const raised = m.raise.find((t) => t >= cut);
      (others[label] ??= []).push((raised ?? Infinity) - cut);
    }
  }
  const values: Record<string, string> = { mwan: range(mwan) };
  for (const [label, xs] of Object.entries(others)) values[label] = range(xs);
  rows.push({ event: name, values });
  json[name] = {
    mwan: stats(mwan),
    ...Object.fromEntries(Object.entries(others).map(([k, v]) => [k, stats(v)])),
  };
}

detection("black-holed primary: declared down", (u, cut) => ({ ...u, blackholes: [[cut, Infinity]] }), true);
detection("carrier lost: declared down", (u, cut) => ({ ...u, noCarrier: [[cut, Infinity]] }), false);
detection(
  "RED down (red/active gone): declared down",
  (u, cut) => ({ ...u, redDown: [[cut, Infinity]] }),
  false,
);
rows.at(-2)!.values["pfSense"] = "link event (not modeled)";
rows.at(-2)!.values["mwan3 (4 targets, k=2)"] = "< 1 s (netifd ifdown, anchors §1.2)";
rows.at(-1)!.values["pfSense"] = "link event (not modeled)";
rows.at(-1)!.values["mwan3 (4 targets, k=2)"] = "< 1 s (netifd ifdown, anchors §1.2)";

// 2. Random loss on every target of the primary for 24 h: failovers.
for (const loss of [0.2, 0.3, 0.5]) {
  const name = `${loss * 100} % random loss, 24 h: failovers (switches)`;
  const primary = { ...DSL, loss };
  const r = runMwan({ primary, backup: LTE }, DAY, seedOf(name));
  const failovers = r.switches.filter((s) => s.from === "primary").length;
  const values: Record<string, string> = {
    mwan: `${failovers} (${r.switches.length})`,
  };
  const out: Record<string, number> = {
    mwanFailovers: failovers,
    mwanSwitches: r.switches.length,
  };
  for (const [label, model] of Object.entries(COMPETITORS)) {
    const m = model(primary, DAY, seedOf(`${name}/${label}`));
    values[label] = `${m.raise.length} (${m.raise.length + m.clear.length})`;
    out[label] = m.raise.length;
  }
  rows.push({ event: name, values });
  json[name] = out;
}

// 3. A flapping primary for an hour, after it had been stable for a while.
function flap(name: string, key: "blackholes" | "noCarrier", side: SideSim, competitors: boolean): void {
  const end = WARMUP + HOUR;
  const primary = { ...DSL, [key]: periodic(WARMUP, end, 20 * S, 10 * S) };
  const r = runMwan({ primary, backup: LTE }, end, seedOf(name), {
    darkFrom: WARMUP,
    side: { primary: side },
  });
  const values: Record<string, string> = {
    mwan: `${r.switches.length} sw, dark ${sec(r.darkMs)}`,
  };
  const out: Record<string, unknown> = {
    mwan: { switches: r.switches.length, darkMs: r.darkMs },
  };
  if (competitors) {
    for (const [label, model] of Object.entries(COMPETITORS)) {
      const m = model(primary, end, seedOf(`${name}/${label}`));
      const n = [...m.raise, ...m.clear].filter((t) => t >= WARMUP).length;
      const darkMs = competitorDark(primary, m.raise, m.clear, WARMUP, end);
      values[label] = `${n} sw, dark ${sec(darkMs)}`;
      out[label] = { switches: n, darkMs };
    }
  }
  rows.push({ event: name, values });
  json[name] = out;
}
flap("primary flaps 20 s up / 10 s black-holed, 1 h, side watch", "blackholes", "probes", true);
flap("same, watch unavailable (QMI, no lease, no PADO)", "blackholes", "unavailable", false);
flap("primary carrier flaps 20 s up / 10 s down, 1 h, side watch", "noCarrier", "probes", false);
flap("same, watch unavailable", "noCarrier", "unavailable", false);

// 4. Probe bytes per day: on the metered backup while it carries RED, and of
// the side watch of one standby profile (an unmetered DHCP backup, watched
// while the primary carries RED). The competitors probe that uplink always.
function bytesPerDay(name: string, uplink: Uplink, mwanBytes: number, note: string): void {
  const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
  const values: Record<string, string> = { mwan: `${mb(mwanBytes)} ${note}` };
  const out: Record<string, number> = { mwan: mwanBytes };
  for (const [label, model] of Object.entries(COMPETITORS)) {
    const m = model(uplink, DAY, seedOf(`${name}/${label}`));
    values[label] = `${mb(m.bytes)} always`;
    out[label] = m.bytes;
  }
  rows.push({ event: name, values });
  json[name] = out;
}
{
  const name = "probe bytes/day on the metered backup";
  const primary = { ...DSL, noCarrier: [[0, Infinity]] as [number, number][] };
  const backup = { ...LTE, loss: 0.02 };
  const r = runMwan({ primary, backup }, DAY + MIN, seedOf(name), { active: "backup" });
  bytesPerDay(name, backup, r.bytes["backup"] ?? 0, "carrying RED, 0 in standby");
}
{
  const name = "side-watch probe bytes/day per watched profile";
  const backup = { ...DSL, rttMs: 20 };
  const r = runMwan({ primary: DSL, backup }, DAY, seedOf(name), {
    backupMetered: false,
    side: { backup: "probes" },
  });
  bytesPerDay(name, backup, r.sideBytes["backup"] ?? 0, "in standby");
}

// 5. Failback designs: time from the primary being healthy again to RED being
// back on it, the LAN's dark time from the cut on, and switches made.
const DESIGNS: Record<string, { config: EngineConfig; metered: boolean; side?: SideSim }> = {
  "side watch (chosen), LTE backup": {
    config: DEFAULT_ENGINE_CONFIG,
    metered: true,
    side: "probes",
  },
  "side watch, unmetered backup": {
    config: DEFAULT_ENGINE_CONFIG,
    metered: false,
    side: "probes",
  },
  "watch unavailable: trials+back-off, LTE backup": {
    config: DEFAULT_ENGINE_CONFIG,
    metered: true,
    side: "unavailable",
  },
  "watch unavailable, unmetered backup": {
    config: DEFAULT_ENGINE_CONFIG,
    metered: false,
    side: "unavailable",
  },
  "A: retry every 10 s, no back-off": {
    config: {
      ...DEFAULT_ENGINE_CONFIG,
      failback: {
        ...DEFAULT_ENGINE_CONFIG.failback,
        minBackupMs: 10 * S,
        meteredMinBackupMs: 10 * S,
        backoffFactor: 1,
      },
    },
    metered: true,
  },
  "B: fixed trial every 2 min": {
    config: {
      ...DEFAULT_ENGINE_CONFIG,
      failback: {
        ...DEFAULT_ENGINE_CONFIG.failback,
        minBackupMs: 2 * MIN,
        meteredMinBackupMs: 2 * MIN,
        backoffFactor: 1,
      },
    },
    metered: true,
  },
};
const OUTAGES: { name: string; key: "blackholes" | "noCarrier"; ms: number }[] = [
  { name: "black-hole 20 s", key: "blackholes", ms: 20 * S },
  { name: "black-hole 2 min", key: "blackholes", ms: 2 * MIN },
  { name: "black-hole 10 min", key: "blackholes", ms: 10 * MIN },
  { name: "black-hole 1 h", key: "blackholes", ms: HOUR },
  { name: "no carrier 10 min", key: "noCarrier", ms: 10 * MIN },
];
const failbackRows: { outage: string; values: Record<string, string> }[] = [];
const failbackJson: Record<string, Record<string, unknown>> = {};
// Each row: 8 outages from 0.75× to 1.25× the nominal length, so that the
// figures do not hang on where one outage falls in the trial schedule.
interface Outcome {
  delayMs: number;
  darkMs: number;
  switches: number;
  during: number; // switches while the primary was down
}
const FAILBACK_TRIALS = 8;
function summary(outcomes: Outcome[]): { text: string; raw: unknown } {
  const delay = stats(outcomes.map((o) => o.delayMs));
  const dark = stats(outcomes.map((o) => o.darkMs));
  const sw = stats(outcomes.map((o) => o.switches));
  const during = stats(outcomes.map((o) => o.during));
  const duringText = during.min === during.max ? `${during.max}` : `${during.min}-${during.max}`;
  return {
    text: `${sec(delay.median)} (max ${sec(delay.max)}); dark ${sec(dark.median)}; ${sw.median} sw, ${duringText} in the outage`,
    raw: { delayMs: delay, darkMs: dark, switches: sw, duringOutage: during },
  };
}
for (const o of OUTAGES) {
  const cut = WARMUP;
  const per: Record<string, Outcome[]> = {};
  for (let i = 0; i < FAILBACK_TRIALS; i++) {
    const healthy = cut + o.ms * (0.75 + (0.5 * i) / (FAILBACK_TRIALS - 1));
    // Long enough for the longest back-off (30 min) to come round.
    const end = healthy + 45 * MIN;
    const primary = { ...DSL, [o.key]: [[cut, healthy]] };
    for (const [label, d] of Object.entries(DESIGNS)) {
      const r = runMwan({ primary, backup: LTE }, end, seedOf(`${o.name}/${label}/${i}`), {
        config: d.config,
        backupMetered: d.metered,
        darkFrom: cut,
        side: d.side === undefined ? {} : { primary: d.side },
      });
      // A trial that lands shortly before the primary heals and then passes
      // counts as no delay; no failover at all is no delay either.
      const back = r.final.active === "primary" ? r.backOnPrimaryAt.at(-1) : undefined;
      const failedOver = r.declaredDownAt !== null && r.declaredDownAt < healthy;
      const delayMs = failedOver ? Math.max(0, (back ?? Infinity) - healthy) : 0;
      (per[label] ??= []).push({
        delayMs,
        darkMs: r.darkMs,
        switches: r.switches.length,
        during: r.switches.filter((x) => x.at >= cut && x.at < healthy).length,
      });
    }
    if (o.key !== "blackholes") continue;
    for (const [label, model] of Object.entries(COMPETITORS)) {
      const m = model(primary, end, seedOf(`${o.name}/${label}/${i}`), cut - 5 * MIN);
      // mwan3 may only notice the outage after it ended: that still costs a
      // failover and a failback.
      const raised = m.raise.find((t) => t >= cut);
      const cleared = m.clear.filter((t) => t >= cut).at(-1);
      const delayMs = raised === undefined ? 0 : Math.max(0, (cleared ?? Infinity) - healthy);
      (per[label] ??= []).push({
        delayMs,
        darkMs: competitorDark(primary, m.raise, m.clear, cut, end),
        switches: [...m.raise, ...m.clear].filter((t) => t >= cut).length,
        during: [...m.raise, ...m.clear].filter((t) => t >= cut && t < healthy).length,
      });
    }
  }
  const values: Record<string, string> = {};
  const out: Record<string, unknown> = {};
  for (const [label, outcomes] of Object.entries(per)) {
    const { text, raw } = summary(outcomes);
    values[label] = text;
    out[label] = raw;
  }
  failbackRows.push({ outage: o.name, values });
  failbackJson[o.name] = out;
}
json["failback"] = failbackJson;

// ---------------------------------------------------------------------- print

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

const systems = ["mwan", ...Object.keys(COMPETITORS)];
console.log(
  "Detection, stability and cost (mwan = this engine at defaults, 3 targets; others modeled at their defaults)\n",
);
console.log(
  table(
    ["event", ...systems],
    rows.map((r) => [r.event, ...systems.map((s) => r.values[s] ?? "-")]),
  ),
);
const designs = [...Object.keys(DESIGNS), ...Object.keys(COMPETITORS)];
console.log(
  "\nFailback: healthy -> RED back on primary, median (max) of 8 outages of 0.75-1.25x the length; median LAN dark time from the cut; median switches, and the switches while the primary was down (min-max); pfSense/mwan3 probe every gateway all the time, mwan's side watch probes the primary through its own NIC\n",
);
console.log(
  table(
    ["outage", ...designs],
    failbackRows.map((r) => [r.outage, ...designs.map((d) => r.values[d] ?? "-")]),
  ),
);

const path = process.argv[2] ?? "build/dist/bench-failover.json";
mkdirSync(dirname(path), { recursive: true });
writeFileSync(path, `${JSON.stringify({ rows, failback: failbackRows, raw: json }, null, 2)}\n`);
console.log(`\nwrote ${path}`);
