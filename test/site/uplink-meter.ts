// TEST CODE: nftables counters on one of the firewall's uplink NICs while it
// does NOT carry RED, so a test can prove what takes the side path and what
// does not: no LAN packet (forwarded out of the NIC) and no packet of the
// firewall's own services (leaving with a source other than the side watch's
// address; DHCP's own exchanges excepted), and how many bytes the side watch
// costs (everything in and out of the NIC).

import type { Site } from "./site.ts";

export interface UplinkCounts {
  // Packets the firewall forwarded out of the NIC (the LAN's).
  forwarded: number;
  // IPv4 packets leaving the NIC with a source other than the side address
  // (DHCP client → server excepted: its DISCOVER comes from 0.0.0.0).
  foreign: number;
  // IPv4 bytes out of and into the NIC, every kind.
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
}

const COUNTERS = ["forwarded", "foreign", "out", "in"] as const;

export class UplinkMeter {
  private constructor(
    private readonly site: Site,
    readonly nic: string,
    private readonly table: string,
  ) {}

  // Counters from zero on `nic`; `sideAddress` is the side watch's own
  // address there (undefined: every non-DHCP packet out counts as foreign).
  static async start(site: Site, nic: string, sideAddress?: string): Promise<UplinkMeter> {
    if (!/^[a-z0-9]+$/.test(nic)) throw new Error(`bad NIC name ${nic}`);
    const table = `site_meter_${nic}`;
    const foreignMatch = sideAddress === undefined ? "" : `ip saddr != ${sideAddress} `;
    // postrouting at priority 300 runs after source NAT (100): a LAN packet
    // is seen with the address it leaves with.
    const script = `table inet ${table}
delete table inet ${table}
table inet ${table} {
${COUNTERS.map((c) => `  counter ${c} {}`).join("\n")}
  chain forward {
    type filter hook forward priority 0; policy accept;
    oifname "${nic}" counter name "forwarded"
  }
  chain post {
    type filter hook postrouting priority 300; policy accept;
    oifname "${nic}" meta nfproto ipv4 counter name "out"
    oifname "${nic}" udp sport 68 udp dport 67 accept
    oifname "${nic}" meta nfproto ipv4 ${foreignMatch}counter name "foreign"
  }
  chain in {
    type filter hook prerouting priority -300; policy accept;
    iifname "${nic}" meta nfproto ipv4 counter name "in"
  }
}
`;
    const r = await site.lab.exec(site.ns.fw, ["nft", "-f", "-"], script);
    if (r.code !== 0) throw new Error(`nft in fw failed: ${r.stderr}`);
    return new UplinkMeter(site, nic, table);
  }

  async read(): Promise<UplinkCounts> {
    const r = await this.site.lab.exec(this.site.ns.fw, [
      "nft",
      "-j",
      "list",
      "counters",
      "table",
      "inet",
      this.table,
    ]);
    if (r.code !== 0) throw new Error(`nft list counters failed: ${r.stderr}`);
    const got: Record<string, { packets: number; bytes: number }> = {};
    for (const item of (
      JSON.parse(r.stdout) as { nftables: { counter?: { name: string; packets: number; bytes: number } }[] }
    ).nftables) {
      if (item.counter) got[item.counter.name] = item.counter;
    }
    const c = (name: (typeof COUNTERS)[number]) => got[name] ?? { packets: 0, bytes: 0 };
    return {
      forwarded: c("forwarded").packets,
      foreign: c("foreign").packets,
      bytesOut: c("out").bytes,
      bytesIn: c("in").bytes,
      packetsOut: c("out").packets,
    };
  }

  async stop(): Promise<void> {
    await this.site.lab.exec(this.site.ns.fw, ["nft", "delete", "table", "inet", this.table]);
  }
}
