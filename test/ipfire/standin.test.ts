// TEST CODE: tests of the IPFire stand-in itself (test/ipfire/README.md).
// Run: ./node_modules/.bin/bun test test/ipfire

import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, rmSync, statSync, writeFileSync } from "node:fs";
import { Standin, type StandinOptions } from "./standin.ts";

const live: Standin[] = [];
async function standin(opts: StandinOptions = {}): Promise<Standin> {
  const s = await Standin.install({ delay: 0.1, ...opts });
  live.push(s);
  return s;
}
afterEach(async () => {
  for (const s of live.splice(0)) await s.cleanup();
});

const STATIC_RED = {
  RED_TYPE: "STATIC",
  RED_ADDRESS: "198.51.100.2",
  RED_NETMASK: "255.255.255.0",
  RED_NETADDRESS: "198.51.100.0",
  DEFAULT_GATEWAY: "198.51.100.1",
};

const PPPOE_PROFILE = {
  PROFILE: "1",
  PROFILENAME: "dsl",
  TYPE: "pppoe",
  USERNAME: "user@isp",
  PASSWORD: "s3cret",
  AUTH: "pap-or-chap",
  MAXRETRIES: "5",
  HOLDOFF: "30",
  BACKUPPROFILE: "1",
};

/** The argv[0] of a hook as run_subdir passes it. */
const hookPath = (s: Standin, dir: string, name: string) =>
  s.path(`etc/rc.d/init.d/networking/${dir}/${name}`);

