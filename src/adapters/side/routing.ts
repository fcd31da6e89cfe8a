// The routing of a side path, shared by STATIC and DHCP. The address goes on
// the NIC with noprefixroute, so the main table gets no connected route and no
// packet of the LAN's or of the firewall's own services can leave through it.
// Its subnet and a default route via the profile's gateway go into a table of
// mwan's own, and two rules send only mwan's probes there:
//   from <side address>  sockets bound to the address, and the reverse lookup
//                        of strict rp_filter (IPFire sets rp_filter=1) for
//                        the replies, which come in on the NIC to that address;
//   oif <nic>            ping -I <nic> (SO_BINDTODEVICE).
// A forwarded LAN packet matches neither: its source is a LAN address when it
// is routed (masquerading comes after), and forwarding lookups carry no oif.
// Numbers come from mwan's own range, far from IPFire's (tables 200/201/220,
// rule priority 128: contract §8), and are always given numerically, never
// through rt_tables.

//
// IPFire's packet filter (src/initscripts/system/firewall, firewall-policy)
// and the side path, as read there and rendered for the tests by
// test/ipfire/standin/firewall-rules.sh:
// - Probes leave through OUTPUT (policy ACCEPT, firewall 76): CUSTOMOUTPUT,
//   HOSTILE, BLOCKLISTOUT (not ICMP), CTOUTPUT, OUTGOINGFW (the admin's
//   rules), POLICYOUT — ACCEPT unless the admin set the outgoing policy to
//   "blocked" (MODE1, firewall-policy 182-197): then probes are dropped
//   like every outgoing packet the admin has not allowed.
// - Their replies come in on INPUT (policy DROP, firewall 74) and are
//   accepted by CTINPUT as ESTABLISHED (firewall 152, 269) before any rule
//   keyed to an interface; nothing on INPUT names RED except REDINPUT
//   (the DHCP rule, and SPOOFED_MARTIAN for RED's own address on red/iface,
//   firewall 466-491), which side traffic never matches.
// - DHCP: the first lease and rebinding go through dhcpcd's BPF socket,
//   which sees frames before netfilter. A renewal's unicast ACK is
//   ESTABLISHED and passes; a broadcast NAK to a renewal is NEW on a NIC
//   that is not red/iface and POLICYIN drops it (firewall-policy 116-121),
//   so dhcpcd learns of a refused renewal only when it rebinds (T2).
// - FORWARD: POLICYFWD lets GREEN's subnet out of any NIC
//   (firewall-policy 143-153), so only routing keeps the LAN off the side
//   NIC: no route of the main table leads there. REDNAT masquerades only
//   out of red/iface (firewall 526): nothing is NATed on the side NIC.

import { ipv4ToInt } from "../../core/schema/fields.ts";
import type { Paths } from "../paths.ts";
import { ip } from "./ip.ts";
import type { SideRole } from "./records.ts";

// Slot n (0..SLOTS-1): table FIRST+n, rule priorities FIRST+3n .. FIRST+3n+2.
// The last slot is `mwan profile test`'s, the others the daemon's
// (records.ts: the roles), so neither's cleanup removes the other's path.
export const SIDE_FIRST = 4201;
export const SIDE_SLOTS = 32;
export const TEST_SLOT = SIDE_SLOTS - 1;

export function roleSlots(role: SideRole): { first: number; last: number } {
  return role === "test" ? { first: TEST_SLOT, last: TEST_SLOT } : { first: 0, last: TEST_SLOT - 1 };
}

export interface SidePlacement {
  table: number;
  fromPriority: number;
  oifPriority: number;
  serverPriority: number;
}

export const placement = (slot: number): SidePlacement => ({
  table: SIDE_FIRST + slot,
  fromPriority: SIDE_FIRST + 3 * slot,
  oifPriority: SIDE_FIRST + 3 * slot + 1,
  serverPriority: SIDE_FIRST + 3 * slot + 2,
});

export interface SideAddress {
  ifname: string;
  address: string;
  prefix: number;
  gateway: string;
  // DHCP: the lease's server. dhcpcd renews by unicast from a raw socket
  // bound to no address and no device (dhcp.c send_message/dhcp_sendudp),
  // which neither rule above catches: the main table would send the
  // renewal out of RED, with RED's address. A third rule sends the box's
  // own UDP to that server (iif lo: generated here, never forwarded; no
  // ports: a raw socket's lookup carries none) into mwan's table — only
  // when no route of the main table covers the server (RED's own modem may
  // have the same address: its traffic must stay on RED; then the renewal
  // fails and dhcpcd rebinds by broadcast on the right NIC at T2).
  server?: string;
}

export function prefixOf(netmask: string): number {
  const n = ipv4ToInt(netmask);
  let bits = 0;
  for (let m = n; m & 0x80000000; m = (m << 1) >>> 0) bits++;
  return bits;
}

