// Finds a profile's NIC on this boot. A profile names its NIC by MACADDR, the
// address IPFire's udev matches RED_MACADDR against when it names the NIC
// red0 at boot (contract §0.10). What a NIC's address is now says little:
// IPFire's `red start` puts the spoofed MAC of mac/settings on whichever NIC
// becomes RED and `red stop` leaves it there (§0a.1), and a QMI modem in
// raw-IP mode has no address at all (§0a.2). So a NIC is known by what
// survives those changes, in this order:
//   1. its identity: the permanent hardware address the kernel keeps for a
//      real NIC (IFLA_PERM_ADDRESS), or for a QMI modem the address IPFire's
//      udev derives from its control channel's number (02:ff:ff:ff:ff:NN for
//      /dev/cdc-wdmN, functions.network qmi_assign_address);
//   2. for a NIC that has neither (veth pairs, some USB NICs), the name it
//      had this boot when its address was last known to be its own: the
//      RED_DEV that ethernet/settings pairs with RED_MACADDR (udev named it
//      by that address at boot, and mwan keeps the pair right at every
//      switch), and the pairs mwan recorded at its switches this boot;
//   3. its address now, when one NIC alone has it.

import type { ProfileData } from "../schema/profile.ts";
import type { ResolvedDevice } from "./red-keys.ts";

export interface NetInterface {
  ifname: string;
  mac: string; // the address now, lowercase; "" when it has none (raw-IP)
  permanent?: string; // the kernel's permanent address, when it has one
  qmi: boolean; // has /sys/class/net/<if>/qmi (a QMI modem's netdev)
  wdm?: number; // N of its control channel /dev/cdc-wdmN (QMI)
}

// A NIC name known to belong to an address this boot.
export interface KnownNic {
  ifname: string;
  mac: string;
}

export type DeviceLookup = { ok: true; device: ResolvedDevice } | { ok: false; reason: string };

// The address udev gives a QMI modem's netdev (functions.network 544).
export function qmiAddress(wdm: number): string {
  return `02:ff:ff:ff:ff:${(wdm & 0xff).toString(16).padStart(2, "0")}`;
}

// What identifies the NIC, whatever its address is now.
export function identityOf(nic: NetInterface): string | undefined {
  if (nic.wdm !== undefined) return qmiAddress(nic.wdm);
  return nic.permanent ?? (nic.mac || undefined);
}

// The NIC that is `mac`'s on this boot, by the rules above.
export function nicFor(
  mac: string,
  interfaces: readonly NetInterface[],
  known: readonly KnownNic[],
): NetInterface | undefined {
  const byIdentity = interfaces.find((i) => identityOf(i) === mac);
  if (byIdentity) return byIdentity;
  // Only a NIC that has no identity of its own can be known by name.
  const unidentified = (i: NetInterface) => i.permanent === undefined && i.wdm === undefined;
  const named = known.filter((k) => k.mac === mac).map((k) => k.ifname);
  const byName = interfaces.find((i) => unidentified(i) && named.includes(i.ifname));
  if (byName) return byName;
  const byAddress = interfaces.filter((i) => i.mac === mac);
  return byAddress.length === 1 ? byAddress[0] : undefined;
}

export function findDevice(
  profile: ProfileData,
  interfaces: readonly NetInterface[],
  known: readonly KnownNic[] = [],
): DeviceLookup {
  const mac = profile.MACADDR?.toLowerCase();
  if (mac) {
    const nic = nicFor(mac, interfaces, known);
    if (nic) return { ok: true, device: { ifname: nic.ifname, mac } };
    return {
      ok: false,
      reason: `no interface has MAC ${mac} (is the ${what(profile)} plugged in?)`,
    };
  }
  // Only QMI profiles may lack a MAC: udev derives it from the modem's
  // cdc-wdm number, so take the named netdev, or the only QMI netdev there is.
  const named = interfaces.find((i) => i.ifname === profile.DEVICE && i.qmi);
  const modems = interfaces.filter((i) => i.qmi);
  const nic = named ?? (modems.length === 1 ? modems[0] : undefined);
  const id = nic && identityOf(nic);
  if (nic && id) return { ok: true, device: { ifname: nic.ifname, mac: id } };
  return {
    ok: false,
    reason:
      modems.length === 0
        ? "no QMI modem is present (is it plugged in?)"
        : `${modems.length} QMI modems are present; set MACADDR or DEVICE`,
  };
}

// The NICs a message can offer instead of a name that is not there (not lo).
export function nicNames(interfaces: readonly NetInterface[]): string {
  const names = interfaces.filter((i) => i.qmi || i.mac !== "00:00:00:00:00:00").map((i) => i.ifname);
  return names.length > 0 ? names.join(", ") : "none";
}

// The pairs worth remembering after a switch: this boot's names of the NICs
// whose identity is only their address, newest first, one per name.
export function rememberNics(known: readonly KnownNic[], seen: readonly KnownNic[]): KnownNic[] {
  const out: KnownNic[] = [];
  for (const k of [...seen, ...known])
    if (!out.some((o) => o.ifname === k.ifname || o.mac === k.mac)) out.push(k);
  return out.slice(0, 32);
}

function what(profile: ProfileData): string {
  return profile.TYPE === "QMI" ? "modem" : "network card";
}
