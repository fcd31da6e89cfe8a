// TEST CODE: the RED setups IPFire boxes really have (issue 11), each as the
// primary, with MAC spoofing off and on: DHCP, STATIC, PPPoE, VDSL, VDSL with
// IPTV and QMI, set up the way setup and the web UI write them (writehash,
// the dial profile's full key set, the settings-1 hard link, mac/settings),
// brought up by the stand-in's red, and imported. Every other kind is a
// backup; each is switched to and back. On the backup, ppp/settings holds
// the backup's keys alone; back on the primary every file of IPFire's is as
// it was, byte for byte and linked as it was, and nothing of the backup's
// IPTV is left.
//
// With spoofing on, no NIC has a permanent address (as veths), so red start
// leaves the spoofed MAC on every NIC RED has been on: the NICs must be found
// by the name each had this boot (src/core/switch/device.ts). One more run
// gives every NIC a permanent address.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, linkSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dialProfile, macSettings, writehash, writesecrets } from "../helpers/ipfire-files.ts";
import { parseSettings } from "../ipfire/standin.ts";
import { MWAN_BIN, Standin } from "./rig.ts";

type Kind = "DHCP" | "STATIC" | "PPPOE" | "VDSL" | "VDSL+IPTV" | "QMI";
const KINDS: Kind[] = ["DHCP", "STATIC", "PPPOE", "VDSL", "VDSL+IPTV", "QMI"];
const SPOOF = "02:5f:00:00:00:01";
const PRIMARY_MAC = "52:54:00:12:34:02"; // the stand-in's red0
const QMI_PRIMARY_MAC = "02:ff:ff:ff:ff:00"; // udev's for /dev/cdc-wdm0

// The NIC, lease and `profile create` options of each kind as a backup.
const BACKUP: Record<Kind, { nic: string; mac: string; ip: string; create: string[] }> = {
  DHCP: { nic: "eth1", mac: "52:54:00:00:01:01", ip: "198.51.100.11", create: ["--type", "dhcp"] },
  STATIC: {
    nic: "eth2",
    mac: "52:54:00:00:01:02",
    ip: "192.0.2.10",
    create: [
      "--type",
      "static",
      "--address",
      "192.0.2.10",
      "--netmask",
      "255.255.255.0",
      "--gateway",
      "192.0.2.1",
    ],
  },
  PPPOE: {
    nic: "eth3",
    mac: "52:54:00:00:01:03",
    ip: "198.51.100.33",
    create: ["--type", "pppoe", "--username", "b3@isp"],
  },
  VDSL: {
    nic: "eth4",
    mac: "52:54:00:00:01:04",
    ip: "198.51.100.44",
    create: ["--type", "vdsl", "--username", "b4@isp"],
  },
  "VDSL+IPTV": {
    nic: "eth5",
    mac: "52:54:00:00:01:05",
    ip: "198.51.100.55",
    create: ["--type", "vdsl", "--username", "b5@isp", "--iptv", "on", "--iptv-vlan", "9"],
  },
  QMI: {
    nic: "wwan1",
    mac: "02:ff:ff:ff:ff:01",
    ip: "10.64.0.2",
    create: ["--type", "qmi", "--apn", "internet.example", "--auth", "PAP", "--username", "lte"],
  },
};
// The web UI's primary may have any password pppd takes; a backup's is one
// a QMI profile may hold too (IPFire's shell reader drops "!" and spaces).
const PASSWORD = "pw 9!x";
const BACKUP_PASSWORD = "pw-9x";
const name = (k: Kind) => k.toLowerCase().replace("+", "-");
const isPpp = (k: Kind) => k === "PPPOE" || k === "VDSL" || k === "VDSL+IPTV";

