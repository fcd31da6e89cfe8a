// TEST CODE: helpers for tests that run against the IPFire stand-in
// (test/ipfire/install-standin.sh; see test/ipfire/README.md).
//
//   const s = await Standin.install({ delay: 0.1 });
//   try { … s.root … } finally { await s.cleanup(); }
//
// Every process is found by PID (pid files, or /proc entries whose command
// line names a file inside the temp root), never by process name alone.

import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const STANDIN_DIR = import.meta.dir;

export type StandinKind = "STATIC" | "DHCP" | "PPPOE" | "QMI";

export interface StandinOptions {
  /** Seconds each bring-up takes (DHCP lease, PPP connect, STATIC). Default 0.2. */
  delay?: number;
  /** Seconds each tear-down takes. Default: delay. */
  stopDelay?: number;
  /** Factor for IPFire's own waits (connectd 5 s polls, HOLDOFF, dhcpcd's 60 s). Default 0.05. */
  timeScale?: number;
  /** Bring-up of these kinds fails: red/active never appears. */
  fail?: StandinKind[];
  /** `red start` of these kinds blocks forever. */
  hang?: StandinKind[];
  /**
   * Real mode, for a root used inside a network namespace: the kernel's NICs
   * (root/sys links to /sys), the real dhcpcd, `ip` for STATIC, an nftables
   * NAT hook. PPPoE and QMI stay fake. See README.md.
   */
  real?: boolean;
}

export interface DeviceOptions {
  mac?: string;
  carrier?: 0 | 1;
  /** Administrative state (flags bit 0x1). */
  up?: boolean;
  /** What the fake DHCP server / PPP peer hands out; null removes the lease. */
  lease?: { ip: string; router?: string; dns?: string[] } | null;
  /** What the IPTV network's DHCP server hands out on this NIC's IPTV VLAN. */
  iptvLease?: { ip: string; router?: string };
  /** Password the fake PPP peer expects in ppp/secrets. */
  pppPassword?: string;
  /** Create the qmi/ directory of a qmi_wwan netdev, with control channel /dev/cdc-wdm<wdm> (default 0). */
  qmi?: boolean;
  wdm?: number;
  /** The permanent address the kernel would report for the NIC (a real NIC's; veths have none). */
  permaddr?: string;
}

/** One line of <root>/var/log/standin.log. */
export interface StandinLogEntry {
  t: number;
  pid: number;
  who: string;
  ev: string;
  [key: string]: unknown;
}

/** One run of a stand-in script, with the settings files it read (file path relative to the root). */
export interface StandinInvocation {
  who: string;
  pid: number;
  t: number;
  argv: string[];
  reads: Record<string, Record<string, string>>;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds. */
  ms: number;
}

function run(cmd: string[]): void {
  const r = Bun.spawnSync({ cmd, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) {
    throw new Error(`${cmd.join(" ")} failed (${r.exitCode}): ${r.stderr.toString()}`);
  }
}

function optionArgs(o: StandinOptions): string[] {
  const a: string[] = [];
  if (o.delay !== undefined) a.push("--delay", String(o.delay));
  if (o.stopDelay !== undefined) a.push("--stop-delay", String(o.stopDelay));
  if (o.timeScale !== undefined) a.push("--time-scale", String(o.timeScale));
  if (o.fail?.length) a.push("--fail", o.fail.join(","));
  if (o.hang?.length) a.push("--hang", o.hang.join(","));
  if (o.real) a.push("--real");
  return a;
}

/** Render a settings file the way IPFire's Perl writehash does (quotes values with spaces). */
export function formatSettings(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => (v.includes(" ") ? `${k}='${v}'\n` : `${k}=${v}\n`))
    .join("");
}

/** Parse KEY=value lines (Perl readhash semantics: anything goes, one pair of quotes stripped). */
export function parseSettings(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([^=]+)=(.*)$/.exec(line);
    if (!m?.[1]) continue;
    out[m[1]] = (m[2] ?? "").replace(/^'/, "").replace(/'$/, "");
  }
  return out;
}

export class Standin {
  private constructor(readonly root: string) {}

  /** Make a temp root (mkdtemp under $TMPDIR) and install the stand-in into it. */
  static async install(opts: StandinOptions = {}): Promise<Standin> {
    const root = mkdtempSync(join(tmpdir(), "mwan-test-"));
    run(["bash", join(STANDIN_DIR, "install-standin.sh"), root, ...optionArgs(opts)]);
    return new Standin(root);
  }

