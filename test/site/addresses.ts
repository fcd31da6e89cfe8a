// TEST CODE: the virtual IPFire site's addressing plan. Documentation and
// private addresses only (RFC 5737 TEST-NETs, 10/8 for the ISPs' customer
// networks); every packet stays inside the site's own network namespaces.
//
//   lan ──green0── fw ──red0── isp1 ──┐
//                   ├──eth1─── isp2 ──┼── inet (probe targets, DNS, web)
//                   └──eth2─── isp3 ──┘

export const GREEN = { fw: "192.0.2.1", lan: "192.0.2.100", prefix: 24 } as const;

export interface Isp {
  name: "isp1" | "isp2" | "isp3";
  // The firewall's NIC on this ISP's line, and its MAC (what profiles record).
  nic: string;
  mac: string;
  // The ISP's router on the customer side, and its DHCP pool (/24).
  router: string;
  pool: readonly [string, string];
  // A fixed address for a STATIC profile on this line, outside the pool.
  staticAddress: string;
  // The ISP's uplink to the internet (a /30) and the internet's end of it.
  uplink: string;
  inetSide: string;
  customerNet: string;
}

export const ISP1: Isp = {
  name: "isp1",
  nic: "red0",
  mac: "52:54:00:00:01:01",
  router: "10.1.0.1",
  pool: ["10.1.0.100", "10.1.0.199"],
  staticAddress: "10.1.0.2",
  uplink: "203.0.113.1",
  inetSide: "203.0.113.2",
  customerNet: "10.1.0.0/24",
};

// The backup line's NIC keeps a kernel-style name: udev renames only the
// NIC whose MAC is RED_MACADDR at boot (contract §0.10).
export const ISP2: Isp = {
  name: "isp2",
  nic: "eth1",
  mac: "52:54:00:00:02:01",
  router: "10.2.0.1",
  pool: ["10.2.0.100", "10.2.0.199"],
  staticAddress: "10.2.0.2",
  uplink: "203.0.113.5",
  inetSide: "203.0.113.6",
  customerNet: "10.2.0.0/24",
};

// A second backup, so a failover can skip a backup already known dead.
export const ISP3: Isp = {
  name: "isp3",
  nic: "eth2",
  mac: "52:54:00:00:03:01",
  router: "10.3.0.1",
  pool: ["10.3.0.100", "10.3.0.199"],
  staticAddress: "10.3.0.2",
  uplink: "203.0.113.9",
  inetSide: "203.0.113.10",
  customerNet: "10.3.0.0/24",
};

export const ISPS: readonly Isp[] = [ISP1, ISP2, ISP3];

export const GREEN_MAC = "52:54:00:00:00:01";

// In the "internet": mwan's probe targets, a DNS server and a web server.
export const INET = {
  targets: ["198.51.100.1", "198.51.100.2", "198.51.100.3"],
  dns: "198.51.100.53",
  web: "198.51.100.80",
  webName: "www.example.test",
} as const;
