// What an event tells the admin's scripts and mail: plain data, built once the
// outcome it reports is known, and the environment a script gets from it.
// Every variable is set for every kind of event (empty where it has no
// meaning), so a script never has to tell unset from empty.

export type EventName = "failover" | "failback" | "failure" | "test";

export interface MwanEvent {
  // Counts from 1 in each daemon run (0 for a test event): a gap tells a
  // script that events were dropped while it was too slow to take them.
  seq: number;
  event: EventName;
  // The engine's word for a switch (failover, rescue, return, retry,
  // operator, failback); outage for a failure; test for a test.
  kind: string;
  // How the switch ended; empty for failure and test.
  result: "ok" | "failed" | "";
  from: string; // the profile RED was on
  to: string; // the profile it was switched to; empty for failure and test
  active: string; // the profile RED's settings name once the outcome is known
  reason: string; // why mwan switched (or what the failure is)
  error: string; // why the switch failed; empty otherwise
  message: string; // one line for a person, all of the above
  at: number; // when the outcome was known (ms since the epoch)
}

export function eventEnv(e: MwanEvent, host: string): Record<string, string> {
  return {
    MWAN_EVENT: e.event,
    MWAN_KIND: e.kind,
    MWAN_RESULT: e.result,
    MWAN_FROM: e.from,
    MWAN_TO: e.to,
    MWAN_ACTIVE: e.active,
    MWAN_REASON: e.reason,
    MWAN_ERROR: e.error,
    MWAN_MESSAGE: e.message,
    MWAN_TIME: new Date(e.at).toISOString(),
    MWAN_SEQ: String(e.seq),
    MWAN_HOST: host,
  };
}

export interface SwitchOutcome {
  event: "failover" | "failback";
  kind: string;
  from: string;
  to: string;
  reason: string;
  // undefined: the switch succeeded.
  error?: string;
  active: string;
}

export function switchEvent(s: SwitchOutcome, seq: number, at: number): MwanEvent {
  const step = `${s.kind}: ${s.from} -> ${s.to}`;
  const failed = s.error !== undefined;
  return {
    seq,
    event: s.event,
    kind: s.kind,
    result: failed ? "failed" : "ok",
    from: s.from,
    to: s.to,
    active: s.active,
    reason: s.reason,
    error: s.error ?? "",
    message: failed ? `${step} failed: ${s.error}; RED on ${s.active}` : `${step}: ${s.reason}`,
    at,
  };
}

// No uplink works: RED stays on `active`, the last profile tried.
export function failureEvent(active: string, reason: string, seq: number, at: number): MwanEvent {
  return {
    seq,
    event: "failure",
    kind: "outage",
    result: "",
    from: active,
    to: "",
    active,
    reason,
    error: "",
    message: reason,
    at,
  };
}

export function testEvent(active: string, at: number): MwanEvent {
  return {
    seq: 0,
    event: "test",
    kind: "test",
    result: "",
    from: "",
    to: "",
    active,
    reason: "mwan events test",
    error: "",
    message: `test event from mwan events test; RED on ${active || "an unknown profile"}`,
    at,
  };
}