  /**
   * Rewrite <root>/etc/standin.conf (options not given go back to their
   * defaults); takes effect at the next script invocation.
   */
  configure(opts: StandinOptions): void {
    run(["bash", join(STANDIN_DIR, "install-standin.sh"), this.root, "--config-only", ...optionArgs(opts)]);
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  get network(): string {
    return this.path("etc/rc.d/init.d/network");
  }
  get red(): string {
    return this.path("etc/rc.d/init.d/networking/red");
  }
  get connectd(): string {
    return this.path("etc/rc.d/init.d/connectd");
  }

  /** Create or change a fake NIC under <root>/sys/class/net. */
  device(ifname: string, o: DeviceOptions = {}): void {
    const a = ["bash", join(STANDIN_DIR, "standin-device.sh"), this.root, ifname];
    if (o.mac) a.push("--mac", o.mac);
    if (o.carrier !== undefined) a.push("--carrier", String(o.carrier));
    if (o.up !== undefined) a.push(o.up ? "--up" : "--down");
    if (o.lease === null) a.push("--no-lease");
    else if (o.lease) {
      const l = o.lease;
      a.push("--lease", [l.ip, l.router ?? "", ...(l.dns ?? [])].join(","));
    }
    if (o.pppPassword !== undefined) a.push("--ppp-password", o.pppPassword);
    if (o.iptvLease) a.push("--iptv-lease", [o.iptvLease.ip, o.iptvLease.router ?? ""].join(","));
    if (o.permaddr) a.push("--permaddr", o.permaddr);
    if (o.qmi) a.push("--qmi", ...(o.wdm !== undefined ? ["--wdm", String(o.wdm)] : []));
    run(a);
  }

  /** Read a file of a fake NIC (address, carrier, operstate, flags, …), trimmed; undefined if absent. */
  deviceFile(ifname: string, file: string): string | undefined {
    return this.readTrimmed(`sys/class/net/${ifname}/${file}`);
  }

  readTrimmed(rel: string): string | undefined {
    const p = this.path(rel);
    return existsSync(p) ? readFileSync(p, "utf8").trim() : undefined;
  }

  /** Replace a settings file's content (writehash-style), keeping the inode (hard links, owner). */
  writeSettings(rel: string, values: Record<string, string>): void {
    writeFileSync(this.path(rel), formatSettings(values));
  }

  /** Change some keys of a settings file, keeping the others. */
  updateSettings(rel: string, changes: Record<string, string>): void {
    const cur = parseSettings(readFileSync(this.path(rel), "utf8"));
    this.writeSettings(rel, { ...cur, ...changes });
  }

  /** Current /var/ipfire/red state. */
  redState(): {
    active: boolean;
    iface?: string;
    local?: string;
    remote?: string;
    keepconnected?: string;
  } {
    return {
      active: existsSync(this.path("var/ipfire/red/active")),
      iface: this.readTrimmed("var/ipfire/red/iface"),
      local: this.readTrimmed("var/ipfire/red/local-ipaddress"),
      remote: this.readTrimmed("var/ipfire/red/remote-ipaddress"),
      keepconnected: this.readTrimmed("var/ipfire/red/keepconnected"),
    };
  }

  /** All log entries so far. */
  log(): StandinLogEntry[] {
    const text = this.readTrimmed("var/log/standin.log") ?? "";
    return text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as StandinLogEntry);
  }

  /** Log entries matching who/ev (either may be omitted). */
  events(who?: string, ev?: string): StandinLogEntry[] {
    return this.log().filter(
      (e) => (who === undefined || e.who === who) && (ev === undefined || e.ev === ev),
    );
  }

  /**
   * Runs of network, red or connectd in log order, each with the values its
   * readhash calls returned, e.g. to check that `red stop` saw the old RED_TYPE:
   * `s.invocations("red").map((i) => [i.argv[0], i.reads["/var/ipfire/ethernet/settings"]?.RED_TYPE])`.
   */
  invocations(who: "network" | "red" | "connectd"): StandinInvocation[] {
    const out: StandinInvocation[] = [];
    const byPid = new Map<number, StandinInvocation>();
    for (const e of this.log()) {
      if (e.who !== who) continue;
      if (e.ev === "invoke") {
        const inv = {
          who,
          pid: e.pid,
          t: e.t,
          argv: (e.argv as string[]) ?? [],
          reads: {},
        };
        byPid.set(e.pid, inv);
        out.push(inv);
      } else if (e.ev === "readhash") {
        const inv = byPid.get(e.pid);
        if (inv) inv.reads[String(e.file)] = (e.values as Record<string, string>) ?? {};
      }
    }
    return out;
  }

