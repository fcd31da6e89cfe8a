// Network interface facts from /sys/class/net below the root prefix.

import { join } from "node:path";
import { readTextIfExists } from "./files.ts";
import type { Paths } from "./paths.ts";

export function interfaceMac(paths: Paths, ifname: string): string | undefined {
  const mac = readTextIfExists(join(paths.sysClassNet, ifname, "address"))?.trim();
  return mac === "" ? undefined : mac;
}

export function interfaceExists(paths: Paths, ifname: string): boolean {
  return readTextIfExists(join(paths.sysClassNet, ifname, "address")) !== undefined;
}
