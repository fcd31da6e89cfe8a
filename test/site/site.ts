// TEST CODE: a virtual IPFire site in network namespaces, for mwan's
// end-to-end tests, the demo and the failover benchmark (README.md here).
//
//   lan ──green0── fw ──red0── isp1 ──┐
//                   ├──eth1─── isp2 ──┼── inet
//                   └──eth2─── isp3 ──┘
//
// fw is the firewall: the IPFire stand-in in real mode (test/ipfire) drives
// RED with the real dhcpcd, and its red.up hook masquerades the LAN behind
// whichever NIC RED is on; strict rp_filter and IPv6 off as on IPFire.
// isp1/isp2/isp3 are routers with a real DHCP server
// (dnsmasq) each; inet holds mwan's probe targets, a DNS server and a web
// server; lan is the client whose experience the tests judge. Faults are
// made where they happen in life: beyond the ISP's router (nftables), on the
// ISP's side of the cable, or in its DHCP server.

import type { Subprocess } from "bun";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunResult, run } from "../helpers/run-bin.ts";
import { Standin } from "../ipfire/standin.ts";
import { Lab, type RunResult as NetRunResult, netnsSupport } from "../net/netns.ts";
import { GREEN, GREEN_MAC, INET, ISP1, ISP2, ISP3, ISPS, type Isp } from "./addresses.ts";
import { LanWatch } from "./lan-watch.ts";

const HERE = import.meta.dir;
const BUN = process.execPath;
// The side lane's nftables rendering of IPFire's packet filter (test/ipfire/README.md).
const FILTER_RULES = join(HERE, "../ipfire/standin/firewall-rules.sh");
const GREEN_NET = `192.0.2.0/${GREEN.prefix}`;

export type { Isp };
export { ISP1, ISP2, ISP3, ISPS };

// What the daemon publishes in /var/run/mwan/status.json (the fields used here).
export interface Status {
  pid: number;
  primary: string;
  active: string;
  mode: string;
  health: { state: string; since: number; reason: string };
  inFlight: unknown;
  history: {
    at: number;
    from: string;
    to: string;
    kind: string;
    doneAt: number | null;
    ok: boolean | null;
  }[];
  failback: { nextTrialAt: number | null; failedTrials: number; probationUntil: number | null };
  // The side watch of each profile that does not carry RED.
  side?: Record<string, SideStatus>;
}

export interface SideStatus {
  status: string; // running | unavailable
  health: string; // unproven | up | down
}

export interface SiteOptions {
  // The compiled mwan to install into the firewall.
  bin: string;
  // Progress lines (the demo narrates, tests stay quiet).
  say?: (line: string) => void;
}

interface IspFaults {
  blackhole: boolean;
  lossPercent: number;
}

export class Site {
  readonly lab = new Lab();
  readonly ns = { fw: "", isp1: "", isp2: "", isp3: "", inet: "", lan: "" };
  private standin!: Standin;
  private readonly dhcpServers = new Map<string, Subprocess>();
  private readonly faults: Record<string, IspFaults> = {
    isp1: { blackhole: false, lossPercent: 0 },
    isp2: { blackhole: false, lossPercent: 0 },
    isp3: { blackhole: false, lossPercent: 0 },
  };
  private readonly watches: LanWatch[] = [];

  private constructor(private readonly opts: SiteOptions) {}

  get root(): string {
    return this.standin.root;
  }

  private say(line: string): void {
    this.opts.say?.(line);
  }

  // Builds the namespaces, starts the ISPs and the internet, installs the
  // IPFire stand-in and boots RED on the primary line. Tears down what it
  // made if any step fails.
  static async up(opts: SiteOptions): Promise<Site> {
    const support = netnsSupport();
    if (!support.ok) throw new Error(`the virtual site needs network namespaces: ${support.reason}`);
    const site = new Site(opts);
    try {
      await site.build();
      return site;
    } catch (err) {
      await site.down();
      throw err;
    }
  }

