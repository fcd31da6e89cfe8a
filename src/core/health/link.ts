// Facts about RED's interface that make probing pointless when they are bad:
// they let mwan declare a link down without waiting for probe rounds.

export interface LinkFacts {
  // /sys/class/net/<dev>/carrier; null where it means nothing (ppp0, a QMI
  // netdev in raw-ip mode) or cannot be read (interface administratively down).
  carrier: boolean | null;
  // operstate up/down; null for "unknown", which ppp and qmi devices report.
  operUp: boolean | null;
  // /var/ipfire/red/active exists.
  redActive: boolean;
  // The interface named in /var/ipfire/red/iface has an IPv4 address.
  hasAddress: boolean;
}

// The first fact that rules the link out, as a reason for status and logs, or
// null when the link is usable. Unknown (null) facts never rule it out.
export function linkFault(facts: LinkFacts): string | null {
  if (facts.carrier === false) return "no carrier";
  if (facts.operUp === false) return "operstate down";
  if (!facts.redActive) return "red/active missing";
  if (!facts.hasAddress) return "no address on RED";
  return null;
}
