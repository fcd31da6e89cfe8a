import type { LinkFacts, ProbeTarget } from "./types.ts";
import { isIpv4 } from "./validate.ts";

// Resolvers asked directly over RED by the DNS probe: two operators, so the
// DNS probe does not share its fate with one of them. (The ICMP targets are
// the PROBE_TARGETS setting.)
export const DEFAULT_DNS_SERVERS = ["9.9.9.9", "1.1.1.1"] as const;

export type TargetPlan = {
  icmp: readonly string[];
  dns?: readonly string[];
  http?: readonly string[];
  // Also ping RED's gateway when it is known.
  gateway?: boolean;
};

// One round's targets. The gateway is read from the link facts of that round,
// since it changes with the profile. It helps by telling "the modem or ISP
// edge is dead" from "something beyond it is"; it is never the only target,
// because a gateway answering says nothing about the Internet behind it.
export function roundTargets(plan: TargetPlan, facts: Pick<LinkFacts, "gateway">): ProbeTarget[] {
  const icmp = [...plan.icmp];
  if (plan.gateway && facts.gateway !== null && isIpv4(facts.gateway) && !icmp.includes(facts.gateway))
    icmp.push(facts.gateway);
  return [
    ...icmp.map((target) => ({ kind: "icmp" as const, target })),
    ...(plan.dns ?? DEFAULT_DNS_SERVERS).map((target) => ({
      kind: "dns" as const,
      target,
    })),
    ...(plan.http ?? []).map((target) => ({ kind: "http" as const, target })),
  ];
}
