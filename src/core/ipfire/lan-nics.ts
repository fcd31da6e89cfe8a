// The NICs IPFire keeps for its inside zones (ethernet/settings GREEN_DEV,
// BLUE_DEV, ORANGE_DEV and their *_MACADDR). A profile on one of them would
// have a switch move RED onto a LAN port, so no profile may name one.

export type LanZone = "GREEN" | "BLUE" | "ORANGE";

const ZONE_WORDS: Record<LanZone, string> = {
  GREEN: "the LAN",
  BLUE: "the wireless LAN",
  ORANGE: "the DMZ",
};

export interface LanNic {
  zone: LanZone;
  dev: string;
  mac?: string; // lowercase
}

// The zones ethernet/settings (read as IPFire reads it) gives a NIC.
export function lanNics(ethernet: Record<string, string>): LanNic[] {
  return (Object.keys(ZONE_WORDS) as LanZone[]).flatMap((zone) => {
    const dev = ethernet[`${zone}_DEV`] ?? "";
    const mac = ethernet[`${zone}_MACADDR`]?.toLowerCase() ?? "";
    if (dev === "" && mac === "") return [];
    return [{ zone, dev, ...(mac ? { mac } : {}) }];
  });
}

// "KEY: why", when a profile's DEVICE or MACADDR is one of the zones' NICs.
export function lanNicProblem(keys: Record<string, string>, lan: readonly LanNic[]): string | undefined {
  const mac = keys.MACADDR?.toLowerCase();
  for (const nic of lan) {
    const zone = `IPFire's ${nic.zone} interface`;
    if (keys.DEVICE && keys.DEVICE === nic.dev)
      return `DEVICE: ${nic.dev} is ${zone} (${ZONE_WORDS[nic.zone]}); a profile needs a NIC of its own`;
    if (mac && mac === nic.mac)
      return `MACADDR: ${mac} is the MAC of ${zone}${nic.dev ? ` ${nic.dev}` : ""} (${ZONE_WORDS[nic.zone]}); a profile needs a NIC of its own`;
  }
  return undefined;
}
