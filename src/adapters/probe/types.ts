// The shapes the probing shell hands to the decision engine. Plain data only:
// the engine never sees a process, a socket or a timer.

export type ProbeKind = "icmp" | "dns" | "http";

// What to probe. `target` is an IPv4 address for icmp and dns (the DNS server
// asked directly, never the firewall's own resolver) and an http(s) URL for http.
export type ProbeTarget = {
  kind: ProbeKind;
  target: string;
  // Overrides the round's default; every probe carries its own timeout.
  timeoutMs?: number;
};

// Where probes leave from this round. Read afresh every round, because a profile
// switch renames RED (red0 → ppp0 and back) and changes its address.
export type Via = {
  iface: string;
  localAddress: string | null;
};

// Why a probe failed, so the engine can tell "the path is dead" from "we could
// not even try" (a missing RED device is a link fact, not packet loss).
export type ProbeFault =
  | "timeout" // nothing came back in time
  | "unreachable" // the kernel or a router said no route / refused
  | "local" // not attempted: no interface, no address, tool missing, bad input
  | "in-flight" // skipped: the previous probe of this target is still running
  | "error"; // anything else (an adapter bug, an odd exit code)

export type ProbeResult = {
  kind: ProbeKind;
  target: string;
  ok: boolean;
  rttMs?: number;
  fault?: ProbeFault;
  error?: string;
  // Epoch milliseconds at which the probe started (or was skipped).
  at: number;
};

// A probe's outcome before it is stamped with what was probed and when.
export type Verdict = Omit<ProbeResult, "kind" | "target" | "at">;

export const stamp =
  (target: ProbeTarget, at: number) =>
  (verdict: Verdict): ProbeResult => ({
    kind: target.kind,
    target: target.target,
    at,
    ...verdict,
  });

export type ProbeOptions = {
  timeoutMs: number;
  // Aborting (daemon shutdown) kills the probe's process or closes its socket.
  signal?: AbortSignal;
};

// One probe, one answer. Implementations resolve (never reject) within
// `timeoutMs` plus a little process start-up slack, and leave nothing running.
export interface Prober {
  probe(target: ProbeTarget, via: Via, options: ProbeOptions): Promise<ProbeResult>;
}

// What sysfs and /var/ipfire/red say about RED right now. A dead link is known
// without sending a packet, and faster than any probe timeout.
export type LinkFacts = {
  iface: string | null; // red/iface; null when missing, empty or not a valid name
  exists: boolean; // /sys/class/net/<iface> is present
  carrier: boolean | null; // null when unreadable (the kernel refuses while admin-down)
  operstate: string | null; // "up", "down", "lowerlayerdown", "unknown" (ppp), …
  active: boolean; // red/active exists: IPFire considers RED up
  localAddress: string | null; // red/local-ipaddress
  gateway: string | null; // red/remote-ipaddress
};

export const probeKey = (t: Pick<ProbeTarget, "kind" | "target">): string => `${t.kind}:${t.target}`;
