// The DHCP side path's pure parts: the config mwan's dhcpcd runs with, what
// its script takes from dhcpcd's environment, and the hook's refusals.

import { describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sideDhcpcdConf } from "../../src/adapters/side/dhcp-conf.ts";
import { leaseEvent, runSideHook, SIDE_HOOK_NAME } from "../../src/adapters/side/dhcp-hook.ts";
import { networkOf, prefixOf } from "../../src/adapters/side/routing.ts";

// config/dhcpc/dhcpcd.conf of IPFire, as shipped (comments dropped).
const IPFIRE = `ipv4only
hostname
duid
persistent
vendorclassid
option domain_name_servers, domain_name, domain_search
option classless_static_routes
option interface_mtu
option host_name
option ntp_servers
require dhcp_server_identifier
slaac hwaddr
nohook lookup-hostname
noipv4ll
timeout 60
`;

describe("side dhcpcd config", () => {
  test("keeps IPFire's identity and requests, adds noconfigure, drops what is mwan's to set", () => {
    expect(sideDhcpcdConf(IPFIRE).split("\n")).toEqual([
      "# mwan's side dhcpcd: IPFire's client identity, configures nothing",
      "ipv4only",
      "hostname",
      "duid",
      "vendorclassid",
      "option domain_name_servers, domain_name, domain_search",
      "option classless_static_routes",
      "option interface_mtu",
      "option host_name",
      "option ntp_servers",
      "require dhcp_server_identifier",
      "noipv4ll",
      "noconfigure",
      "",
    ]);
  });

  test("an admin's clientid and a script line: identity kept, script never", () => {
    const conf = sideDhcpcdConf("clientid\nscript /tmp/evil\nhook x\n\ninterface red0\nclientid 01:02\n");
    expect(conf).toContain("\nclientid\n");
    expect(conf).not.toContain("evil");
    expect(conf).not.toContain("01:02"); // one NIC's block, not the global identity
  });

  test("no IPFire config: noconfigure alone", () => {
    expect(sideDhcpcdConf(undefined)).toEndWith("\nnoconfigure\n");
  });
});

describe("side dhcpcd hook", () => {
  test("takes the lease's address, prefix and first router; nothing malformed", () => {
    expect(
      leaseEvent({
        reason: "BOUND",
        new_ip_address: "198.51.100.52",
        new_subnet_cidr: "24",
        new_routers: "198.51.100.1 198.51.100.2",
        new_dhcp_server_identifier: "198.51.100.9",
      }),
    ).toEqual({
      reason: "BOUND",
      address: "198.51.100.52",
      prefix: 24,
      gateway: "198.51.100.1",
      server: "198.51.100.9",
    });
    expect(leaseEvent({ reason: "EXP;IRE", new_ip_address: "1.2.3.400", new_subnet_cidr: "33" })).toEqual({
      reason: "EXPIRE",
    });
  });

  test("writes <if>.event beside its own name only in a private directory, for a valid interface", () => {
    const dir = mkdtempSync(join(tmpdir(), "mwan-side-"));
    try {
      const hook = join(dir, SIDE_HOOK_NAME);
      chmodSync(dir, 0o700);
      expect(runSideHook(hook, { reason: "BOUND", interface: "../x" })).toBe(1);
      expect(runSideHook(hook, { reason: "BOUND", interface: "red0", new_ip_address: "192.0.2.5" })).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, "red0.event"), "utf8"))).toEqual({
        reason: "BOUND",
        address: "192.0.2.5",
      });
      chmodSync(dir, 0o755);
      expect(runSideHook(hook, { reason: "EXPIRE", interface: "red1" })).toBe(1);
      expect(existsSync(join(dir, "red1.event"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

test("prefix and network of an address", () => {
  expect(prefixOf("255.255.255.0")).toBe(24);
  expect(prefixOf("255.255.255.252")).toBe(30);
  expect(networkOf("198.51.100.77", 24)).toBe("198.51.100.0");
  expect(networkOf("10.1.2.3", 8)).toBe("10.0.0.0");
});
