// RED's facts as the engine wants them, from what IPFire and the kernel say.

import type { LinkFacts as EngineFacts } from "../core/health/link.ts";
import type { LinkFacts } from "../adapters/probe/types.ts";
import { isIpv4 } from "../adapters/probe/validate.ts";

// operstate "unknown" (ppp, QMI in raw-ip mode) and "dormant" say nothing.
const OPER: Record<string, boolean> = {
  up: true,
  down: false,
  lowerlayerdown: false,
  notpresent: false,
};

export function engineFacts(facts: LinkFacts): EngineFacts {
  const present = facts.iface !== null && facts.exists;
  return {
    carrier: present ? facts.carrier : false,
    operUp: present ? (OPER[facts.operstate ?? ""] ?? null) : false,
    redActive: facts.active,
    hasAddress: facts.localAddress !== null && isIpv4(facts.localAddress),
  };
}

export function sameFacts(a: EngineFacts | null, b: EngineFacts): boolean {
  return (
    a !== null &&
    a.carrier === b.carrier &&
    a.operUp === b.operUp &&
    a.redActive === b.redActive &&
    a.hasAddress === b.hasAddress
  );
}
