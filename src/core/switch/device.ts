// Finds a profile's NIC on this boot. udev names the NIC whose MAC matches
// RED_MACADDR "red0" at boot, so names change with the profile that was
// active then (contract §0.10): the MAC is the identity, the name a hint.

import type { ProfileData } from "../schema/profile.ts";
import type { ResolvedDevice } from "./red-keys.ts";

export interface NetInterface {
  ifname: string;
  mac: string; // lowercase
  qmi: boolean; // has /sys/class/net/<if>/qmi (a QMI modem's netdev)
}

export type DeviceLookup = { ok: true; device: ResolvedDevice } | { ok: false; reason: string };

export function findDevice(profile: ProfileData, interfaces: NetInterface[]): DeviceLookup {
  const mac = profile.MACADDR?.toLowerCase();
  if (mac) {
    const nic = interfaces.find((i) => i.mac === mac);
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
  if (nic) return { ok: true, device: { ifname: nic.ifname, mac: nic.mac } };
  return {
    ok: false,
    reason:
      modems.length === 0
        ? "no QMI modem is present (is it plugged in?)"
        : `${modems.length} QMI modems are present; set MACADDR or DEVICE`,
  };
}

function what(profile: ProfileData): string {
  return profile.TYPE === "QMI" ? "modem" : "network card";
}
