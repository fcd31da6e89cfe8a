// The script mwan's side dhcpcd runs (-c) for every event: the mwan binary
// itself under the name SIDE_HOOK_NAME, a symlink mwan makes in its own
// private side directory (dhcp.ts). So IPFire's dhcpcd-run-hooks and its
// dhcpcd.exe never run for it (they delete red/active and run red.down,
// contract §0.7, §5). It only writes what dhcpcd says, atomically, beside the
// symlink — <side dir>/<interface>.event — where the side link reads it. dhcpcd
// passes no MWAN_ROOT (its script environment is its own), so the directory
// comes from the name dhcpcd ran.

import { lstatSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../files.ts";
import { trustedUid } from "../processes.ts";
import { validIfname } from "./records.ts";

export const SIDE_HOOK_NAME = "mwan-side-dhcpcd-hook";

export interface LeaseEvent {
  reason: string;
  address?: string;
  prefix?: number;
  gateway?: string;
  server?: string;
}

export const eventFile = (dir: string, ifname: string): string => join(dir, `${ifname}.event`);

export const isSideHook = (invokedAs: string): boolean => basename(invokedAs) === SIDE_HOOK_NAME;

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/;

export function leaseEvent(env: Record<string, string | undefined>): LeaseEvent {
  const e: LeaseEvent = { reason: (env.reason ?? "").replace(/[^A-Z0-9_]/g, "").slice(0, 20) };
  const address = env.new_ip_address;
  const prefix = Number(env.new_subnet_cidr);
  const gateway = env.new_routers?.trim().split(/\s+/)[0];
  if (address && IPV4.test(address)) e.address = address;
  if (Number.isInteger(prefix) && prefix >= 1 && prefix <= 30) e.prefix = prefix;
  if (gateway && IPV4.test(gateway)) e.gateway = gateway;
  const server = env.new_dhcp_server_identifier;
  if (server && IPV4.test(server)) e.server = server;
  return e;
}

// Exit code for dhcpcd (which ignores it): 0 written, 1 refused.
export function runSideHook(invokedAs: string, env: Record<string, string | undefined>): number {
  const dir = dirname(invokedAs);
  const ifname = env.interface ?? "";
  if (!validIfname(ifname)) return 1;
  try {
    // Only mwan's own private directory: root's, nobody else may write it.
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.uid !== trustedUid() || (st.mode & 0o077) !== 0) return 1;
    writeFileAtomic(eventFile(dir, ifname), `${JSON.stringify(leaseEvent(env))}\n`, {
      mode: 0o600,
      durable: false,
    });
    return 0;
  } catch {
    return 1;
  }
}
