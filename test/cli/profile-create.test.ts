// `profile create` entirely from options, as a script or the WebUI runs it:
// the file holds exactly what was given (plus the MAC the NIC reports), is
// 0600, and a value IPFire could not use is refused with nothing written.

import { afterEach, describe, expect, test } from "bun:test";
import { EXIT, expectError, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { mwan } from "../helpers/run-bin.ts";
import { MAC, cleanup, makeRoot, mwanFile, readhash, snapshot } from "../helpers/temp-root.ts";

afterEach(cleanup);

const create = (root: string, ...args: string[]) => mwan(root, "profile", "create", "backup1", ...args);

const STATIC = [
  "--type=static",
  "--device=eth1",
  "--address=192.0.2.10",
  "--netmask=255.255.255.0",
  "--gateway=192.0.2.1",
];

describe("profile create from options", () => {
  const cases: [string, string[], Record<string, string>][] = [
    [
      "dhcp",
      ["--type=dhcp", "--device=eth1", "--priority=2", "--dhcp-hostname=fw.example"],
      {
        TYPE: "DHCP",
        DEVICE: "eth1",
        MACADDR: MAC.eth1,
        PRIORITY: "2",
        DHCP_HOSTNAME: "fw.example",
      },
    ],
    [
      "static",
      [...STATIC, "--mtu", "1400"],
      {
        TYPE: "STATIC",
        DEVICE: "eth1",
        MACADDR: MAC.eth1,
        ADDRESS: "192.0.2.10",
        NETMASK: "255.255.255.0",
        GATEWAY: "192.0.2.1",
        MTU: "1400",
      },
    ],
    [
      "pppoe",
      [
        "--type",
        "pppoe",
        "--device",
        "eth1",
        "--username",
        "dsl@isp.example",
        "--password",
        "pw1",
        "--service-name",
        "ISP",
      ],
      {
        TYPE: "PPPOE",
        DEVICE: "eth1",
        MACADDR: MAC.eth1,
        USERNAME: "dsl@isp.example",
        PASSWORD: "pw1",
        SERVICENAME: "ISP",
      },
    ],
    [
      "qmi (no NIC needed)",
      ["--type=QMI", "--apn=internet.provider.example", "--auth=pap", "--username=web", "--password=web"],
      {
        TYPE: "QMI",
        APN: "internet.provider.example",
        AUTH: "pap",
        USERNAME: "web",
        PASSWORD: "web",
      },
    ],
  ];

  test.each(cases)("%s", async (_, args, keys) => {
    const root = makeRoot();
    const r = await create(root, ...args);
    expectOk(r);
    expect(r.stdout).toContain("profile backup1 created");
    expect(readhash(mwanFile(root, "profiles/backup1"))).toEqual(keys);
    const facts = snapshot(root);
    expect(facts["var/ipfire/mwan/profiles/backup1"]?.mode).toBe("600");
    // The directory is private too: profiles hold passwords.
    expect(facts["var/ipfire/mwan/profiles"]?.mode).toBe("700");
  });

  test("the MAC is read from sys/class/net/<device>/address", async () => {
    const root = makeRoot({ nics: { enp2s0: "00:1B:21:0A:0B:0C" } });
    const r = await create(root, "--type=dhcp", "--device=enp2s0");
    expectOk(r);
    expect(readhash(mwanFile(root, "profiles/backup1")).MACADDR).toMatch(/^00:1b:21:0a:0b:0c$/i);
    expect(r.stderr).toContain("taken from enp2s0");
  });

  test("a given --mac wins over the NIC's", async () => {
    const root = makeRoot();
    expectOk(await create(root, "--type=dhcp", "--device=eth1", "--mac=52:54:00:00:00:99"));
    expect(readhash(mwanFile(root, "profiles/backup1")).MACADDR).toBe("52:54:00:00:00:99");
  });

  test("a device that does not exist now is accepted with a warning", async () => {
    // Interface names change with the profile active at boot (contract §0.10).
    const root = makeRoot();
    const r = await create(root, "--type=dhcp", "--device=eth7", "--mac=52:54:00:00:00:07");
    expectOk(r);
    expect(r.stderr).toContain("eth7 does not exist");
  });

  // A typo names no NIC, so no MAC could be read: the NIC is the mistake.
  test("a device that is not there, without --mac, is named with the NICs the box has", async () => {
    const root = makeRoot();
    await expectUntouched(root, async () => {
      const r = await create(root, "--type=dhcp", "--device=eth9");
      const error = expectError(
        r,
        EXIT.config,
        "mwan: profiles/backup1: DEVICE: eth9: no such interface (the box has: eth1, green0, red0)",
      );
      expect(error).not.toContain("MACADDR");
    });
  });

  // A line each, so that an 80-column console reads them.
  test("every problem is named on a line of its own, each with its option", async () => {
    const root = makeRoot();
    const error = expectError(await create(root, "--type=static", "--device=eth1"), EXIT.config);
    const problems = [
      "profiles/backup1: ADDRESS: required for TYPE=STATIC (--address)",
      "profiles/backup1: NETMASK: required for TYPE=STATIC (--netmask)",
      "profiles/backup1: GATEWAY: required for TYPE=STATIC (--gateway)",
    ];
    expect(error).toBe(problems.map((p) => `mwan: ${p}`).join("\n"));
  });

  test("an existing profile is not overwritten", async () => {
    const root = makeRoot();
    expectOk(await create(root, "--type=dhcp", "--device=eth1"));
    await expectUntouched(root, async () =>
      expectError(await create(root, ...STATIC), EXIT.config, "profiles/backup1", "already exists"),
    );
  });
});

describe("profile create refuses, writing nothing", () => {
  const refusals: [string, string[], (string | RegExp)[]][] = [
    ["no --type", ["--device=eth1"], ["TYPE", "--type"]],
    ["an unknown --type", ["--type=wifi", "--device=eth1"], ["TYPE", "WIFI"]],
    ["DHCP without a device", ["--type=dhcp"], ["DEVICE", "--device"]],
    ["STATIC without a gateway", STATIC.slice(0, -1), ["GATEWAY", "required", "--gateway"]],
    [
      "PPPoE without a username",
      ["--type=pppoe", "--device=eth1", "--password=x"],
      ["USERNAME", "--username"],
    ],
    [
      "PPPoE without a password",
      ["--type=pppoe", "--device=eth1", "--username=u"],
      ["PASSWORD", "--password"],
    ],
    ["QMI without an APN", ["--type=qmi"], ["APN", "--apn"]],
    [
      "a gateway outside the subnet",
      [...STATIC.slice(0, -1), "--gateway=198.51.100.1"],
      ["GATEWAY", "198.51.100.1", "--gateway"],
    ],
    ["a gateway equal to the address", [...STATIC.slice(0, -1), "--gateway=192.0.2.10"], ["GATEWAY"]],
    [
      "a non-contiguous netmask",
      [...STATIC.slice(0, 3), "--netmask=255.0.255.0", "--gateway=192.0.2.1"],
      ["NETMASK", "--netmask"],
    ],
    [
      "a /31 that leaves no room for a gateway",
      [...STATIC.slice(0, 3), "--netmask=255.255.255.254", "--gateway=192.0.2.11"],
      ["ADDRESS"],
    ],
    [
      "a bad IPv4 address",
      [STATIC[0] as string, STATIC[1] as string, "--address=192.0.2.300", ...STATIC.slice(3)],
      ["ADDRESS", "IPv4", "--address"],
    ],
    ["a bad MAC", ["--type=dhcp", "--device=eth1", "--mac=52:54:00:zz:00:01"], ["MACADDR", "--mac"]],
    [
      "a device name with a slash",
      ["--type=dhcp", "--device=../eth1", "--mac=52:54:00:00:00:01"],
      ["DEVICE"],
    ],
    ["a priority out of range", ["--type=dhcp", "--device=eth1", "--priority=0"], ["PRIORITY", "--priority"]],
    [
      "bad probe targets",
      ["--type=dhcp", "--device=eth1", "--probe-targets=9.9.9.9,dns.example"],
      ["PROBE_TARGETS"],
    ],
  ];
  test.each(refusals)("%s", async (_, args, parts) => {
    const root = makeRoot();
    await expectUntouched(root, async () =>
      expectError(await create(root, ...args), EXIT.config, "profiles/backup1", ...parts),
    );
  });
});

// A switch to a profile on GREEN would move RED onto the LAN port.
describe("a NIC of IPFire's inside zones is no profile's", () => {
  const GREEN_ERROR =
    "mwan: profiles/backup1: DEVICE: green0 is IPFire's GREEN interface (the LAN); a profile needs a NIC of its own";

  test("create on green0 is refused, writing nothing", async () => {
    const root = makeRoot();
    await expectUntouched(root, async () =>
      expectError(await create(root, "--type=dhcp", "--device=green0"), EXIT.config, GREEN_ERROR),
    );
  });

  test("create with GREEN's MAC on another name is refused", async () => {
    const root = makeRoot();
    await expectUntouched(root, async () =>
      expectError(
        await create(root, "--type=dhcp", "--device=eth7", `--mac=${MAC.green.toUpperCase()}`),
        EXIT.config,
        `mwan: profiles/backup1: MACADDR: ${MAC.green} is the MAC of IPFire's GREEN interface green0 (the LAN)`,
      ),
    );
  });

  test("edit onto green0 is refused", async () => {
    const root = makeRoot();
    expectOk(await create(root, "--type=dhcp", "--device=eth1"));
    await expectUntouched(root, async () =>
      expectError(
        await mwan(root, "profile", "edit", "backup1", "--device=green0", `--mac=${MAC.green}`),
        EXIT.config,
        "profiles/backup1: DEVICE: green0 is IPFire's GREEN interface (the LAN)",
      ),
    );
  });

  test("config check names a hand-written profile on a BLUE NIC as an error", async () => {
    const root = makeRoot({
      ethernet: { CONFIG_TYPE: "4", BLUE_DEV: "blue0", BLUE_MACADDR: "52:54:00:00:00:b1" },
      nics: { green0: MAC.green, red0: MAC.red, eth1: MAC.eth1, blue0: "52:54:00:00:00:b1" },
      mwan: { "profiles/wifi": "TYPE=DHCP\nDEVICE=eth5\nMACADDR=52:54:00:00:00:B1\n" },
    });
    const r = await mwan(root, "config", "check");
    expect(r.code).toBe(EXIT.config);
    expect(r.stdout).toContain(
      "error: profiles/wifi: MACADDR: 52:54:00:00:00:b1 is the MAC of IPFire's BLUE interface blue0 (the wireless LAN); a profile needs a NIC of its own",
    );
  });
});
