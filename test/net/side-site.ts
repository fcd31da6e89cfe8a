// TEST CODE: a small site for the side-path tests: a firewall namespace with
// GREEN (a LAN client behind it), RED on one ISP and the side NIC on another,
// IPFire's filter rules (test/ipfire/standin/firewall-rules.sh) and strict
// rp_filter as IPFire sets it; each ISP answers for the same target beyond its
// router. The side link itself runs inside the firewall namespace
// (side-driver.ts), driven over its stdin and stdout.

import { join } from "node:path";
import type { Subprocess } from "bun";
import { dnsmasqDhcpArgv } from "./dnsmasq.ts";
import { Lab } from "./netns.ts";
import { Standin } from "../ipfire/standin.ts";
import type { SideRole } from "../../src/adapters/side/records.ts";
import { SIDE_FIRST, SIDE_SLOTS, TEST_SLOT } from "../../src/adapters/side/routing.ts";

export const TARGET = "192.0.2.99";
export const SIDE_NET = { router: "198.51.100.1", static: "198.51.100.7" };
// Profiles on the side NIC, with the keys the tests need of a profile file.
export const SIDE_STATIC = {
  TYPE: "STATIC",
  PRIORITY: 2,
  DEVICE: "side0",
  MACADDR: "52:54:00:00:00:09",
  METERED: "off",
  ADDRESS: SIDE_NET.static,
  NETMASK: "255.255.255.0",
  GATEWAY: SIDE_NET.router,
};
export const SIDE_DHCP = {
  TYPE: "DHCP",
  PRIORITY: 1,
  DEVICE: "side0",
  MACADDR: "52:54:00:00:00:09",
  METERED: "off",
  DHCP_HOSTNAME: "fw-side",
};
const HERE = import.meta.dir;
const RULES = join(HERE, "../ipfire/standin/firewall-rules.sh");
export const MWAN_BIN = process.env.MWAN_BIN ?? join(HERE, "../../build/dist/mwan-x86_64");

// A line of `ip rule` with a priority in mwan's side range.
const inMwanRange = (line: string): boolean => {
  const prio = Number(line.split(":")[0]);
  return prio >= SIDE_FIRST && prio < SIDE_FIRST + 3 * SIDE_SLOTS;
};

export class SideSite {
  readonly lab = new Lab();
  ns = { fw: "", lan: "", isp1: "", isp2: "" };
  standin!: Standin;
  private dhcp: Subprocess | undefined;

  async build(): Promise<void> {
    const { lab } = this;
    for (const k of Object.keys(this.ns) as (keyof SideSite["ns"])[]) this.ns[k] = await lab.ns(k);
    const { fw, lan, isp1, isp2 } = this.ns;
    for (const s of ["all", "default"]) await this.fw("sysctl", "-qw", `net.ipv4.conf.${s}.rp_filter=1`);
    await this.fw("sysctl", "-qw", "net.ipv4.ip_forward=1");
    await lab.veth(
      { ns: lan, name: "lan0", address: "192.168.1.2/24" },
      { ns: fw, name: "green0", address: "192.168.1.1/24" },
    );
    await lab.veth(
      { ns: fw, name: "red0", address: "203.0.113.10/24" },
      { ns: isp1, name: "cust", address: "203.0.113.1/24" },
    );
    await lab.veth({ ns: fw, name: "side0" }, { ns: isp2, name: "cust", address: `${SIDE_NET.router}/24` });
    await lab.ip(lan, "route", "add", "default", "via", "192.168.1.1");
    await lab.ip(fw, "route", "add", "default", "via", "203.0.113.1");
    for (const isp of [isp1, isp2]) await lab.ip(isp, "addr", "add", `${TARGET}/32`, "dev", "lo");
    for (const ifname of ["green0", "red0", "side0"])
      await this.fw("sysctl", "-qw", `net.ipv4.conf.${ifname}.rp_filter=1`);
    await this.fwOk(RULES, "green0", "192.168.1.0/24", "red0");
    // RED's masquerading, as the red.up hook sets it (standin/firewall), and
    // the counters the tests read: forwarded out of the side NIC, and out of it
    // with any source but the side path's own.
    await this.nft(`table ip standin_firewall {
      chain postrouting { type nat hook postrouting priority srcnat; policy accept; oifname "red0" masquerade; }
    }`);
    this.standin = await Standin.install({ real: true, timeScale: 0.1 });
  }

  async countersFor(sideAddress: string): Promise<void> {
    await this.nft(`table ip side_count
      delete table ip side_count
      table ip side_count {
        counter fwd_side {}
        counter foreign_src {}
        counter fwd_red {}
        counter own_src {}
        counter dhcp_red {}
        chain forward { type filter hook forward priority -10; policy accept;
          oifname "side0" counter name fwd_side;
          oifname "red0" counter name fwd_red; }
        chain out { type filter hook output priority 10; policy accept;
          oifname "red0" udp dport 67 counter name dhcp_red; }
        chain post { type filter hook postrouting priority 10; policy accept;
          oifname "side0" ip saddr != ${sideAddress} udp sport != 68 counter name foreign_src;
          oifname "side0" ip saddr ${sideAddress} counter name own_src; }
      }`);
  }

  async counter(name: string): Promise<number> {
    const r = await this.lab.exec(this.ns.fw, ["nft", "-j", "list", "counter", "ip", "side_count", name]);
    const m = /"packets":\s*(\d+)/.exec(r.stdout);
    return m ? Number(m[1]) : -1;
  }

