// The side path of a profile that does not carry RED: its own NIC, an address
// on it and a routing table that only mwan's probes use, so the profile can be
// probed without touching RED, the main routing table or the LAN's path.
// Shared by the side watch (src/daemon) and the adapters that build the path.

import type { SideMode } from "../../core/engine/types.ts";
import type { Paths } from "../paths.ts";
import type { Via } from "../probe/types.ts";
import type { SideRole } from "./records.ts";

// What probes through the side path need: ping -I iface and sockets bound
// to localAddress are routed by mwan's rules into its own table.
export interface SideVia extends Via {
  localAddress: string;
  gateway: string;
  table: number;
}

export type SideReport =
  // The path is up (first time, or again after it was lost: a new lease).
  | { kind: "ready"; via: SideVia }
  // The path is gone or cannot be built; why, in words for the log and status.
  | { kind: "unavailable"; reason: string };

export interface SideLink {
  readonly profile: string;
  readonly mode: SideMode;
  // Builds the path in the background and reports every change; never throws.
  start(report: (r: SideReport) => void): void;
  // Discovery mode: one PADI/PADO exchange on the profile's NIC or VLAN.
  discover?(timeoutMs: number): Promise<{ ok: boolean; detail: string }>;
  // Tears the path down completely (a DHCP lease is kept, never released),
  // leaving the NIC as the standby carrier watch left it. Idempotent.
  stop(): Promise<void>;
  // The switch went ahead without waiting for stop() (it overran its
  // bound): the NIC is IPFire's now, and the address on it may be the very
  // one the link had (the same lease from the same DHCP client identity, the
  // same STATIC address). Whatever the teardown still does leaves the NIC's
  // addresses alone.
  abandon(): void;
}

// What the side adapters are handed (index.ts builds the links from it).
export interface SideDeps {
  paths: Paths;
  // Debug lines (which commands ran, what dhcpcd said); never passwords.
  log?: (line: string) => void;
  // The mwan binary dhcpcd's script links to; the running one by default
  // (tests of the adapters, run by bun, name the compiled binary).
  executable?: string;
  // How long a DHCP side path waits for a lease before it reports that none
  // was offered (dhcp.ts OFFER_BOUND_MS).
  offerBoundMs?: number;
  // Whose links these are (records.ts): the daemon's by default.
  role?: SideRole;
}
