// The config of mwan's side dhcpcd: the client identity of IPFire's own
// dhcpcd, so the lease it holds is the one IPFire's dhcpcd gets at the
// failback, and nothing that would configure the NIC.
//
// IPFire builds dhcpcd with --sysconfdir, --dbdir and --libexecdir all
// /var/ipfire/dhcpc (lfs/dhcpcd 73-78): its config is
// /var/ipfire/dhcpc/dhcpcd.conf, its script dhcpcd-run-hooks there, and its
// DUID file and leases live there too. config/dhcpc/dhcpcd.conf sets duid
// (the client id is RFC 4361, IAID + DUID), hostname, an empty vendorclassid,
// ipv4only, noipv4ll, persistent, timeout 60 and the requested options.
// Running the same binary keeps the same dbdir and so the same DUID; the
// identity lines are copied from IPFire's file as it is on this box (an admin
// may have switched duid to clientid); -h RED_DHCP_HOSTNAME is passed on the
// command line as dhcpcd_start does (functions.network 339-342).

// Lines that decide who the client is or what it asks; everything else
// (script, hooks, timeout, persistent, interface blocks) is mwan's to set.
const IDENTITY = new Set([
  "ipv4only",
  "duid",
  "clientid",
  "iaid",
  "hostname",
  "vendorclassid",
  "vendor",
  "userclass",
  "noipv4ll",
  "noarp",
  "option",
  "require",
]);

const MAX_LINE = 256;

export function sideDhcpcdConf(ipfireConf: string | undefined): string {
  const kept: string[] = [];
  for (const raw of (ipfireConf ?? "").split("\n")) {
    const line = raw.trim();
    const word = line.split(/\s+/)[0] ?? "";
    // An interface or ssid block applies to one NIC only: the global part is
    // the identity every RED has.
    if (word === "interface" || word === "ssid" || word === "profile") break;
    if (IDENTITY.has(word) && line.length <= MAX_LINE && !/[\0\r]/.test(line)) kept.push(line);
  }
  return [
    "# mwan's side dhcpcd: IPFire's client identity, configures nothing",
    ...kept,
    "noconfigure",
    "",
  ].join("\n");
}
