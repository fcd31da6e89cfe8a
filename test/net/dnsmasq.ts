// TEST CODE: dnsmasq as an ISP's DHCP server on one interface of a namespace
// (DHCP only, no DNS, nothing of the host's), for tests with a real dhcpcd.

export interface DhcpServer {
  iface: string;
  range: [string, string];
  router: string;
  leaseFile: string;
  extra?: string[];
}

export function dnsmasqDhcpArgv(s: DhcpServer): string[] {
  return [
    "dnsmasq",
    "--keep-in-foreground",
    "--conf-file=/dev/null",
    "--user=root",
    "--pid-file=",
    "--port=0",
    `--interface=${s.iface}`,
    "--bind-interfaces",
    `--dhcp-range=${s.range[0]},${s.range[1]},255.255.255.0,10m`,
    `--dhcp-option=option:router,${s.router}`,
    "--dhcp-rapid-commit",
    "--no-ping", // no 3 s address probe before each offer: it only costs time
    `--dhcp-leasefile=${s.leaseFile}`,
    ...(s.extra ?? []),
  ];
}