  /**
   * Install a hook script in red.up/ or red.down/ that appends one line per
   * call to <root>/hooks.log: `<argv0>|<args>|reason=…|IFNAME=…|active=y/n`.
   */
  addHook(dir: "red.up" | "red.down", name: string, mode = 0o755): string {
    const p = this.path(`etc/rc.d/init.d/networking/${dir}/${name}`);
    const active = this.path("var/ipfire/red/active");
    writeFileSync(
      p,
      [
        "#!/bin/bash",
        "# TEST CODE: records its invocation",
        `[ -e '${active}' ] && a=y || a=n`,
        `echo "$0|$*|reason=$reason|IFNAME=$IFNAME|active=$a" >> '${this.path("hooks.log")}'`,
        "",
      ].join("\n"),
    );
    chmodSync(p, mode);
    return p;
  }

  /** Lines written by addHook() hooks, in call order. */
  hookCalls(): string[] {
    const t = this.readTrimmed("hooks.log");
    return t ? t.split("\n") : [];
  }

  /** Start an init script (absolute path or one of network/red/connectd) and wait for it. */
  async runScript(script: string, ...args: string[]): Promise<RunResult> {
    const t0 = performance.now();
    const p = this.spawnScript(script, ...args);
    const [code, stdout, stderr] = await Promise.all([
      p.exited,
      new Response(p.stdout).text(),
      new Response(p.stderr).text(),
    ]);
    return { code, stdout, stderr, ms: performance.now() - t0 };
  }

  spawnScript(script: string, ...args: string[]) {
    return Bun.spawn({
      cmd: [script, ...args],
      stdout: "pipe",
      stderr: "pipe",
    });
  }

  /** PID of the fake dhcpcd on ifname, from its pid file, if alive. */
  dhcpcdPid(ifname: string): number | undefined {
    return this.livePid(`var/run/dhcpcd/${ifname}.pid`, this.path("sbin/dhcpcd"));
  }

  /** PID of the fake pppd, from <root>/var/run/ppp-ipfire.pid, if alive. */
  pppdPid(): number | undefined {
    return this.livePid("var/run/ppp-ipfire.pid", this.path("usr/sbin/pppd"));
  }

  /** PIDs of this root's connectd processes: comm "connectd" and command line naming <root>/…/connectd. */
  connectdPids(): number[] {
    return this.procs((comm, argv) => comm === "connectd" && argv.includes(this.connectd));
  }

  private livePid(rel: string, program: string): number | undefined {
    const pid = Number.parseInt(this.readTrimmed(rel) ?? "", 10);
    if (!Number.isFinite(pid)) return undefined;
    return this.procs((_c, argv) => argv.includes(program), [pid])[0];
  }

  private procs(match: (comm: string, argv: string[]) => boolean, pids?: number[]): number[] {
    const out: number[] = [];
    const candidates =
      pids ??
      readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .map(Number);
    for (const pid of candidates) {
      try {
        const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
        const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        const state = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0];
        if (state !== "Z" && match(comm, argv)) out.push(pid);
      } catch {
        // exited meanwhile
      }
    }
    return out;
  }

  /** Poll until cond() is true; throws after timeoutMs. */
  async waitFor(cond: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
    const end = performance.now() + timeoutMs;
    while (!cond()) {
      if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
      await Bun.sleep(25);
    }
  }

  /** Kill every process of this root (by PID) and delete the root. */
  async cleanup(): Promise<void> {
    if (!existsSync(this.root) || !statSync(this.root).isDirectory()) return;
    const p = Bun.spawn({
      cmd: ["bash", join(STANDIN_DIR, "standin-cleanup.sh"), this.root, "--remove"],
      stdout: "ignore",
      stderr: "pipe",
    });
    const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
    if (code !== 0) throw new Error(`standin-cleanup.sh failed (${code}): ${err}`);
  }
}
