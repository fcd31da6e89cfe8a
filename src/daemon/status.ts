// What the daemon publishes for `mwan status`: a snapshot of the engine's
// state in /var/run/mwan/status.json (tmpfs), rewritten when it changes.

import type { ProbePlan, State, SwitchRecord } from "../core/engine/types.ts";
import { summarize, type TargetSummary } from "../core/health/stats.ts";
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
  inFlight: SwitchRecord | null;
  history: readonly SwitchRecord[];
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
    targets: Object.entries(link.targets).map(([target, stats]) => ({
      target,
      ...summarize(stats, now, state.config.stats),
    })),
    probe: state.probe,
    failback: {
      nextTrialAt: state.hold ? null : state.failback.nextTrialAt, // no trials while on hold
      failedTrials: state.failback.failedTrials,
      deferred: state.failback.deferred,
      probationUntil: state.failback.probation?.until ?? null,
    },
    rescue: state.rescue,
    profiles: state.profiles.map((p) => ({
      name: p.name,
      primary: p.isPrimary,
      priority: p.priority,
      metered: p.metered,
      ...(Object.hasOwn(state.standby, p.name) ? { carrier: state.standby[p.name]?.carrier ?? null } : {}),
    })),
    inFlight: state.inFlight,
    history: state.history,
  };
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
