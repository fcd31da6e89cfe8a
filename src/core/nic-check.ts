// What only the box's NICs can tell of a configuration: a profile whose NIC
// is not there, a backup on the primary's own NIC (it fails with the primary
// when that NIC or its line does), two backups on one NIC (a VDSL or PPPoE
// profile uses its NIC as a whole too), and backups of equal PRIORITY, which
// failover tries in name order, perhaps not the one the admin meant.

import type { ProfileData } from "./schema/profile.ts";
import { findDevice, type KnownNic, type NetInterface, nicNames } from "./switch/device.ts";

export interface BoxNics {
  interfaces: NetInterface[];
  known: KnownNic[];
}

export interface NicFindings {
  // Errors once mwan is enabled: failover cannot work so.
  needed: string[];
  warnings: string[];
}

export function checkNics(
  primary: string | undefined,
  profiles: Record<string, ProfileData>,
  box: BoxNics,
): NicFindings {
  const needed: string[] = [];
  const warnings: string[] = [];
  const onNic = new Map<string, string[]>();
  for (const [name, profile] of Object.entries(profiles)) {
    const found = findDevice(profile, box.interfaces, box.known);
    if (!found.ok) {
      warnings.push(`profiles/${name}: ${found.reason}; the box has: ${nicNames(box.interfaces)}`);
      continue;
    }
    onNic.set(found.device.ifname, [...(onNic.get(found.device.ifname) ?? []), name]);
  }
  const list = (names: string[]) => names.map((n) => `profiles/${n}`).join(", ");
  for (const [nic, names] of onNic) {
    if (names.length < 2) continue;
    const backups = names.filter((n) => n !== primary);
    if (primary !== undefined && names.includes(primary))
      needed.push(
        `${list(backups)}: on ${nic}, the primary's own NIC: it fails with the primary when that NIC or its line does`,
      );
    else warnings.push(`${list(names)}: all on ${nic}: a failure of that NIC or its line takes them all`);
  }
  const byPriority = new Map<number, string[]>();
  for (const [name, p] of Object.entries(profiles))
    if (name !== primary) byPriority.set(p.PRIORITY, [...(byPriority.get(p.PRIORITY) ?? []), name]);
  for (const [priority, names] of byPriority)
    if (names.length > 1)
      warnings.push(
        `${list(names)}: PRIORITY ${priority} each; failover tries them in name order (set PRIORITY to choose)`,
      );
  return { needed, warnings };
}