  private async build(): Promise<void> {
    const { lab, ns } = this;
    for (const name of ["fw", "isp1", "isp2", "isp3", "inet", "lan"] as const) ns[name] = await lab.ns(name);
    this.standin = await Standin.install({ real: true, timeScale: 0.1 });
    mkdirSync(this.path("site"), { recursive: true });
    // IPFire's sysctl.conf (contract §1.3): strict reverse-path filtering on
    // every interface, so a reply that arrives on a NIC the main table does
    // not route to is dropped unless mwan's side path routes it; no IPv6.
    // Set before the NICs exist, which take `default`.
    for (const setting of [
      "net.ipv4.conf.all.rp_filter=1",
      "net.ipv4.conf.default.rp_filter=1",
      "net.ipv6.conf.all.disable_ipv6=1",
      "net.ipv6.conf.default.disable_ipv6=1",
    ])
      await this.sysctl(ns.fw, setting);

    // Cables. The firewall's uplink NICs are down until IPFire brings RED up.
    for (const isp of ISPS) {
      await lab.veth(
        { ns: ns.fw, name: isp.nic },
        { ns: ns[isp.name], name: "cust", address: `${isp.router}/24` },
      );
      await this.setMac(isp.nic, isp.mac, false);
      await lab.veth(
        { ns: ns[isp.name], name: "uplink", address: `${isp.uplink}/30` },
        { ns: ns.inet, name: isp.name, address: `${isp.inetSide}/30` },
      );
      await lab.ip(ns[isp.name], "route", "add", "default", "via", isp.inetSide);
      await lab.ip(ns.inet, "route", "add", isp.customerNet, "via", isp.uplink);
      await this.sysctl(ns[isp.name], "net.ipv4.ip_forward=1");
      await this.applyFaults(isp);
      await this.startDhcp(isp);
    }
    await lab.veth(
      { ns: ns.fw, name: "green0", address: `${GREEN.fw}/${GREEN.prefix}` },
      { ns: ns.lan, name: "eth0", address: `${GREEN.lan}/${GREEN.prefix}` },
    );
    await this.setMac("green0", GREEN_MAC, true);
    await lab.ip(ns.lan, "route", "add", "default", "via", GREEN.fw);
    await this.sysctl(ns.fw, "net.ipv4.ip_forward=1");

    // The internet: probe targets, DNS and web on its loopback.
    for (const a of [...INET.targets, INET.dns, INET.web])
      await lab.ip(ns.inet, "addr", "add", `${a}/32`, "dev", "lo");
    lab.spawn(ns.inet, [
      "dnsmasq",
      "--keep-in-foreground",
      "--conf-file=/dev/null",
      "--user=root",
      "--pid-file=",
      `--listen-address=${INET.dns}`,
      "--bind-interfaces",
      "--no-resolv",
      "--no-hosts",
      `--address=/${INET.webName}/${INET.web}`,
      // mwan's DNS probe asks for this name (any answer proves the path).
      `--address=/ping.ipfire.org/${INET.targets[0]}`,
      `--log-facility=${this.path("site/dns.log")}`,
    ]);
    lab.spawn(ns.inet, [BUN, join(HERE, "web.ts"), INET.web, "80"]);

    // IPFire as setup leaves it: RED by DHCP on red0, GREEN on green0.
    this.standin.updateSettings("var/ipfire/ethernet/settings", {
      GREEN_DEV: "green0",
      GREEN_MACADDR: GREEN_MAC,
      GREEN_ADDRESS: GREEN.fw,
      GREEN_NETADDRESS: "192.0.2.0",
      GREEN_BROADCAST: "192.0.2.255",
      RED_DEV: ISP1.nic,
      RED_MACADDR: ISP1.mac,
      RED_TYPE: "DHCP",
    });
    await this.installFilter();
    await this.waitFor(() => this.servicesUp(), 10_000, "the internet's DNS and web server");
    this.say("site up: firewall, three ISPs with DHCP, the internet, a LAN client");
    await this.network("start");
  }

  // IPFire's packet filter in fw (policies DROP for input and forward, the
  // LAN's and DHCP's accepts), so the LAN and mwan's side probes meet what
  // they meet on IPFire. Its `firewall up` (red.up/20-firewall) moves the
  // DHCP accept to the new red/iface; a red.up hook here does the same.
  private async installFilter(): Promise<void> {
    const hook = this.path("etc/rc.d/init.d/networking/red.up/21-site-filter");
    writeFileSync(
      hook,
      [
        "#!/bin/bash",
        "# TEST CODE (test/site/site.ts): IPFire's packet filter for the RED that just came up.",
        `exec ${FILTER_RULES} green0 ${GREEN_NET} "$(cat ${this.path("var/ipfire/red/iface")})"`,
        "",
      ].join("\n"),
      { mode: 0o755 },
    );
    const r = await this.lab.exec(this.ns.fw, [FILTER_RULES, "green0", GREEN_NET, ISP1.nic]);
    if (r.code !== 0) throw new Error(`IPFire's filter rules in fw failed: ${r.stderr}`);
  }

  private async servicesUp(): Promise<boolean> {
    const r = await this.lab.exec(this.ns.inet, ["curl", "-sf", "--max-time", "1", `http://${INET.web}/`]);
    return r.code === 0 && readFileSync(this.path("site/dns.log"), "utf8").includes("started");
  }

