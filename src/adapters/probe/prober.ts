import { type DnsOptions, dnsProber } from "./dns.ts";
import { type HttpOptions, httpProber } from "./http.ts";
import { type IcmpOptions, icmpProber } from "./icmp.ts";
import type { Prober } from "./types.ts";

export type SystemProberOptions = {
  icmp?: IcmpOptions;
  dns?: DnsOptions;
  http?: HttpOptions;
};

// The real thing: ping for icmp, a UDP socket for dns, curl for http.
export function systemProber(opts: SystemProberOptions = {}): Prober {
  const byKind = {
    icmp: icmpProber(opts.icmp),
    dns: dnsProber(opts.dns),
    http: httpProber(opts.http),
  };
  return {
    probe: (target, via, options) => byKind[target.kind](target, via, options),
  };
}