// IPFire's files as setup and the web UI leave them for a primary of `kind`
// on red0 (STATIC 203.0.113.10/24), and its NIC's lease.
function setUpPrimary(s: Standin, kind: Kind, spoof: boolean): void {
  const eth = parseSettings(readFileSync(s.path("var/ipfire/ethernet/settings"), "utf8"));
  const red: Record<string, string> = {
    DHCP: { RED_TYPE: "DHCP" },
    STATIC: {
      RED_TYPE: "STATIC",
      RED_ADDRESS: "203.0.113.10",
      RED_NETMASK: "255.255.255.0",
      RED_NETADDRESS: "203.0.113.0",
      DEFAULT_GATEWAY: "203.0.113.1",
    },
    QMI: { RED_TYPE: "PPPOE", RED_DRIVER: "qmi_wwan", RED_MACADDR: QMI_PRIMARY_MAC, RED_DESCRIPTION: "" },
  }[kind as "DHCP" | "STATIC" | "QMI"] ?? { RED_TYPE: "PPPOE" };
  writeFileSync(
    s.path("var/ipfire/ethernet/settings"),
    writehash({ ...eth, ...red, RED_DHCP_RAPID_COMMIT: "on" }),
  );
  if (kind === "QMI") s.device("red0", { mac: QMI_PRIMARY_MAC, qmi: true, wdm: 0 });
  if (isPpp(kind) || kind === "QMI") {
    const type = kind === "QMI" ? "qmi" : kind === "PPPOE" ? "pppoe" : "vdsl";
    // QMI's password goes through the shell reader, which drops "!" and spaces.
    const password = kind === "QMI" ? BACKUP_PASSWORD : PASSWORD;
    const gui = dialProfile({
      profile: 1,
      name: "primary",
      type,
      username: "dsl@isp.example",
      password,
      iptv: kind === "VDSL+IPTV",
      iptvServers: ["192.168.2.51/32", "10.0.0.0/8"],
    });
    rmSync(s.path("var/ipfire/ppp/settings"));
    writeFileSync(s.path("var/ipfire/ppp/settings-1"), gui);
    linkSync(s.path("var/ipfire/ppp/settings-1"), s.path("var/ipfire/ppp/settings"));
    writeFileSync(s.path("var/ipfire/ppp/secrets"), writesecrets("dsl@isp.example", PASSWORD), {
      mode: 0o600,
    });
    s.device("red0", { pppPassword: PASSWORD });
  }
  if (kind === "VDSL+IPTV") s.device("red0", { iptvLease: { ip: "10.8.0.2", router: "10.8.0.1" } });
  if (spoof) writeFileSync(s.path("var/ipfire/mac/settings"), macSettings(SPOOF));
}

// IPFire's files that must come back byte for byte.
const FILES = [
  "var/ipfire/ethernet/settings",
  "var/ipfire/ppp/settings",
  "var/ipfire/ppp/settings-1",
  "var/ipfire/ppp/secrets",
  "var/ipfire/mac/settings",
];
const snapshot = (s: Standin) => ({
  files: FILES.map((f) => (existsSync(s.path(f)) ? readFileSync(s.path(f), "latin1") : null)),
  linked: statSync(s.path(FILES[1] as string)).ino === statSync(s.path(FILES[2] as string)).ino,
});