  async startDhcp(
    range: [string, string] = ["198.51.100.50", "198.51.100.59"],
    leases = "side-isp.leases",
  ): Promise<void> {
    this.dhcp = this.lab.spawn(
      this.ns.isp2,
      dnsmasqDhcpArgv({
        iface: "cust",
        range,
        router: SIDE_NET.router,
        leaseFile: this.standin.path(leases),
        extra: ["--dhcp-authoritative"],
      }),
    );
    await Bun.sleep(200);
  }

  async stopDhcp(): Promise<void> {
    this.dhcp?.kill("SIGKILL");
    await this.dhcp?.exited;
  }

  // What must not change: the main table, the rules outside mwan's range.
  async outsideState(): Promise<string> {
    const main = (await this.lab.ip(this.ns.fw, "-4", "route", "show", "table", "main")).stdout;
    const rules = (await this.lab.ip(this.ns.fw, "-4", "rule", "show")).stdout
      .split("\n")
      .filter((l) => !inMwanRange(l));
    return `${main}\n--\n${rules.join("\n")}`;
  }

  // What mwan could have left: rules in its range, routes in its tables, an
  // address on the side NIC.
  async mwanLeftovers(): Promise<string> {
    const rules = (await this.lab.ip(this.ns.fw, "-4", "rule", "show")).stdout
      .split("\n")
      .filter(inMwanRange);
    // The daemon's first slot and the test's.
    const routes: string[] = [];
    for (const table of [SIDE_FIRST, SIDE_FIRST + TEST_SLOT])
      routes.push(
        (
          await this.lab.exec(this.ns.fw, ["ip", "-4", "route", "show", "table", String(table)])
        ).stdout.trim(),
      );
    const addr = (
      await this.lab.exec(this.ns.fw, ["ip", "-4", "-o", "addr", "show", "dev", "side0"])
    ).stdout.trim();
    return [...rules, ...routes, addr].filter((l) => l !== "").join("\n");
  }

  fw(...argv: string[]) {
    return this.lab.exec(this.ns.fw, argv);
  }

  async fwOk(...argv: string[]): Promise<string> {
    const r = await this.fw(...argv);
    if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
  }

  private async nft(script: string): Promise<void> {
    const r = await this.lab.exec(this.ns.fw, ["nft", "-f", "-"], script);
    if (r.code !== 0) throw new Error(`nft: ${r.stderr}`);
  }

  driver(
    profileName: string,
    profile: Record<string, unknown>,
    ifname = "side0",
    boundMs = 30_000,
    role: SideRole = "daemon",
  ): Driver {
    return new Driver(
      Bun.spawn(
        [
          ...this.lab.wrap(this.ns.fw),
          process.execPath,
          join(HERE, "side-driver.ts"),
          this.standin.root,
          profileName,
          JSON.stringify(profile),
          ifname,
          MWAN_BIN,
          String(boundMs),
          role,
        ],
        { stdin: "pipe", stdout: "pipe", stderr: "inherit" },
      ),
    );
  }

  // What a starting daemon (or profile test) of this role removes of the
  // side paths a killed one left (cleanupSideLinks), run to its end.
  async cleanupAs(profile: Record<string, unknown>, role: SideRole = "daemon"): Promise<void> {
    const d = this.driver("primary", profile, "side0", 30_000, role);
    try {
      d.send("cleanup");
      await d.waitFor((l) => l.cleaned === true, 10_000);
    } finally {
      await d.close();
    }
  }

  async cleanup(): Promise<void> {
    await this.standin?.cleanup();
    await this.lab.cleanup();
  }
}

// One side-driver.ts process: commands in, JSON lines out.
export class Driver {
  readonly lines: Record<string, unknown>[] = [];
  private readonly reading: Promise<void>;

  constructor(private readonly proc: Subprocess<"pipe", "pipe", "inherit">) {
    this.reading = (async () => {
      let buf = "";
      for await (const chunk of proc.stdout) {
        buf += new TextDecoder().decode(chunk);
        for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
          this.lines.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
          buf = buf.slice(i + 1);
        }
      }
    })();
  }

  send(cmd: string): void {
    this.proc.stdin.write(`${cmd}\n`);
    this.proc.stdin.flush();
  }

  // The first line, from `from` on, that `pred` accepts.
  async waitFor(
    pred: (l: Record<string, unknown>) => boolean,
    ms: number,
    from = 0,
  ): Promise<Record<string, unknown>> {
    const until = Date.now() + ms;
    for (;;) {
      const hit = this.lines.slice(from).find(pred);
      if (hit) return hit;
      if (Date.now() > until) throw new Error(`timed out; lines: ${JSON.stringify(this.lines)}`);
      await Bun.sleep(50);
    }
  }

  report(kind: "ready" | "unavailable", ms: number, from = 0) {
    return this.waitFor(
      (l) => (l.report as { kind?: string } | undefined)?.kind === kind,
      ms,
      from,
    ) as Promise<{
      report: {
        kind: string;
        via?: { localAddress: string; iface: string; gateway: string; table: number };
        reason?: string;
      };
    }>;
  }

  async stop(): Promise<void> {
    const from = this.lines.length;
    this.send("stop");
    await this.waitFor((l) => l.stopped === true, 15_000, from);
  }

  // As a daemon dies: nothing it started is stopped.
  async kill(): Promise<void> {
    this.proc.kill("SIGKILL");
    await this.proc.exited;
    await this.reading.catch(() => undefined);
  }

  async close(): Promise<void> {
    this.proc.stdin.end();
    const exited = await Promise.race([this.proc.exited.then(() => true), Bun.sleep(2000).then(() => false)]);
    if (!exited) this.proc.kill("SIGKILL");
    await this.reading.catch(() => undefined);
  }
}
