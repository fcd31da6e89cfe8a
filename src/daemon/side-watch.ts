// Runs the side watches the engine asks for (State.sidePlan): a side link per
// planned profile, through the profile's own NIC, and its rounds every plan
// interval, told back to the engine as sideStatus/sideRound events. All of it
// is optional: a failure is logged once per change and reported as
// unavailable, never thrown into the switching path, and nothing here touches
// RED (the links only ever use the NIC of a profile RED does not carry).

import type { Event, ProbePlan, SidePlan } from "../core/engine/types.ts";
import type { SideLink, SideReport, SideVia } from "../adapters/side/types.ts";
import type { RoundReport } from "./probing.ts";

// The one "target" of a discovery round: a PADO came back or not.
export const DISCOVERY_TARGET = "pppoe:pado";
// How soon a profile whose link could not be opened (no NIC, NIC still down)
// is tried again.
const RETRY_MS = 5000;
// How long a link's stop may take, counted from when it is asked for (a
// stop still running before it included), before the switch goes ahead
// anyway and the link is abandoned (SideLink.abandon). A DHCP stop waits for
// its dhcpcd to exit, bounded by the adapter too.
const STOP_BOUND_MS = 15_000;
// How long a probe path may stay unavailable before it is built afresh: its
// dhcpcd died, or its NIC went and came back (a DHCP path does not rebuild
// itself; one still waiting for an offer just starts asking again).
export const REOPEN_MS = 30_000;

export interface SideWatchDeps {
  // The NIC a profile uses while idle (null: none found, with why), and
  // whether it is up yet (the standby carrier watch raises it).
  nicOf(profile: string): { ifname: string } | { missing: string };
  nicUp(ifname: string): boolean;
  open(profile: string, ifname: string): SideLink | { unavailable: string };
  // The probe rounds of one link, through whatever `via` says at the time
  // (null: none sent). Of its own per link: RED's runner skips a target whose
  // probe is still running, and RED's and the side's probes must not do that
  // to each other. The daemon's are RED's ProbeScheduler (probing.ts), so
  // side ICMP runs through long-running pings as RED's does.
  probes(profile: string, via: () => SideVia | null, onRound: (r: RoundReport) => void): SideProbes;
  report(event: Event): void;
  log: { info(m: string): void; warn(m: string): void; debug(m: string): void };
  now?: () => number;
  reopenMs?: number; // REOPEN_MS; shorter in unit tests
  stopBoundMs?: number; // STOP_BOUND_MS; shorter in unit tests
}

// Probe rounds as ProbeScheduler runs them: `update` starts, changes (a new
// interval) or, with null, stops them; `tick` hands out finished rounds.
export interface SideProbes {
  update(plan: ProbePlan | null): void;
  tick(now: number): void;
  close(): Promise<void>; // stopped, and every probe still running gone
}

interface Watched {
  plan: SidePlan;
  link: SideLink | null;
  probes: SideProbes | null;
  via: SideVia | null;
  timer: ReturnType<typeof setTimeout> | undefined;
  reopen: ReturnType<typeof setTimeout> | undefined;
  busy: boolean; // a discovery in flight is not started twice
  said: string | null; // the last problem logged, so it is logged once
  told: Event | null; // the last status the engine heard, for a reload
  closed: boolean;
}

export class SideWatcher {
  private readonly watched = new Map<string, Watched>();
  // Stops still running, by profile: a new link on that NIC waits for them.
  private readonly stopping = new Map<string, Promise<void>>();
  private plan: readonly SidePlan[] = [];
  private readonly now: () => number;
  private readonly stopBoundMs: number;

  constructor(private readonly deps: SideWatchDeps) {
    this.now = deps.now ?? Date.now;
    this.stopBoundMs = deps.stopBoundMs ?? STOP_BOUND_MS;
  }

  // After every engine decision. The engine keeps the same array while the
  // plan does not change, so this costs nothing then.
  update(plan: readonly SidePlan[]): void {
    if (plan === this.plan) return;
    this.plan = plan;
    const wanted = new Map(plan.map((p) => [p.profile, p]));
    for (const [name, w] of this.watched) {
      const p = wanted.get(name);
      if (p === undefined || p.mode !== w.plan.mode) void this.stop(name, "no longer planned");
      else if (p !== w.plan) {
        w.plan = p; // a new interval takes effect at the next round
        if (w.via) w.probes?.update(probePlan(p));
      }
    }
    for (const p of plan) if (!this.watched.has(p.profile)) this.begin(p);
  }

