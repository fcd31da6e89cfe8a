// The probe tests' little Internet:
//
//   ns "fw" (the firewall)                 ns "inet" (everything beyond RED)
//   red0 10.200.0.2/30  <── veth ──>  up0 10.200.0.1/30
//                                          lo: 192.0.2.1, 198.51.100.1, 203.0.113.1 (/32)
//   std0 10.201.0.2/30  <── veth ──>  void0 10.201.0.1/30
//                                     ns "void" (a standby uplink to nowhere)
//
//   main table:   default via 10.201.0.1 dev std0
//   table 100:    default via 10.200.0.1 dev red0
//   rules:        oif red0 -> 100; from 10.200.0.2 ipproto udp -> 100
//
// The default route leads into "void", which does not forward and so drops
// what is not its own without a word, so a probe gets through only if it
// is bound to RED: a ping by interface (-I
// red0 is SO_BINDTODEVICE, which the oif rule sees), and curl too; a DNS
// query by RED's source address (the from rule, as whoever brings up a
// second uplink must add it, see src/adapters/probe/dns.ts). The from rule
// takes UDP only, so a ping bound to RED's address rather than its
// interface fails as well. Without the bindings, probes leave through std0.
//
// 203.0.113.1 is a black hole: nft in "inet" drops everything sent to it, so
// probes to it get no answer at all (no ICMP error), like a dead upstream.

import { Lab } from "../netns.ts";
import type { InNetnsRequest } from "./in-netns.ts";

export const RED = {
  iface: "red0",
  localAddress: "10.200.0.2",
  gateway: "10.200.0.1",
} as const;
// The interface that holds the main table's default route, to nowhere.
export const STANDBY = {
  iface: "std0",
  localAddress: "10.201.0.2",
  gateway: "10.201.0.1",
} as const;
const RED_TABLE = "100";
export const TARGETS = {
  a: "192.0.2.1",
  b: "198.51.100.1",
  hole: "203.0.113.1",
} as const;

export type ProbeLab = { lab: Lab; fw: string; inet: string };

export async function probeLab(): Promise<ProbeLab> {
  const lab = new Lab();
  try {
    const fw = await lab.ns("fw");
    const inet = await lab.ns("inet");
    await lab.veth(
      { ns: fw, name: RED.iface, address: `${RED.localAddress}/30` },
      { ns: inet, name: "up0", address: `${RED.gateway}/30` },
    );
    const nowhere = await lab.ns("void");
    await lab.veth(
      { ns: fw, name: STANDBY.iface, address: `${STANDBY.localAddress}/30` },
      { ns: nowhere, name: "void0", address: `${STANDBY.gateway}/30` },
    );
    await lab.ip(fw, "route", "add", "default", "via", STANDBY.gateway);
    await lab.ip(fw, "route", "add", "default", "via", RED.gateway, "table", RED_TABLE);
    await lab.ip(fw, "rule", "add", "oif", RED.iface, "lookup", RED_TABLE);
    await lab.ip(fw, "rule", "add", "from", RED.localAddress, "ipproto", "udp", "lookup", RED_TABLE);
    for (const addr of Object.values(TARGETS)) await lab.ip(inet, "addr", "add", `${addr}/32`, "dev", "lo");
    const nft = await lab.exec(
      inet,
      ["nft", "-f", "-"],
      `table inet mwt {\n chain input {\n  type filter hook input priority 0;\n  ip daddr ${TARGETS.hole} drop\n }\n}\n`,
    );
    if (nft.code !== 0) throw new Error(`nft failed: ${nft.stderr.trim()}`);
    return { lab, fw, inet };
  } catch (e) {
    await lab.cleanup();
    throw e;
  }
}

// Waits until something listens on a UDP or TCP port inside a namespace.
export async function waitForListener(
  lab: Lab,
  ns: string,
  proto: "udp" | "tcp",
  port: number,
): Promise<void> {
  const flag = proto === "udp" ? "-Hlun" : "-Hltn";
  for (let i = 0; i < 150; i++) {
    const ss = await lab.exec(ns, ["ss", flag, `sport = :${port}`]);
    if (ss.stdout.trim() !== "") return;
    await Bun.sleep(20);
  }
  throw new Error(`nothing listens on ${proto}/${port} in ${ns}`);
}

// Runs in-netns.ts inside a namespace and returns what it printed.
export async function inNetns<T>(lab: Lab, ns: string, request: InNetnsRequest): Promise<T> {
  const script = new URL("./in-netns.ts", import.meta.url).pathname;
  const out = await lab.exec(ns, [process.execPath, script, JSON.stringify(request)]);
  if (out.code !== 0) throw new Error(`in-netns.ts failed (${out.code}): ${out.stderr.trim()}`);
  return JSON.parse(out.stdout) as T;
}