export function networkOf(address: string, prefix: number): string {
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  const n = (ipv4ToInt(address) & mask) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

// Adds address, routes and rules; on any failure removes what it added and
// says why. `ok` with the steps taken, for remove().
export async function applyRouting(
  paths: Paths,
  a: SideAddress,
  p: SidePlacement,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const table = String(p.table);
  const src = a.address;
  const steps: { add: string[]; what: string }[] = [
    {
      add: ["-4", "addr", "add", `${src}/${a.prefix}`, "dev", a.ifname, "noprefixroute"],
      what: `address ${src}/${a.prefix} on ${a.ifname}`,
    },
    {
      add: [
        "-4",
        "route",
        "add",
        `${networkOf(src, a.prefix)}/${a.prefix}`,
        "dev",
        a.ifname,
        "src",
        src,
        "table",
        table,
      ],
      what: `subnet route in table ${table}`,
    },
    {
      add: [
        "-4",
        "route",
        "add",
        "default",
        "via",
        a.gateway,
        "dev",
        a.ifname,
        "src",
        src,
        "onlink",
        "table",
        table,
      ],
      what: `default route via ${a.gateway} in table ${table}`,
    },
    {
      add: ["-4", "rule", "add", "from", src, "lookup", table, "priority", String(p.fromPriority)],
      what: `rule from ${src}`,
    },
    {
      add: ["-4", "rule", "add", "oif", a.ifname, "lookup", table, "priority", String(p.oifPriority)],
      what: `rule oif ${a.ifname}`,
    },
  ];
  if (a.server && !(await mainCovers(paths, a.server)))
    steps.push({
      add: [
        "-4",
        "rule",
        "add",
        "to",
        a.server,
        "iif",
        "lo",
        "ipproto",
        "udp",
        "lookup",
        table,
        "priority",
        String(p.serverPriority),
      ],
      what: `rule for renewals to the DHCP server ${a.server}`,
    });
  for (const [i, step] of steps.entries()) {
    const r = await ip(paths, step.add);
    if (!r.ok) {
      // The address was there before (someone else's): never remove it.
      await removeRouting(paths, a, p, i > 0);
      return { ok: false, reason: `cannot add the ${step.what}: ${r.error || "ip failed"}` };
    }
  }
  return { ok: true };
}

// Removes exactly what applyRouting added (the address only when it was
// ours, and asked last: an abandoned path's NIC may be IPFire's by then).
// Each part on its own, so a NIC that vanished (taking address and routes
// with it) still loses its rules.
export async function removeRouting(
  paths: Paths,
  a: SideAddress,
  p: SidePlacement,
  address: boolean | (() => boolean) = true,
): Promise<void> {
  await ip(paths, ["-4", "rule", "del", "priority", String(p.serverPriority)]);
  await ip(paths, ["-4", "rule", "del", "priority", String(p.oifPriority)]);
  await ip(paths, ["-4", "rule", "del", "priority", String(p.fromPriority)]);
  await ip(paths, ["-4", "route", "flush", "table", String(p.table)]);
  if (typeof address === "function" ? address() : address)
    await ip(paths, ["-4", "addr", "del", `${a.address}/${a.prefix}`, "dev", a.ifname]);
}

// A killed holder's leftovers: every rule with a priority and every route in
// a table of the role's slots. Addresses are removed from the records
// (records.ts).
export async function cleanupRange(paths: Paths, role: SideRole): Promise<void> {
  const { first, last } = roleSlots(role);
  const rules = await ip(paths, ["-4", "-json", "rule", "show"]);
  for (const rule of parsed(rules.stdout)) {
    const prio = (rule as { priority?: unknown }).priority;
    if (typeof prio === "number" && prio >= SIDE_FIRST + 3 * first && prio <= SIDE_FIRST + 3 * last + 2)
      await ip(paths, ["-4", "rule", "del", "priority", String(prio)]);
  }
  const routes = await ip(paths, ["-4", "-json", "route", "show", "table", "all"]);
  const tables = new Set<number>();
  for (const route of parsed(routes.stdout)) {
    const t = Number((route as { table?: unknown }).table);
    if (Number.isInteger(t) && t >= SIDE_FIRST + first && t <= SIDE_FIRST + last) tables.add(t);
  }
  for (const t of tables) await ip(paths, ["-4", "route", "flush", "table", String(t)]);
}

// Whether a route of the main table other than the default covers `address`.
async function mainCovers(paths: Paths, address: string): Promise<boolean> {
  const r = await ip(paths, ["-4", "-json", "route", "show", "table", "main"]);
  if (!r.ok) return true; // unknown: keep the rule out
  const a = ipv4ToInt(address);
  return parsed(r.stdout).some((route) => {
    const dst = (route as { dst?: unknown }).dst;
    if (typeof dst !== "string" || dst === "default") return false;
    const [net = "", bits = "32"] = dst.split("/");
    const prefix = Number(bits);
    if (!/^[0-9.]+$/.test(net) || !(prefix >= 0 && prefix <= 32)) return false;
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    return (a & mask) >>> 0 === (ipv4ToInt(net) & mask) >>> 0;
  });
}

function parsed(json: string): unknown[] {
  try {
    const v = JSON.parse(json || "[]") as unknown;
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}
