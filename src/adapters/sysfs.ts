// Network interface facts by name, for commands that take one (profile
// create --device, import-current): what identifies the NIC, as switching
// finds it again (core/switch/device.ts), not its address now, which may be
// IPFire's spoofed MAC.

import { readlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { identityOf, nicNames } from "../core/switch/device.ts";
import { readTextIfExists } from "./files.ts";
import { listNics } from "./nics.ts";
import type { Paths } from "./paths.ts";

export function interfaceMac(paths: Paths, ifname: string): string | undefined {
  const nic = listNics(paths).find((n) => n.ifname === ifname);
  return nic && identityOf(nic);
}

export function interfaceExists(paths: Paths, ifname: string): boolean {
  return listNics(paths).some((n) => n.ifname === ifname);
}

// Why `ifname` names none of this box's NICs, naming those it has: the same
// words for --device and the interface prompt.
export function noSuchInterface(paths: Paths, ifname: string): string | undefined {
  const nics = listNics(paths);
  if (nics.some((n) => n.ifname === ifname)) return undefined;
  return `DEVICE: ${ifname}: no such interface (the box has: ${nicNames(nics)})`;
}

// A NIC as the interface prompt offers it: enough to tell the admin's
// cables apart (which driver, whether a link is there).
export interface NicChoice {
  ifname: string;
  mac: string | undefined; // its identity, the permanent address where known
  driver: string | undefined;
  carrier: boolean | undefined; // undefined: unknown (the NIC is down)
  qmi: boolean;
}

export function nicChoices(paths: Paths): NicChoice[] {
  return listNics(paths)
    .filter((n) => n.qmi || n.mac !== "00:00:00:00:00:00") // not the loopback
    .map((n) => {
      const dir = join(paths.sysClassNet, n.ifname);
      return {
        ifname: n.ifname,
        mac: identityOf(n),
        driver: driverOf(dir),
        carrier: carrierOf(dir),
        qmi: n.qmi,
      };
    });
}

function driverOf(dir: string): string | undefined {
  try {
    return basename(readlinkSync(join(dir, "device", "driver")));
  } catch {
    return undefined; // virtual NICs have none
  }
}

// The kernel refuses to read carrier of a NIC that is down (EINVAL).
function carrierOf(dir: string): boolean | undefined {
  try {
    const v = readTextIfExists(join(dir, "carrier"))?.trim();
    return v === "1" ? true : v === "0" ? false : undefined;
  } catch {
    return undefined;
  }
}