  // A reload: the engine starts afresh and has forgotten every side watch.
  // Links of a profile whose settings changed are rebuilt (by the next
  // update); the others keep running and are told again as they are, so a
  // SIGHUP does not cost a DHCP side path its lease.
  reconfigured(changed: (profile: string) => boolean): void {
    for (const [name, w] of this.watched) {
      if (changed(name)) void this.stop(name, "its settings changed");
      else if (w.told) this.tell(w, w.told);
    }
    this.plan = [];
  }

  // On every daemon tick: finished probe rounds go to the engine.
  tick(now: number): void {
    for (const w of this.watched.values()) w.probes?.tick(now);
  }

  // Before RED moves to `profile`: its link is torn down and awaited, so
  // IPFire's `red start` finds the NIC as the standby watch left it.
  async release(profile: string): Promise<void> {
    if (this.watched.has(profile)) void this.stop(profile, "RED moves to it");
    await this.stopping.get(profile);
  }

  // Daemon stop: every link torn down.
  async stopAll(): Promise<void> {
    this.plan = [];
    for (const name of [...this.watched.keys()]) void this.stop(name, "the daemon stops");
    await Promise.all([...this.stopping.values()]);
  }

  private begin(plan: SidePlan): void {
    const w: Watched = {
      plan,
      link: null,
      probes: null,
      via: null,
      timer: undefined,
      reopen: undefined,
      busy: false,
      said: null,
      told: null,
      closed: false,
    };
    this.watched.set(plan.profile, w);
    const before = this.stopping.get(plan.profile) ?? Promise.resolve();
    void before.then(() => this.open(w));
  }

  private open(w: Watched): void {
    if (w.closed) return;
    const name = w.plan.profile;
    const retry = () => {
      w.timer = setTimeout(() => this.open(w), RETRY_MS);
    };
    let link: SideLink | { unavailable: string };
    try {
      const nic = this.deps.nicOf(name);
      if ("missing" in nic) {
        this.unavailable(w, nic.missing);
        return retry();
      }
      // Not yet raised by the standby watch: not a failure, just early.
      if (!this.deps.nicUp(nic.ifname)) return retry();
      link = this.deps.open(name, nic.ifname);
      if ("unavailable" in link) {
        // The profile cannot be watched this way (QMI, a VLAN name too
        // long…): said once, not retried, until the plan changes.
        this.unavailable(w, link.unavailable);
        return;
      }
      w.link = link;
      if (w.plan.mode === "probes")
        w.probes = this.deps.probes(
          name,
          () => w.via,
          (r) => {
            if (!w.closed) this.tell(w, { type: "sideRound", ...r });
          },
        );
      const opened = link;
      link.start((r) => this.reported(w, opened, r));
      if (w.plan.mode === "discovery") {
        this.running(w, `PPPoE discovery on ${nic.ifname}`);
        this.schedule(w);
      }
    } catch (err) {
      this.unavailable(w, err instanceof Error ? err.message : String(err));
    }
  }

  private reported(w: Watched, link: SideLink, r: SideReport): void {
    if (w.closed || w.link !== link) return;
    if (r.kind === "ready") {
      w.via = r.via;
      w.probes?.update(probePlan(w.plan));
      this.running(w, `${r.via.localAddress} on ${r.via.iface} via ${r.via.gateway}`);
    } else {
      w.via = null;
      // No pings into a path that is gone: with no route they would fail
      // and be restarted every second.
      w.probes?.update(null);
      this.unavailable(w, r.reason);
      this.reopenLater(w, link);
    }
  }

