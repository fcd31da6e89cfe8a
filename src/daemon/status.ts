// What the daemon publishes for `mwan status`: a snapshot of the engine's
// state in /var/run/mwan/status.json (tmpfs), rewritten when it changes.

import { sideFailbackAt } from "../core/engine/failback.ts";
import type { ProbePlan, SideWatch, State, SwitchRecord } from "../core/engine/types.ts";
import { summarize, type TargetStats, type TargetSummary } from "../core/health/stats.ts";
import type { LinkFacts } from "../adapters/probe/types.ts";

export interface StatusSnapshot {
  version: 3; // 2: profiles added; 3: lastCommand, probeProblem
  writtenAt: number;
  pid: number;
  startedAt: number;
  primary: string;
  active: string;
  activeSince: number;
  mode: State["mode"];
  hold: boolean;
  reason: string;
  // The last admin command acted on (daemon/commands.ts): its id, whether
  // the engine began a switch for it, and why it refused it.
  lastCommand: { id: string; switched: boolean; refused: string | null } | null;
  // Why probes cannot run at all (ping missing or failing), null when they can.
  probeProblem: string | null;
  // The last SIGHUP: when it was taken in, and why the configuration in
  // force stayed (null: the new one is in force), as one line and a line
  // per problem.
  lastReload: Reload | null;
  red: Pick<LinkFacts, "iface" | "localAddress" | "gateway" | "active" | "carrier" | "operstate"> | null;
  health: { state: State["link"]["health"]; since: number; reason: string };
  targets: (TargetSummary & { target: string })[];
  probe: ProbePlan | null;
  failback: {
    nextTrialAt: number | null;
    failedTrials: number;
    deferred: string | null;
    probationUntil: number | null;
    // When RED goes back to a primary healthy from the side (absent: not so).
    sideBackAt?: number | null;
  };
  rescue: State["rescue"];
  // Every profile in preference order; carrier of the NIC of those not on
  // RED (null: unknown, e.g. no such NIC; absent: not looked at yet).
  profiles: {
    name: string;
    primary: boolean;
    priority: number;
    metered: boolean;
    carrier?: boolean | null;
  }[];
  // The side watch of each profile RED does not carry (absent: not watched).
  side?: Record<string, SideSnapshot>;
  inFlight: SwitchRecord | null;
  history: readonly SwitchRecord[];
}

export interface SideSnapshot {
  mode: SideWatch["mode"];
  status: SideWatch["status"];
  statusSince: number;
  statusReason: string;
  health: SideWatch["health"];
  healthSince: number;
  healthReason: string;
  goodSince: number | null;
  targets: (TargetSummary & { target: string })[];
}

export interface Reload {
  at: number;
  error: string | null;
  problems?: string[];
}

export function snapshot(
  state: State,
  now: number,
  daemon: {
    pid: number;
    startedAt: number;
    primary: string;
    lastCommand: StatusSnapshot["lastCommand"];
    probeProblem: string | null;
    lastReload: Reload | null;
  },
  facts: LinkFacts | null,
): StatusSnapshot {
  const link = state.link;
  return {
    version: 3,
    writtenAt: now,
    ...daemon,
    active: state.active,
    activeSince: state.activeSince,
    mode: state.mode,
    hold: state.hold,
    reason: state.reason,
    red: facts && {
      iface: facts.iface,
      localAddress: facts.localAddress,
      gateway: facts.gateway,
      active: facts.active,
      carrier: facts.carrier,
      operstate: facts.operstate,
    },
    health: {
      state: link.health,
      since: link.healthSince,
      reason: link.healthReason,
    },
    targets: summaries(link.targets, now, state),
    probe: state.probe,
    failback: {
      nextTrialAt: state.hold ? null : state.failback.nextTrialAt, // no trials while on hold
      failedTrials: state.failback.failedTrials,
      deferred: state.failback.deferred,
      probationUntil: state.failback.probation?.until ?? null,
      sideBackAt: state.hold ? null : sideFailbackAt(state),
    },
    rescue: state.rescue,
    profiles: state.profiles.map((p) => ({
      name: p.name,
      primary: p.isPrimary,
      priority: p.priority,
      metered: p.metered,
      ...(Object.hasOwn(state.standby, p.name) ? { carrier: state.standby[p.name]?.carrier ?? null } : {}),
    })),
    side: Object.fromEntries(
      Object.entries(state.side).map(([name, w]) => [
        name,
        {
          mode: w.mode,
          status: w.status,
          statusSince: w.statusSince,
          statusReason: w.statusReason,
          health: w.health,
          healthSince: w.healthSince,
          healthReason: w.healthReason,
          goodSince: w.goodSince,
          targets: summaries(w.targets, now, state),
        },
      ]),
    ),
    inFlight: state.inFlight,
    history: state.history,
  };
}

function summaries(targets: Readonly<Record<string, TargetStats>>, now: number, state: State) {
  return Object.entries(targets).map(([target, stats]) => ({
    target,
    ...summarize(stats, now, state.config.stats),
  }));
}

// Only a snapshot written by the running daemon (pid) counts.
export function readSnapshot(text: string | undefined, pid: number): StatusSnapshot | undefined {
  try {
    const snap = text === undefined ? undefined : (JSON.parse(text) as StatusSnapshot);
    return snap?.version === 3 && snap.pid === pid ? snap : undefined;
  } catch {
    return undefined;
  }
}
