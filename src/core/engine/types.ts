// The engine's data: what it knows (State), what it is told (Event) and what
// it asks the shell to do (Action). All plain data, so a state can be dumped
// as JSON for the status command and replayed in tests.

import type { LinkFacts } from "../health/link.ts";
import type { ProbeResult, Streak } from "../health/round.ts";
import type { TargetStats } from "../health/stats.ts";
import type { EngineConfig } from "./config.ts";

export interface Profile {
  name: string;
  // Lower is preferred; orders the backups (the primary always comes first).
  priority: number;
  metered: boolean;
  isPrimary: boolean;
  // How the profile can be watched from the side while it does not carry RED
  // (the shell knows its type): probes through its own NIC (DHCP, STATIC),
  // PPPoE discovery only (a PPPoE/VDSL primary), or not at all (QMI, a
  // PPPoE backup). Absent: "none".
  side?: SideMode | "none";
}

// probes: ICMP/DNS rounds through the profile's own NIC, address and a
// routing table only mwan's probes use; discovery: a PPPoE PADI/PADO exchange
// proves the line and the access concentrator answer, nothing more.
export type SideMode = "probes" | "discovery";

// A profile watched from the side (through its own NIC) while another carries
// RED. Judged with the same round arithmetic as RED's link (downRounds,
// upRounds, quorum), from the rounds the shell reports.
export interface SideWatch {
  mode: SideMode;
  // running: the side path is up and rounds come in; unavailable: it cannot
  // run now (no lease offered, no address, the NIC vanished, the client died):
  // for the primary the engine then falls back to trials with back-off.
  status: "running" | "unavailable";
  statusSince: number;
  statusReason: string;
  health: Health;
  healthSince: number;
  healthReason: string;
  // Start of the current run of passed rounds (null after a failed round or
  // before the first): what FAILBACK_DELAY is counted from.
  goodSince: number | null;
  streak: Streak;
  targets: Readonly<Record<string, TargetStats>>;
}

// What the shell should watch from the side: one entry per profile, every
// `intervalMs` a round to all its targets (discovery: one PADI/PADO exchange,
// reported as a round of one result, rttMs null when no PADO came).
export interface SidePlan {
  profile: string;
  mode: SideMode;
  intervalMs: number;
  timeoutMs: number;
}

// unproven: carrying RED but not yet shown to work (after a switch, at start,
// or after a down spell); up: proven; down: failed by facts or probes.
export type Health = "unproven" | "up" | "down";

// Health of the profile RED carries now. Replaced on every switch, so probe
// results and statistics never mix two uplinks.
export interface LinkState {
  profile: string;
  since: number; // RED carries this profile since (switch done or engine start)
  facts: LinkFacts | null; // null until the shell's first report
  // All facts were good at least once since `since`; until then the
  // bring-up grace applies instead of the debounce.
  everOk: boolean;
  faultSince: number | null;
  streak: Streak;
  health: Health;
  healthSince: number;
  healthReason: string;
  targets: Readonly<Record<string, TargetStats>>;
}

// failover: the primary failed; failback: a trial of the primary; return: back
// to the backup after a failed trial; rescue: the current backup failed, next
// profile; retry: a new round of attempts after every profile failed;
// operator: a `switch to` command.
export type SwitchKind = "failover" | "failback" | "return" | "rescue" | "retry" | "operator";

export interface SwitchRecord {
  at: number;
  from: string;
  to: string;
  kind: SwitchKind;
  reason: string;
  doneAt: number | null;
  ok: boolean | null;
  failure: string | null;
}

export interface Probation {
  trial: number; // 1 for the first trial since the primary was last stable
  returnTo: string;
  until: number | null; // set when the switch to the primary is done
}

export interface FailbackState {
  // Failed trials (and early relapses of the primary) since it was last
  // stable: the back-off exponent.
  failedTrials: number;
  // Earliest next trial; null while RED carries the primary. Not used while
  // the primary's side watch runs probes (see failback.ts sideFailbackAt).
  nextTrialAt: number | null;
  probation: Probation | null;
  // When RED last came back to the primary from another profile. A failure
  // within EngineConfig.failback.stableMs of it counts as a failed trial (the
  // primary is flapping); after that long the back-off is reset.
  returnedAt: number | null;
  // Why a due trial is not happening (no carrier on the primary's NIC…).
  deferred: string | null;
}

