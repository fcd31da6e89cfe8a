// Network interface facts by name, for commands that take one (profile
// create --device, import-current): what identifies the NIC, as switching
// finds it again (core/switch/device.ts), not its address now, which may be
// IPFire's spoofed MAC.

import { identityOf } from "../core/switch/device.ts";
import { listNics } from "./nics.ts";
import type { Paths } from "./paths.ts";

export function interfaceMac(paths: Paths, ifname: string): string | undefined {
  const nic = listNics(paths).find((n) => n.ifname === ifname);
  return nic && identityOf(nic);
}

export function interfaceExists(paths: Paths, ifname: string): boolean {
  return listNics(paths).some((n) => n.ifname === ifname);
}