describe("DHCP", () => {
  test("start: files, daemon, red.up hooks in ls -v order with run_subdir arguments", async () => {
    const s = await standin();
    const names = ["9-plain", "10-U-a", "11-S-b", "12-K-c", "13-RS-d", "14-RL-e", "15-D-f", "20-X-g"];
    for (const n of names) s.addHook("red.up", n);
    s.addHook("red.up", ".hidden");
    s.addHook("red.up", "12-U-noexec", 0o644); // still attempted, then ignored

    const r = await s.runScript(s.network, "start", "red");
    expect(r.code).toBe(0);
    expect(s.redState()).toEqual({
      active: true,
      iface: "red0",
      local: "203.0.113.10",
      remote: "203.0.113.1",
      keepconnected: undefined,
    });
    expect(s.readTrimmed("var/run/dns1")).toBe("198.51.100.53");
    expect(s.deviceFile("red0", "operstate")).toBe("up");
    expect(s.dhcpcdPid("red0")).toBeNumber();

    // red start returned only after the hooks ran (dhcpcd's foreground phase).
    const args: Record<string, string> = {
      "9-plain": "",
      "10-U-a": "up",
      "11-S-b": "start",
      "12-K-c": "stop",
      "13-RS-d": "restart",
      "14-RL-e": "reload",
      "15-D-f": "down",
      "20-X-g": "",
    };
    expect(s.hookCalls()).toEqual(
      names.map((n) => `${hookPath(s, "red.up", n)}|${args[n]}|reason=BOUND|IFNAME=|active=y`),
    );
    const attempted = s.events("dhcpcd.exe", "hook-done").map((e) => [String(e.path).split("/").pop(), e.rc]);
    expect(attempted).toContainEqual(["12-U-noexec", "126"]);
    expect(attempted.map((a) => a[0])).not.toContain(".hidden");
  });

  test("stop: red.down with 'down', active and addresses gone, iface kept, NIC left down", async () => {
    const s = await standin();
    s.addHook("red.down", "95-D-mwan");
    await s.runScript(s.network, "start", "red");
    const pid = s.dhcpcdPid("red0");

    const r = await s.runScript(s.network, "stop", "red");
    expect(r.code).toBe(0);
    expect(s.redState()).toEqual({
      active: false,
      iface: "red0",
      local: undefined,
      remote: undefined,
      keepconnected: undefined,
    });
    expect(s.hookCalls()).toEqual([
      `${hookPath(s, "red.down", "95-D-mwan")}|down|reason=RELEASE|IFNAME=|active=n`,
    ]);
    expect(s.dhcpcdPid("red0")).toBeUndefined();
    expect(pid).toBeNumber();
    expect(s.deviceFile("red0", "operstate")).toBe("down");
    expect(s.deviceFile("red0", "flags")).toBe("0x1002");

    // A second stop: dhcpcd is not running, red exits 1, network still 0.
    const again = await s.runScript(s.network, "stop", "red");
    expect(again.code).toBe(0);
    expect(s.events("network", "red-done").at(-1)?.rc).toBe("1");
    expect(s.hookCalls()).toHaveLength(1);
  });

  test("carrier loss expires the lease (red.down), carrier return rebinds (red.up)", async () => {
    const s = await standin();
    s.addHook("red.up", "95-U-mwan");
    s.addHook("red.down", "95-D-mwan");
    await s.runScript(s.network, "start", "red");
    s.device("red0", { carrier: 0 });
    await s.waitFor(() => !s.redState().active, 3000, "active to vanish");
    s.device("red0", { carrier: 1 });
    await s.waitFor(() => s.redState().active, 3000, "active to return");
    await s.waitFor(() => s.hookCalls().length === 3, 3000, "3 hook calls");
    expect(s.hookCalls().map((l) => l.split("|").slice(1, 3).join("|"))).toEqual([
      "up|reason=BOUND",
      "down|reason=EXPIRE",
      "up|reason=REBOOT",
    ]);
  });

  test("works when every signal is ignored, as below IPFire's setuid helpers", async () => {
    const s = await standin();
    s.addHook("red.down", "95-D-mwan");
    const ignoring = (action: string) =>
      s.runScript(
        "/bin/bash",
        "-c",
        `trap '' HUP INT QUIT TERM USR1 USR2; exec '${s.network}' ${action} red`,
      );
    await ignoring("start");
    expect(s.redState().active).toBe(true);
    const stop = await ignoring("stop");
    expect(stop.ms).toBeLessThan(3000);
    expect(s.dhcpcdPid("red0")).toBeUndefined();
    expect(s.hookCalls()).toHaveLength(1);
  });

  test("FAIL=DHCP: red start returns after the scaled timeout, no active, dhcpcd keeps trying", async () => {
    const s = await standin({ fail: ["DHCP"], timeScale: 0.01 });
    s.addHook("red.down", "95-D-mwan");
    const r = await s.runScript(s.network, "start", "red");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("DHCP for red0 still running");
    expect(s.redState().active).toBe(false);
    expect(s.redState().iface).toBe("red0");
    expect(s.dhcpcdPid("red0")).toBeNumber();
    await s.runScript(s.network, "stop", "red");
    expect(s.dhcpcdPid("red0")).toBeUndefined();
    expect(s.hookCalls()).toEqual([]); // never bound: no red.down
  });

  test("HANG=DHCP: network start red never returns and never touches active", async () => {
    const s = await standin({ hang: ["DHCP"] });
    const p = s.spawnScript(s.network, "start", "red");
    await Bun.sleep(600);
    expect(p.exitCode).toBeNull();
    expect(s.redState().active).toBe(false);
    expect(s.events("red", "hang")).toHaveLength(1);
    p.kill("SIGKILL");
    await p.exited;
  });

  test("delays are honoured", async () => {
    const s = await standin({ delay: 0.5, stopDelay: 0.3 });
    const start = await s.runScript(s.network, "start", "red");
    expect(start.ms).toBeGreaterThanOrEqual(500);
    expect(start.ms).toBeLessThan(2500);
    const stop = await s.runScript(s.network, "stop", "red");
    expect(stop.ms).toBeGreaterThanOrEqual(300);
    expect(stop.ms).toBeLessThan(2500);
  });

  test("red start refuses a RED_DEV that does not exist", async () => {
    const s = await standin();
    s.updateSettings("var/ipfire/ethernet/settings", { RED_DEV: "eth9" });
    const r = await s.runScript(s.red, "start");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Interface eth9 doesn't exist.");
    expect(s.redState().active).toBe(false);
  });
});