for (const [spoof, permanent] of [
  [false, false],
  [true, false],
  [true, true],
] as const) {
  const variant = `${spoof ? "spoofing on" : "spoofing off"}${permanent ? ", NICs with permanent addresses" : ""}`;
  for (const primary of permanent ? (["DHCP", "VDSL"] as Kind[]) : KINDS) {
    describe(`${primary} primary, ${variant}`, () => {
      let s: Standin;
      let before: ReturnType<typeof snapshot>;
      const mwan = async (...args: string[]) => {
        const p = Bun.spawn([MWAN_BIN, ...args], {
          env: {
            PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
            MWAN_ROOT: s.root,
            MWAN_STANDIN_ROOT: s.root,
            NO_COLOR: "1",
          },
          stdout: "pipe",
          stderr: "pipe",
        });
        const [code, out, err] = await Promise.all([
          p.exited,
          new Response(p.stdout).text(),
          new Response(p.stderr).text(),
        ]);
        if (code !== 0) throw new Error(`mwan ${args.join(" ")} exited ${code}\n${out}${err}`);
        return out;
      };

      beforeAll(async () => {
        s = await Standin.install({ delay: 0.05 });
        setUpPrimary(s, primary, spoof);
        if (permanent) s.device("red0", { permaddr: PRIMARY_MAC });
        for (const kind of KINDS) {
          if (kind === primary) continue;
          const b = BACKUP[kind];
          s.device(b.nic, {
            mac: b.mac,
            lease: { ip: b.ip, router: b.ip.replace(/\.\d+$/, ".1") },
            pppPassword: BACKUP_PASSWORD,
            ...(kind === "QMI" ? { qmi: true, wdm: 1 } : {}),
            ...(kind === "VDSL+IPTV" ? { iptvLease: { ip: "10.9.0.2", router: "10.9.0.1" } } : {}),
            ...(permanent ? { permaddr: b.mac } : {}),
          });
        }
        const up = await s.runScript(s.network, "start", "red");
        if (!s.redState().active) throw new Error(`the primary did not come up: ${up.stderr}`);
        await mwan("profile", "import-current", "home");
        for (const kind of KINDS) {
          if (kind === primary) continue;
          const b = BACKUP[kind];
          await mwan(
            ...["profile", "create", name(kind), ...b.create, "--device", b.nic],
            ...(isPpp(kind) || kind === "QMI" ? ["--password", BACKUP_PASSWORD] : []),
          );
        }
        before = snapshot(s);
      }, 60_000);
      afterAll(() => s?.cleanup());

      for (const kind of KINDS) {
        if (kind === primary) continue;
        test(`to the ${kind} backup and back`, async () => {
          const b = BACKUP[kind];
          await mwan("switch", name(kind));
          const red = s.redState();
          expect({ active: red.active, iface: red.iface, local: red.local }).toEqual({
            active: true,
            iface: isPpp(kind) ? "ppp0" : b.nic,
            local: b.ip,
          });
          if (isPpp(kind) || kind === "QMI") {
            // The backup's keys and nothing else: no IPTV, VLANs or
            // BACKUPPROFILE of the primary's dial profile.
            const ppp = parseSettings(readFileSync(s.path("var/ipfire/ppp/settings"), "utf8"));
            const allowed = ["TYPE", "USERNAME", "PASSWORD", "AUTH", "APN", "INET_VLAN", "IPTV", "IPTV_VLAN"];
            expect(Object.keys(ppp).filter((k) => !allowed.includes(k))).toEqual([]);
            expect(ppp.IPTV === "enable").toBe(kind === "VDSL+IPTV");
            expect(statSync(s.path("var/ipfire/ppp/settings")).nlink).toBe(1);
          }
          if (kind === "VDSL" || kind === "VDSL+IPTV")
            expect(s.deviceFile(`${b.nic}.7`, "flags")).toBeDefined();
          if (kind === "VDSL+IPTV") expect(s.dhcpcdPid(`${b.nic}.9`)).toBeDefined();

          await mwan("switch", "home");
          expect(snapshot(s)).toEqual(before);
          expect(s.redState().active).toBe(true);
          // What IPFire's red stop leaves of the backup's IPTV is gone.
          if (kind === "VDSL+IPTV") {
            expect(s.dhcpcdPid(`${b.nic}.9`)).toBeUndefined();
            expect(existsSync(s.path(`sys/class/net/${b.nic}.9`))).toBe(false);
          }
          expect(s.events("network", "concurrent")).toEqual([]);
        }, 30_000);
      }
    });
  }
}

// A QMI backup whose control channel is gone (the modem re-enumerated, or
// its USB link died) is refused before RED is touched: red start would only
// fail in qmi_find_device after red stop had already taken the primary down.
describe("a QMI backup without its /dev/cdc-wdm", () => {
  let s: Standin;
  afterAll(() => s?.cleanup());

  test("is refused with RED left on the primary and nothing run", async () => {
    s = await Standin.install({ delay: 0.05 });
    setUpPrimary(s, "DHCP", false);
    const b = BACKUP.QMI;
    s.device(b.nic, { mac: b.mac, lease: { ip: b.ip, router: "10.64.0.1" }, qmi: true, wdm: 1 });
    await s.runScript(s.network, "start", "red");
    const env = {
      PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
      MWAN_ROOT: s.root,
      MWAN_STANDIN_ROOT: s.root,
      NO_COLOR: "1",
    };
    const run = (...args: string[]) =>
      Bun.spawnSync([MWAN_BIN, ...args], { env, stdout: "pipe", stderr: "pipe" });
    expect(run("profile", "import-current", "home").exitCode).toBe(0);
    expect(
      run("profile", "create", "lte", ...b.create, "--device", b.nic, "--password", BACKUP_PASSWORD).exitCode,
    ).toBe(0);
    rmSync(s.path("dev/cdc-wdm1"));
    const before = snapshot(s);
    const runs = s.invocations("network").length;

    const r = run("switch", "lte");
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr.toString()).toContain(
      `the modem ${b.nic} has no control channel (/dev/cdc-wdm1 is missing)`,
    );
    expect(snapshot(s)).toEqual(before);
    expect(s.invocations("network").length).toBe(runs);
    expect(s.redState()).toMatchObject({ active: true, iface: "red0" });
  }, 30_000);
});