  private reopenLater(w: Watched, link: SideLink): void {
    if (w.plan.mode !== "probes" || w.reopen !== undefined) return;
    w.reopen = setTimeout(() => {
      w.reopen = undefined;
      if (w.closed || w.link !== link || w.via !== null) return;
      const name = w.plan.profile;
      this.deps.log.debug(`${name}: side path still unavailable: built afresh`);
      const probes = w.probes;
      w.link = null;
      w.probes = null;
      clearTimeout(w.timer);
      // Tracked like any stop, so a switch to the profile waits for it.
      const done = bounded(Promise.all([probes?.close(), link.stop()]), this.stopBoundMs).catch(() =>
        link.abandon(),
      );
      const tracked = done.finally(() => {
        if (this.stopping.get(name) === tracked) this.stopping.delete(name);
        if (!w.closed) this.open(w);
      });
      this.stopping.set(name, tracked);
    }, this.deps.reopenMs ?? REOPEN_MS);
  }

  private running(w: Watched, reason: string): void {
    if (w.said !== null) this.deps.log.info(`${w.plan.profile}: side watch runs again: ${reason}`);
    else this.deps.log.debug(`${w.plan.profile}: side watch: ${reason}`);
    w.said = null;
    w.told = { type: "sideStatus", profile: w.plan.profile, status: "running", mode: w.plan.mode, reason };
    this.tell(w, w.told);
  }

  private unavailable(w: Watched, reason: string): void {
    if (w.said === reason) return;
    w.said = reason;
    this.deps.log.warn(`${w.plan.profile}: side watch cannot run: ${reason}`);
    w.told = {
      type: "sideStatus",
      profile: w.plan.profile,
      status: "unavailable",
      mode: w.plan.mode,
      reason,
    };
    this.tell(w, w.told);
  }

  // Events go to the engine after the current decision, never inside it:
  // a link may report from within start(), which runs inside update().
  private tell(w: Watched, event: Event): void {
    queueMicrotask(() => {
      if (!w.closed || event.type === "sideStatus") this.deps.report(event);
    });
  }

  private schedule(w: Watched): void {
    w.timer = setTimeout(() => {
      if (w.closed) return;
      this.schedule(w);
      this.round(w);
    }, w.plan.intervalMs);
  }

  // One PADI/PADO exchange (discovery mode; probe mode's rounds are the
  // probes').
  private round(w: Watched): void {
    const discover = w.link?.discover;
    if (w.busy || !w.link || !discover) return;
    const name = w.plan.profile;
    const sentAt = this.now();
    w.busy = true;
    void discover
      .call(w.link, w.plan.timeoutMs)
      .then((d) => {
        if (!d.ok) this.deps.log.debug(`${name}: no PADO: ${d.detail}`);
        const results = [{ target: DISCOVERY_TARGET, rttMs: d.ok ? this.now() - sentAt : null }];
        if (!w.closed) this.tell(w, { type: "sideRound", profile: name, sentAt, results });
      })
      .catch((err: unknown) => {
        this.deps.log.debug(`${name}: discovery: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => {
        w.busy = false;
      });
  }

  private stop(name: string, why: string): Promise<void> {
    const w = this.watched.get(name);
    if (!w) return this.stopping.get(name) ?? Promise.resolve();
    this.watched.delete(name);
    w.closed = true;
    clearTimeout(w.timer);
    clearTimeout(w.reopen);
    const link = w.link;
    const probes = w.probes;
    const before = this.stopping.get(name) ?? Promise.resolve();
    const work = before.then(() => Promise.all([probes?.close(), link?.stop()]));
    const done = bounded(work, this.stopBoundMs).catch((err: unknown) => {
      link?.abandon();
      this.deps.log.warn(`${name}: side watch stop: ${err instanceof Error ? err.message : String(err)}`);
    });
    const tracked = done.finally(() => {
      if (this.stopping.get(name) === tracked) this.stopping.delete(name);
    });
    this.stopping.set(name, tracked);
    this.tell(w, { type: "sideStatus", profile: name, status: "stopped", mode: w.plan.mode, reason: why });
    return tracked;
  }
}

// Every target in every round, at the side plan's pace.
const probePlan = (p: SidePlan): ProbePlan => ({
  profile: p.profile,
  intervalMs: p.intervalMs,
  targetsPerRound: "all",
  timeoutMs: p.timeoutMs,
});

// Rejects when `p` takes longer than `ms`.
export function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not stopped within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p.then(() => undefined), late]).finally(() => clearTimeout(timer));
}