describe("STATIC", () => {
  test("start writes iface/addresses/active before red.up; stop runs red.down", async () => {
    const s = await standin();
    s.updateSettings("var/ipfire/ethernet/settings", STATIC_RED);
    s.addHook("red.up", "95-U-mwan");
    s.addHook("red.down", "95-D-mwan");
    expect((await s.runScript(s.network, "start", "red")).code).toBe(0);
    expect(s.redState()).toMatchObject({
      active: true,
      iface: "red0",
      local: "198.51.100.2",
      remote: "198.51.100.1",
    });
    expect(s.readTrimmed("etc/hosts")).toContain("198.51.100.1\tgateway");
    expect(s.dhcpcdPid("red0")).toBeUndefined();
    await s.runScript(s.network, "stop", "red");
    expect(s.hookCalls().map((l) => l.split("|").slice(1).join("|"))).toEqual([
      "up|reason=|IFNAME=|active=y",
      "down|reason=|IFNAME=|active=n",
    ]);
  });

  test("the log shows which settings stop used (rewriting before stop breaks teardown)", async () => {
    const s = await standin();
    s.updateSettings("var/ipfire/ethernet/settings", STATIC_RED);
    s.addHook("red.down", "95-D-mwan");
    await s.runScript(s.network, "start", "red");
    // Wrong order: settings rewritten to DHCP before stop.
    s.updateSettings("var/ipfire/ethernet/settings", { RED_TYPE: "DHCP" });
    await s.runScript(s.network, "stop", "red");
    const seen = s
      .invocations("red")
      .map((i) => [i.argv[0], i.reads["/var/ipfire/ethernet/settings"]?.RED_TYPE]);
    expect(seen).toEqual([
      ["start", "STATIC"],
      ["stop", "DHCP"],
    ]);
    expect(s.events("red", "refuse").at(-1)?.message).toContain("Not running");
    expect(s.hookCalls()).toEqual([]); // red.down never ran
  });
});

describe("PPPoE", () => {
  test("connects via fake pppd + connectd; a second start refuses while pppd runs; stop tears down", async () => {
    const s = await standin();
    s.updateSettings("var/ipfire/ethernet/settings", { RED_TYPE: "PPPOE" });
    s.writeSettings("var/ipfire/ppp/settings", PPPOE_PROFILE); // through the hard link
    s.addHook("red.up", "95-U-mwan");
    s.addHook("red.down", "95-D-mwan");
    Bun.spawnSync({
      cmd: ["sh", "-c", `echo "'user@isp' * 's3cret'" > '${s.path("var/ipfire/ppp/secrets")}'`],
    });

    expect(statSync(s.path("var/ipfire/ppp/settings")).nlink).toBe(2);
    expect((await s.runScript(s.network, "start", "red")).code).toBe(0);
    expect(s.redState()).toEqual({
      active: true,
      iface: "ppp0",
      local: "203.0.113.10",
      remote: "203.0.113.1",
      keepconnected: "0",
    });
    expect(s.hookCalls()).toEqual([`${hookPath(s, "red.up", "95-U-mwan")}|up|reason=|IFNAME=ppp0|active=y`]);
    const pppd = s.pppdPid();
    expect(pppd).toBeNumber();
    expect(s.connectdPids()).toEqual([]); // connectd start returned ("online")
    expect(s.events("connectd", "online")).toHaveLength(1);

    const again = await s.runScript(s.red, "start");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("pppd is still running");
    expect(s.redState().active).toBe(false); // like IPFire, it cleared the files first
    expect(s.pppdPid()).toBe(pppd);

    expect((await s.runScript(s.network, "stop", "red")).code).toBe(0);
    expect(s.pppdPid()).toBeUndefined();
    expect(s.redState()).toEqual({
      active: false,
      iface: "ppp0",
      local: undefined,
      remote: undefined,
      keepconnected: undefined,
    });
    expect(s.hookCalls().at(-1)).toBe(
      `${hookPath(s, "red.down", "95-D-mwan")}|down|reason=|IFNAME=ppp0|active=n`,
    );
  });

  test("failing dials: connectd retries in the background and switches to BACKUPPROFILE", async () => {
    const s = await standin({ fail: ["PPPOE"] });
    s.updateSettings("var/ipfire/ethernet/settings", { RED_TYPE: "PPPOE" });
    s.writeSettings("var/ipfire/ppp/settings", {
      ...PPPOE_PROFILE,
      MAXRETRIES: "2",
      HOLDOFF: "2",
      BACKUPPROFILE: "2",
    });
    s.writeSettings("var/ipfire/ppp/settings-2", {
      ...PPPOE_PROFILE,
      PROFILE: "2",
      USERNAME: "backup",
      PASSWORD: "pw2",
    });

    expect((await s.runScript(s.network, "start", "red")).code).toBe(0);
    expect(s.redState().active).toBe(false);
    await s.waitFor(() => s.events("connectd", "backup-profile").length > 0, 8000, "backup profile switch");
    expect(s.readTrimmed("var/ipfire/ppp/settings")).toContain("USERNAME=backup");
    expect(statSync(s.path("var/ipfire/ppp/settings")).nlink).toBe(1); // the hard link is broken
    expect(s.readTrimmed("var/ipfire/ppp/secrets")).toBe("'backup' * 'pw2'");

    // connectd keeps going in the background; find it by comm + command line and stop it by PID.
    await s.waitFor(() => s.connectdPids().length > 0, 3000, "a background connectd");
    for (const pid of s.connectdPids()) process.kill(pid, "SIGKILL");
  });
});