// Looking for any working profile after the current one failed.
export interface RescueState {
  failed: readonly string[]; // profiles that failed in this round of attempts
  round: number; // rounds of attempts that found nothing (the back-off level)
  retryAt: number | null; // set while pausing after a fruitless round
}

// Carrier of a profile's NIC while it does not carry RED.
export interface StandbyCarrier {
  carrier: boolean | null;
  since: number;
}

// What the shell should probe: a round to `targetsPerRound` targets (rotating
// through the profile's list when fewer than all) every `intervalMs`.
export interface ProbePlan {
  profile: string;
  intervalMs: number;
  targetsPerRound: number | "all";
  timeoutMs: number;
}

export interface State {
  config: EngineConfig;
  profiles: readonly Profile[]; // preference order: primary, then by priority
  mode: "running" | "switching" | "shutdown";
  active: string; // the profile RED's settings name
  activeSince: number;
  reason: string; // one line for the status output: why things are as they are
  inFlight: SwitchRecord | null;
  link: LinkState;
  failback: FailbackState;
  rescue: RescueState | null;
  hold: boolean; // operator: no automatic switching
  standby: Readonly<Record<string, StandbyCarrier>>;
  // Side watches by profile (never the one RED carries).
  side: Readonly<Record<string, SideWatch>>;
  history: readonly SwitchRecord[]; // newest last
  probe: ProbePlan | null;
  // Derived like `probe` after every event: the profiles to watch from the
  // side now (never the one RED carries nor, mid-switch, either end of the
  // switch; none in shutdown).
  sidePlan: readonly SidePlan[];
}

export type Command =
  // Switch and hold there. rollback (default): if the profile does not come
  // up, RED goes back and the hold ends; without, RED stays on it, held.
  | { kind: "switchTo"; profile: string; rollback?: boolean }
  | { kind: "failbackNow" } // trial of the primary now, ignoring back-off
  | { kind: "hold" }
  | { kind: "resume" };

export type Event =
  | { type: "tick" }
  | {
      type: "probeRound";
      profile: string; // the profile RED carried when the round was sent
      sentAt: number;
      results: readonly ProbeResult[];
    }
  | { type: "link"; profile: string; facts: LinkFacts }
  | { type: "standbyCarrier"; profile: string; carrier: boolean | null }
  // The side watch of a profile started (running), cannot run (unavailable,
  // with why), or was stopped by the shell (the entry is dropped).
  | {
      type: "sideStatus";
      profile: string;
      status: "running" | "unavailable" | "stopped";
      mode: SideMode;
      reason: string;
    }
  | {
      type: "sideRound";
      profile: string;
      sentAt: number;
      results: readonly ProbeResult[];
    }
  | { type: "switchDone"; to: string; ok: true }
  | {
      type: "switchDone";
      to: string;
      ok: false;
      reason: string;
      // The profile RED's settings name after the failure, when it is not
      // `to` (the shell could not rewrite them).
      active?: string;
    }
  | { type: "command"; command: Command }
  | { type: "shutdown" };

export type Action =
  | {
      type: "switch";
      from: string;
      to: string;
      kind: Exclude<SwitchKind, "failback">;
      reason: string;
      // Back to `from` if `to` does not come up (an operator's switch); the
      // engine's own switches look for the next profile instead.
      rollback: boolean;
    }
  | {
      type: "failback";
      from: string;
      to: string;
      trial: number;
      probationMs: number;
      reason: string;
    }
  | {
      type: "notify";
      severity: "info" | "warning" | "critical";
      message: string;
    }
  // refused: the line says why an admin's command was not carried out (the
  // daemon hands it back to the command waiting for its answer).
  | { type: "log"; level: "debug" | "info" | "warning"; message: string; refused?: true };

export interface Decision {
  state: State;
  actions: Action[];
}
