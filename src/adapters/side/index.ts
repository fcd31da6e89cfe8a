// The side path of a profile that does not carry RED (see types.ts).
//
// Usage (the daemon's side watch):
//   at daemon start, before any link:   await cleanupSideLinks(deps)
//   for a profile and the NIC findDevice found for it (standby.ts):
//     const link = openSideLink(deps, name, profile, ifname);
//     if ("unavailable" in link) → log link.unavailable, fall back to trials
//     link.start((r) => …)  "ready": probe through r.via (ping -I r.via.iface,
//                           sockets bound to r.via.localAddress); "unavailable":
//                           r.reason, in words; a later "ready" means it is back
//     await link.discover?.(ms)   PPPoE/VDSL (mode "discovery"): one PADI/PADO
//     await link.stop()     before RED moves to the profile, and at daemon
//                           stop; DHCP stops without a release, and returns
//                           only once that dhcpcd is gone (IPFire's
//                           dhcpcd_start refuses while one runs on the NIC)
// The NIC must be up (the standby carrier watch raises it); the link never
// changes its link state, its MAC, RED, the main table or IPFire's files.

import type { ProfileData } from "../../core/schema/profile.ts";
import { SidePath } from "./path.ts";
import { cleanupRecords } from "./cleanup.ts";
import { testHolding, validIfname } from "./records.ts";
import { cleanupRange, placement, roleSlots } from "./routing.ts";
import { StaticSideLink } from "./static.ts";
import { DhcpSideLink } from "./dhcp.ts";
import { discoveryLink } from "./discovery.ts";
import type { SideDeps, SideLink } from "./types.ts";
import type { SideRole } from "./records.ts";

export type { SideDeps };

// Slots of mwan's table/rule range held by open links of this process.
const slots = new Set<number>();

function takeSlot(role: SideRole): number | undefined {
  const { first, last } = roleSlots(role);
  for (let s = first; s <= last; s++)
    if (!slots.has(s)) {
      slots.add(s);
      return s;
    }
  return undefined;
}

export function openSideLink(
  deps: SideDeps,
  profileName: string,
  profile: ProfileData,
  ifname: string,
): SideLink | { unavailable: string } {
  if (!validIfname(ifname)) return { unavailable: `${JSON.stringify(ifname)} is not a NIC name` };
  if (profile.TYPE === "QMI") return { unavailable: "a QMI modem has no side path: trials as before" };
  const role = deps.role ?? "daemon";
  const tester = role === "daemon" ? testHolding(deps.paths, ifname) : undefined;
  if (tester !== undefined) return { unavailable: `mwan profile test (pid ${tester}) is using ${ifname}` };
  if (profile.TYPE === "PPPOE" || profile.TYPE === "VDSL")
    return discoveryLink(deps, profileName, profile, ifname);
  const slot = takeSlot(role);
  if (slot === undefined) return { unavailable: `no free side path slot for the ${role}` };
  const path = new SidePath(deps.paths, profileName, ifname, placement(slot), role);
  const release = () => slots.delete(slot);
  if (profile.TYPE === "STATIC") return new StaticSideLink(profileName, path, profile, release);
  return new DhcpSideLink(
    profileName,
    deps.paths,
    path,
    {
      hostname: profile.DHCP_HOSTNAME,
      rapidCommit: profile.DHCP_RAPID_COMMIT !== "off",
      executable: deps.executable ?? process.execPath,
      offerBoundMs: deps.offerBoundMs,
      log: deps.log,
    },
    release,
  );
}

// What a killed holder of deps.role left: its dhcpcds, addresses and VLANs
// (from the role's records) and every rule and route in the role's slots.
// Call before the first openSideLink; never touches anything outside them.
export async function cleanupSideLinks(deps: SideDeps): Promise<void> {
  const role = deps.role ?? "daemon";
  await cleanupRecords(deps.paths, role);
  await cleanupRange(deps.paths, role);
}