  path(rel: string): string {
    return join(this.standin.root, rel);
  }

  // ---- the firewall --------------------------------------------------------

  // IPFire's `network start|stop red`, as an admin (or boot) runs it.
  network(action: "start" | "stop" | "restart"): Promise<NetRunResult> {
    return this.lab.exec(this.ns.fw, [this.standin.network, action, "red"]);
  }

  // mwan inside the firewall's namespace, on the stand-in's root.
  mwan(args: string[], timeoutMs = 30_000, bin = this.opts.bin): Promise<RunResult> {
    return run(args, { root: this.root, prefix: this.lab.wrap(this.ns.fw), exe: bin, timeoutMs });
  }

  // mwan that must succeed; the failure names the command and its output.
  async mwanOk(args: string[], timeoutMs?: number): Promise<string> {
    const r = await this.mwan(args, timeoutMs);
    if (r.code !== 0) throw new Error(`mwan ${args.join(" ")} exited ${r.code}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  // The admin's way in: install, take the current RED as the primary, create
  // the backup, point the probes at the site's internet, enable.
  // `third` adds ISP3 as a second backup, after ISP2.
  async installMwan(
    opts: {
      backup?: "dhcp" | "static";
      third?: "dhcp" | "static";
      settings?: Record<string, string>;
    } = {},
  ): Promise<void> {
    await this.mwanOk(["install"]);
    await this.mwanOk(["profile", "import-current", ISP1.name]);
    await this.createProfile(ISP2, opts.backup ?? "dhcp");
    if (opts.third) await this.createProfile(ISP3, opts.third, ["--priority", "20"]);
    const settings = {
      PROBE_TARGETS: INET.targets.join(","),
      PROBE_DNS: INET.dns,
      ...opts.settings,
    };
    for (const [k, v] of Object.entries(settings)) await this.mwanOk(["config", "set", k, v]);
    await this.mwanOk(["enable"]);
  }

  private async createProfile(isp: Isp, type: "dhcp" | "static", extra: string[] = []): Promise<void> {
    const how =
      type === "static"
        ? [
            "--type",
            "static",
            "--address",
            isp.staticAddress,
            "--netmask",
            "255.255.255.0",
            "--gateway",
            isp.router,
          ]
        : ["--type", "dhcp"];
    await this.mwanOk(["profile", "create", isp.name, ...how, "--device", isp.nic, ...extra]);
  }

  // The daemon's published status, or undefined while there is none.
  status(): Status | undefined {
    try {
      return JSON.parse(readFileSync(this.path("var/run/mwan/status.json"), "utf8")) as Status;
    } catch {
      return undefined;
    }
  }

  // The daemon's log since `since` (ms epoch), as [time, text] pairs.
  daemonLog(since = 0): { t: number; text: string }[] {
    let text = "";
    try {
      text = readFileSync(this.path("var/log/mwan.log"), "utf8");
    } catch {
      return [];
    }
    return text
      .split("\n")
      .map((line) => ({ t: Date.parse(line.slice(0, 24)), text: line.slice(25) }))
      .filter((l) => Number.isFinite(l.t) && l.t >= since);
  }

  // pid of the running daemon, from its pid file.
  daemonPid(): number | undefined {
    try {
      const pid = Number.parseInt(readFileSync(this.path("var/run/mwan.pid"), "utf8"), 10);
      return Number.isFinite(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  // Settings files as key/value maps (RED's state is what the LAN lives on).
  settings(rel: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of readFileSync(this.path(rel), "utf8").split("\n")) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (m?.[1]) out[m[1]] = (m[2] ?? "").replace(/^'(.*)'$/, "$1");
    }
    return out;
  }

  redState() {
    return this.standin.redState();
  }

  // The profiles whose every RED key ethernet/settings holds now, judged
  // from the profile files alone (not mwan's code): the keys IPFire's `red`
  // reads for the profile's type (contract §1.2). An optional key the profile
  // leaves out must be empty in IPFire's file; DHCP has 0.0.0.0 placeholders
  // where STATIC has its addresses.
  heldProfiles(): string[] {
    const red = this.settings("var/ipfire/ethernet/settings");
    const dir = "var/ipfire/mwan/profiles";
    return readdirSync(this.path(dir)).filter((name) => {
      const p = this.settings(`${dir}/${name}`);
      const want: Record<string, string> = {
        RED_TYPE: p.TYPE ?? "",
        RED_DEV: p.DEVICE ?? "",
        RED_MACADDR: (p.MACADDR ?? "").toLowerCase(),
        RED_DRIVER: p.DRIVER ?? "",
      };
      if (p.TYPE === "STATIC") {
        Object.assign(want, {
          RED_ADDRESS: p.ADDRESS ?? "",
          RED_NETMASK: p.NETMASK ?? "",
          DEFAULT_GATEWAY: p.GATEWAY ?? "",
          RED_MTU: p.MTU ?? "",
        });
      } else {
        Object.assign(want, {
          RED_ADDRESS: "0.0.0.0",
          RED_NETMASK: "0.0.0.0",
          DEFAULT_GATEWAY: "0.0.0.0",
          RED_DHCP_HOSTNAME: p.DHCP_HOSTNAME ?? "",
          RED_DHCP_FORCE_MTU: p.DHCP_FORCE_MTU ?? "",
        });
      }
      return Object.entries(want).every(([k, v]) =>
        k === "RED_MACADDR" ? (red[k] ?? "").toLowerCase() === v : (red[k] ?? "") === v,
      );
    });
  }

  redHolds(profile: string): boolean {
    const held = this.heldProfiles();
    return held.length === 1 && held[0] === profile;
  }

  // The firewall's IPv4 addresses on a NIC.
  addressesOf(nic: string): string[] {
    return this.addressInfo(nic).map((a) => a.address);
  }

  // ... with whether each is `noprefixroute` (no route in the main table
  // comes with the address: the side path's, and dhcpcd's own addresses).
  addressInfo(nic: string): { address: string; noprefixroute: boolean }[] {
    const r = Bun.spawnSync(["ip", "-n", this.ns.fw, "-4", "-o", "addr", "show", "dev", nic], {
      stdout: "pipe",
      stderr: "ignore",
    });
    return r.stdout
      .toString()
      .split("\n")
      .flatMap((line) => {
        const m = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(line);
        return m ? [{ address: m[1] as string, noprefixroute: /\bnoprefixroute\b/.test(line) }] : [];
      });
  }

  // Addresses that an `ip rule from ADDR lookup T` routes into a table of
  // its own: the side watch's (IPFire's own addresses have no such rule).
  ruledSources(): string[] {
    const r = Bun.spawnSync(["ip", "-n", this.ns.fw, "-4", "rule", "show"], {
      stdout: "pipe",
      stderr: "ignore",
    });
    return [...r.stdout.toString().matchAll(/from (\d+\.\d+\.\d+\.\d+) lookup/g)].map((m) => m[1] as string);
  }

  // The main routing table's IPv4 routes out of a NIC (what the LAN and the
  // firewall's own services use).
  mainRoutesVia(nic: string): string[] {
    const r = Bun.spawnSync(["ip", "-n", this.ns.fw, "-4", "route", "show", "table", "main", "dev", nic], {
      stdout: "pipe",
      stderr: "ignore",
    });
    return r.stdout
      .toString()
      .split("\n")
      .filter((l) => l.trim() !== "");
  }

  // ---- faults ------------------------------------------------------------

  // Upstream black hole: the ISP's router drops everything it would forward;
  // the line itself (carrier, DHCP with the router) stays up.
  async blackhole(isp: Isp, on: boolean): Promise<void> {
    this.faults[isp.name] = { ...this.faults[isp.name], blackhole: on } as IspFaults;
    await this.applyFaults(isp);
  }

  // Random loss of `percent` of the packets the ISP forwards towards the
  // internet (one direction, so it is also the loss rate of each echo).
  async loss(isp: Isp, percent: number): Promise<void> {
    this.faults[isp.name] = { ...this.faults[isp.name], lossPercent: percent } as IspFaults;
    await this.applyFaults(isp);
  }

  // Carrier: the ISP's end of the cable goes down, the firewall's NIC loses carrier.
  async carrier(isp: Isp, on: boolean): Promise<void> {
    await this.lab.ip(this.ns[isp.name], "link", "set", "cust", on ? "up" : "down");
  }

  // The ISP's DHCP server.
  async dhcp(isp: Isp, on: boolean): Promise<void> {
    if (on) return this.startDhcp(isp);
    const p = this.dhcpServers.get(isp.name);
    this.dhcpServers.delete(isp.name);
    if (p) {
      p.kill("SIGKILL");
      await p.exited;
    }
  }

  // Every fault off, every ISP serving DHCP.
  async heal(): Promise<void> {
    for (const isp of ISPS) {
      this.faults[isp.name] = { blackhole: false, lossPercent: 0 };
      await this.applyFaults(isp);
      await this.carrier(isp, true);
      if (!this.dhcpServers.has(isp.name)) await this.startDhcp(isp);
    }
  }

  private async applyFaults(isp: Isp): Promise<void> {
    const f = this.faults[isp.name] as IspFaults;
    const rules = [
      f.blackhole ? "drop" : "",
      f.lossPercent > 0 ? `iifname "cust" numgen random mod 100 < ${f.lossPercent} drop` : "",
    ].filter((r) => r !== "");
    // Replaced as a whole, atomically: one nft transaction.
    const script = [
      "table inet site_fault",
      "delete table inet site_fault",
      "table inet site_fault {",
      "  chain forward {",
      "    type filter hook forward priority 0; policy accept;",
      ...rules.map((r) => `    ${r}`),
      "  }",
      "}",
      "",
    ].join("\n");
    const r = await this.lab.exec(this.ns[isp.name], ["nft", "-f", "-"], script);
    if (r.code !== 0) throw new Error(`nft in ${isp.name} failed: ${r.stderr}`);
  }

  private async startDhcp(isp: Isp): Promise<void> {
    const p = this.lab.spawn(this.ns[isp.name], [
      "dnsmasq",
      "--keep-in-foreground",
      "--conf-file=/dev/null",
      "--user=root",
      "--pid-file=",
      "--port=0", // DHCP only
      "--interface=cust",
      "--bind-interfaces",
      `--dhcp-range=${isp.pool[0]},${isp.pool[1]},255.255.255.0,10m`,
      `--dhcp-option=option:router,${isp.router}`,
      `--dhcp-option=option:dns-server,${INET.dns}`,
      "--dhcp-rapid-commit",
      "--no-ping", // no 3 s address probe before each offer: it only costs time
      "--dhcp-authoritative",
      `--dhcp-leasefile=${this.path(`site/${isp.name}.leases`)}`,
      `--log-facility=${this.path(`site/${isp.name}-dhcp.log`)}`,
    ]);
    this.dhcpServers.set(isp.name, p);
    // dnsmasq binds at once; a short wait keeps a DHCP request from racing it.
    await Bun.sleep(200);
    if (p.exitCode !== null) throw new Error(`dnsmasq (DHCP) in ${isp.name} exited ${p.exitCode}`);
  }

  // ---- the LAN client ------------------------------------------------------

  private clientArgs(): string[] {
    return [BUN, join(HERE, "lan-client.ts")];
  }

  // One sample: ping, DNS and HTTP from the LAN through the firewall.
  async lanOnce(): Promise<{ icmp: boolean; dns: boolean; http: boolean }> {
    const r = await this.lab.exec(this.ns.lan, [
      ...this.clientArgs(),
      "once",
      INET.targets[0],
      INET.dns,
      INET.webName,
    ]);
    try {
      return JSON.parse(r.stdout.trim()) as { icmp: boolean; dns: boolean; http: boolean };
    } catch {
      return { icmp: false, dns: false, http: false };
    }
  }

  async lanOnline(): Promise<boolean> {
    const s = await this.lanOnce();
    return s.icmp && s.dns && s.http;
  }

  // A LAN client sampling continuously (every `everyMs`), until stopped.
  lanWatch(everyMs = 250): LanWatch {
    const w = new LanWatch([
      ...this.lab.wrap(this.ns.lan),
      ...this.clientArgs(),
      "watch",
      INET.targets[0],
      INET.dns,
      INET.webName,
      String(everyMs),
    ]);
    this.watches.push(w);
    return w;
  }

  // ---- waiting and teardown ----------------------------------------------

  async waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      if (await cond()) return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
      await Bun.sleep(100);
    }
  }

  // Kills every process in the site's namespaces (by pid: `ip netns pids`
  // lists exactly those), removes the stand-in's root and the namespaces.
  async down(): Promise<void> {
    for (const w of this.watches.splice(0)) await w.stop();
    for (const name of Object.values(this.ns)) {
      if (!name) continue;
      const r = Bun.spawnSync(["ip", "netns", "pids", name], { stdout: "pipe", stderr: "ignore" });
      for (const pid of r.stdout.toString().split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // gone already
        }
      }
    }
    if (this.standin) await this.standin.cleanup();
    await this.lab.cleanup();
  }

  private async setMac(nic: string, mac: string, up: boolean): Promise<void> {
    await this.lab.ip(this.ns.fw, "link", "set", "dev", nic, "down");
    await this.lab.ip(this.ns.fw, "link", "set", "dev", nic, "address", mac);
    if (up) await this.lab.ip(this.ns.fw, "link", "set", "dev", nic, "up");
  }

  private async sysctl(ns: string, setting: string): Promise<void> {
    await this.lab.exec(ns, ["sysctl", "-qw", setting]);
  }
}