describe("QMI", () => {
  test("needs RED_DRIVER=qmi_wwan, then comes up by DHCP on RED_DEV; stop leaves the link up", async () => {
    const s = await standin();
    s.device("wwan0", {
      qmi: true,
      lease: { ip: "10.64.0.2", router: "10.64.0.1" },
    });
    s.updateSettings("var/ipfire/ethernet/settings", {
      RED_TYPE: "PPPOE",
      RED_DEV: "wwan0",
    });
    s.writeSettings("var/ipfire/ppp/settings", {
      PROFILE: "1",
      TYPE: "qmi",
      APN: "internet",
      AUTH: "pap",
    });

    const refused = await s.runScript(s.red, "start");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("RED_DRIVER=qmi_wwan");

    s.updateSettings("var/ipfire/ethernet/settings", {
      RED_DRIVER: "qmi_wwan",
    });
    expect((await s.runScript(s.network, "start", "red")).code).toBe(0);
    expect(s.redState()).toMatchObject({
      active: true,
      iface: "wwan0",
      local: "10.64.0.2",
    });
    expect(s.dhcpcdPid("wwan0")).toBeNumber();
    await s.runScript(s.network, "stop", "red");
    expect(s.dhcpcdPid("wwan0")).toBeUndefined();
    expect(s.redState().active).toBe(false);
    expect(s.deviceFile("wwan0", "operstate")).toBe("up");
  });

  // qmi_enable_rawip_mode (functions.network 463-470); red stop never undoes it.
  test("raw-IP mode empties the modem's address and stays after stop", async () => {
    const s = await standin();
    s.device("wwan0", {
      qmi: true,
      mac: "02:ff:ff:ff:ff:00",
      lease: { ip: "10.64.0.2", router: "10.64.0.1" },
    });
    s.updateSettings("var/ipfire/ethernet/settings", {
      RED_TYPE: "PPPOE",
      RED_DEV: "wwan0",
      RED_DRIVER: "qmi_wwan",
    });
    s.writeSettings("var/ipfire/ppp/settings", { TYPE: "qmi", APN: "internet", AUTH: "pap" });
    await s.runScript(s.network, "start", "red");
    expect(s.redState().active).toBe(true);
    // auth reaches qmicli only as PAP/CHAP (functions.network 492-496).
    expect(s.events("red", "qmi-start")[0]).toMatchObject({ control: "/dev/cdc-wdm0", auth: "" });
    await s.runScript(s.network, "stop", "red");
    expect(s.deviceFile("wwan0", "qmi/raw_ip")).toBe("Y");
    expect(s.deviceFile("wwan0", "address")).toBe("");
  });

  test("without its control channel the modem gets no bearer, so no lease", async () => {
    const s = await standin({ timeScale: 0.01 });
    s.device("wwan0", { qmi: true, lease: { ip: "10.64.0.2", router: "10.64.0.1" } });
    rmSync(s.path("dev/cdc-wdm0"));
    s.updateSettings("var/ipfire/ethernet/settings", {
      RED_TYPE: "PPPOE",
      RED_DEV: "wwan0",
      RED_DRIVER: "qmi_wwan",
    });
    s.writeSettings("var/ipfire/ppp/settings", { TYPE: "qmi", APN: "internet" });
    await s.runScript(s.network, "start", "red");
    expect(s.redState().active).toBe(false);
  });
});

