// A daemon's snapshot and the status model's inputs, healthy on dsl, for
// the status model's tests to amend.

import type { StatusSnapshot } from "../../../src/daemon/status.ts";
import type { StatusInputs } from "../../../src/daemon/status-model.ts";

export const NOW = Date.UTC(2026, 11, 3, 14, 5, 0);

export function live(over: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    version: 3,
    writtenAt: NOW,
    pid: 42,
    startedAt: NOW - 600_000,
    primary: "dsl",
    active: "dsl",
    activeSince: NOW - 600_000,
    mode: "running",
    hold: false,
    reason: "started",
    lastCommand: null,
    probeProblem: null,
    lastReload: null,
    red: null,
    health: { state: "up", since: NOW - 500_000, reason: "10 good rounds" },
    targets: [],
    probe: null,
    failback: { nextTrialAt: null, failedTrials: 0, deferred: null, probationUntil: null },
    rescue: null,
    profiles: [],
    inFlight: null,
    history: [],
    ...over,
  };
}

export function inputs(over: Partial<StatusInputs> = {}): StatusInputs {
  return {
    now: NOW,
    enabled: true,
    primary: "dsl",
    pid: 42,
    live: live(),
    active: "dsl",
    red: {
      iface: "red0",
      exists: true,
      carrier: true,
      operstate: "up",
      active: true,
      localAddress: "203.0.113.10",
      gateway: "203.0.113.1",
    },
    history: [],
    heldOnDisk: null,
    journal: null,
    mismatch: null,
    ...over,
  };
}