describe("MAC spoofing, VDSL, IPTV", () => {
  const vdsl = (s: Standin, extra: Record<string, string> = {}) => {
    s.updateSettings("var/ipfire/ethernet/settings", { RED_TYPE: "PPPOE" });
    s.writeSettings("var/ipfire/ppp/settings", { ...PPPOE_PROFILE, TYPE: "vdsl", INET_VLAN: "7", ...extra });
    s.writeSettings("var/ipfire/ppp/secrets", {});
    writeFileSync(s.path("var/ipfire/ppp/secrets"), "'user@isp' * 's3cret'\n");
  };

  // red 38-42, 86-107, 492-570.
  test("start puts the spoofed MAC (dashes as colons) on a down RED_DEV; stop leaves it there", async () => {
    const s = await standin();
    writeFileSync(s.path("var/ipfire/mac/settings"), "MAC=02-5F-00-00-00-01\n");
    await s.runScript(s.network, "start", "red");
    expect(s.deviceFile("red0", "address")).toBe("02:5F:00:00:00:01");
    await s.runScript(s.network, "stop", "red");
    expect(s.deviceFile("red0", "address")).toBe("02:5F:00:00:00:01");
  });

  // red 251-264, 545-564.
  test("VDSL: PPPoE on RED_DEV.INET_VLAN; stop deletes the VLAN and leaves RED_DEV up", async () => {
    const s = await standin();
    s.device("red0", { pppPassword: "s3cret" });
    vdsl(s);
    await s.runScript(s.network, "start", "red");
    expect(s.redState()).toMatchObject({ active: true, iface: "ppp0" });
    expect(s.events("red", "pppd-started")[0]).toMatchObject({ nic: "red0.7" });
    await s.runScript(s.network, "stop", "red");
    expect(existsSync(s.path("sys/class/net/red0.7"))).toBe(false);
    expect(s.deviceFile("red0", "operstate")).toBe("up");
  });

  // red 265-312; dhcpcd.exe 76-96 has no interface check.
  test("IPTV: its own VLAN and bare dhcpcd before pppd, both left running by stop", async () => {
    const s = await standin();
    s.device("red0", { pppPassword: "s3cret", iptvLease: { ip: "10.8.0.2", router: "10.8.0.1" } });
    vdsl(s, { IPTV: "enable", IPTV_VLAN: "8" });
    await s.runScript(s.network, "start", "red");
    expect(s.redState().active).toBe(true);
    const dhcpcd = s.invocations("red").length; // the IPTV dhcpcd ran bare
    expect(dhcpcd).toBeGreaterThan(0);
    expect(s.dhcpcdPid("red0.8")).toBeNumber();
    await s.runScript(s.network, "stop", "red");
    expect(s.dhcpcdPid("red0.8")).toBeNumber();
    expect(existsSync(s.path("sys/class/net/red0.8"))).toBe(true);
  });
});

describe("network / readhash", () => {
  test("an unknown zone argument loops forever", async () => {
    const s = await standin();
    const p = s.spawnScript(s.network, "start", "RED");
    await Bun.sleep(2000);
    expect(p.exitCode).toBeNull();
    expect(s.events("network", "loop-forever")[0]?.unknown_arg).toBe("RED");
    expect(s.events("red")).toEqual([]);
    p.kill("SIGTERM");
    expect(await p.exited).not.toBe(0);
  });

  test("readhash drops values with shell metacharacters, keeps quoted values with spaces", async () => {
    const s = await standin();
    s.updateSettings("var/ipfire/ethernet/settings", {
      RED_DHCP_HOSTNAME: "ho$t",
      RED_DESCRIPTION: "two words",
      BLUE_DEV: "a!b",
    });
    await s.runScript(s.network, "stop", "red");
    const read = s.events("network", "readhash")[0];
    const values = read?.values as Record<string, string>;
    expect(read?.dropped).toEqual(
      expect.arrayContaining(["RED_DHCP_HOSTNAME", "BLUE_DEV", "GREEN_DESCRIPTION"]),
    );
    expect(values.RED_DHCP_HOSTNAME).toBeUndefined();
    expect(values.RED_DESCRIPTION).toBe("two words");
    expect(values.RED_DEV).toBe("red0");
  });

  test("overlapping network runs are logged as concurrent", async () => {
    const s = await standin({ stopDelay: 0.5 });
    await s.runScript(s.network, "start", "red");
    const a = s.spawnScript(s.network, "stop", "red");
    await s.waitFor(() => s.events("red", "invoke").length >= 2, 3000, "first stop to reach red");
    const b = await s.runScript(s.network, "stop", "red");
    await a.exited;
    expect(b.code).toBe(0);
    expect(s.events("network", "concurrent")).toHaveLength(1);
  });
});
