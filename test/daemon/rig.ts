// TEST CODE: a real mwan daemon against the IPFire stand-in, with real probes.
// What the daemon tests (test/daemon/*.test.ts) and the daemon benchmarks
// (test/bench/daemon-soak.ts, hook-latency.ts) share.
//
// The stand-in (test/ipfire/) is files only, but the daemon pings through
// RED's interface by name, so it runs inside a network namespace whose veths
// carry the stand-in NICs' names:
//
//   ns fw (the firewall)                      ns inet (the Internet)
//   red0 203.0.113.10/24  <── veth ──>  ired0 203.0.113.1/24
//   eth1 192.0.2.10/24    <── veth ──>  ieth1 192.0.2.1/24
//   default via 203.0.113.1                   lo: 198.51.100.1-3 (ICMP targets),
//                                                 198.51.100.53 (DNS target)
//
// A black hole drops everything from RED's dsl address in inet, so dsl dies
// upstream while its link stays up (the case only probing can see) and cable,
// with its own source address, still works.

import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Subprocess } from "bun";
import type { StatusSnapshot } from "../../src/daemon/status.ts";
import type { HistoryEntry } from "../../src/switching/state.ts";
import { run, type RunResult } from "../helpers/run-bin.ts";
import { Standin } from "../ipfire/standin.ts";
import { Lab } from "../net/netns.ts";
import { waitForListener } from "../net/probe/topology.ts";
import { holdsProblems, MWAN_BIN, PRIMARY, type ProfileSpec, type RedFiles, STATIC } from "../switch/rig.ts";

export { MWAN_BIN, PRIMARY };
export type { HistoryEntry, StatusSnapshot };

// The backup: the switch tests' STATIC profile (eth1), named for what it is here.
export const CABLE: ProfileSpec = { ...STATIC, name: "cable" };
export const ICMP_TARGETS = ["198.51.100.1", "198.51.100.2", "198.51.100.3"];
export const DNS_TARGET = "198.51.100.53";
// A PPPoE backup on a NIC with no veth: it is never switched to, it only
// brings a password into the configuration the daemon logs about.
export const PPPOE_BACKUP = { name: "dsl2", device: "eth2", mac: "52:54:00:00:00:bb" };

export interface DaemonRigOptions {
  // Seconds each stand-in bring-up and tear-down takes.
  delay?: number;
  // `mwan config set KEY VALUE` after the rig's own settings.
  settings?: Record<string, string>;
  // A resolver in inet as PROBE_DNS (default: no DNS probe).
  dns?: boolean;
  // Adds PPPOE_BACKUP with this password.
  pppoePassword?: string;
}

// anonKb: the process's own memory; the rest of VmRSS is pages of the
// executable (112 MB, mapped) as they are touched, shared and reclaimable.
type ProcStat = { utime: number; stime: number; rssKb: number; anonKb: number };

export class DaemonRig {
  // Every daemon PID seen, so cleanup kills a daemon a test left behind.
  private readonly daemons = new Set<number>();
  private readonly foregrounds: Subprocess[] = [];
  private echo: Subprocess | undefined;

  private constructor(
    readonly lab: Lab,
    readonly fw: string,
    readonly inet: string,
    readonly s: Standin,
  ) {}

  get root(): string {
    return this.s.root;
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  // RED up on dsl (DHCP, red0), cable (STATIC, eth1) as the backup, probing
  // the lab's targets, ENABLED=on; no daemon yet.
  static async create(opts: DaemonRigOptions = {}): Promise<DaemonRig> {
    const lab = new Lab();
    let s: Standin | undefined;
    try {
      const fw = await lab.ns("fw");
      const inet = await lab.ns("inet");
      await lab.veth(
        { ns: fw, name: PRIMARY.ifname, address: `${PRIMARY.lease.ip}/24` },
        { ns: inet, name: `i${PRIMARY.ifname}`, address: `${PRIMARY.lease.router}/24` },
      );
      await lab.veth(
        { ns: fw, name: CABLE.ifname, address: `${CABLE.lease.ip}/24` },
        { ns: inet, name: `i${CABLE.ifname}`, address: `${CABLE.lease.router}/24` },
      );
      await lab.ip(fw, "route", "add", "default", "via", PRIMARY.lease.router);
      for (const a of [...ICMP_TARGETS, DNS_TARGET])
        await lab.ip(inet, "addr", "add", `${a}/32`, "dev", "lo");
      if (opts.dns) {
        lab.spawn(inet, [
          "dnsmasq",
          "--keep-in-foreground",
          "--conf-file=/dev/null",
          "--pid-file=",
          "--user=root",
          "--no-resolv",
          "--no-hosts",
          "--bind-interfaces",
          `--listen-address=${DNS_TARGET}`,
          "--address=/#/192.0.2.99",
        ]);
        await waitForListener(lab, inet, "udp", 53);
      }

      s = await Standin.install({ delay: 0.1 });
      s.device(CABLE.ifname, { mac: CABLE.mac, lease: CABLE.lease });
      const up = await s.runScript(s.network, "start", "red");
      if (!s.redState().active) throw new Error(`RED did not come up: ${up.stderr}`);
      const rig = new DaemonRig(lab, fw, inet, s);
      await rig.ok("profile", "import-current", PRIMARY.name);
      await rig.ok("profile", "create", CABLE.name, ...(CABLE.create ?? []));
      if (opts.pppoePassword !== undefined) {
        s.device(PPPOE_BACKUP.device, { mac: PPPOE_BACKUP.mac });
        await rig.ok(
          ...["profile", "create", PPPOE_BACKUP.name, "--type", "pppoe", "--device", PPPOE_BACKUP.device],
          ...["--username", "u@isp", "--password", opts.pppoePassword, "--priority", "20"],
        );
      }
      const settings = {
        PROBE_TARGETS: ICMP_TARGETS.join(","),
        PROBE_DNS: opts.dns ? DNS_TARGET : "none",
        // The stand-in's dhcpcd runs IPFire's hooks whatever -c names, so a
        // side lease on red0 would rewrite red/ here (never on IPFire); the
        // side watch's own test turns it on with a STATIC standby only.
        SIDE_WATCH: "off",
        ...opts.settings,
      };
      for (const [k, v] of Object.entries(settings)) await rig.ok("config", "set", k, v);
      await rig.ok("enable", "--no-start");
      if (opts.delay !== undefined) s.configure({ delay: opts.delay });
      return rig;
    } catch (err) {
      await s?.cleanup();
      await lab.cleanup();
      throw err;
    }
  }

  // ------------------------------------------------------------- running mwan

  // mwan on this root, inside the firewall's namespace (where RED's NICs are).
  mwan(...args: string[]): Promise<RunResult> {
    return run(args, { root: this.root, exe: MWAN_BIN, prefix: this.lab.wrap(this.fw), timeoutMs: 30_000 });
  }

  async ok(...args: string[]): Promise<RunResult> {
    const r = await this.mwan(...args);
    if (r.code !== 0) throw new Error(`mwan ${args.join(" ")} exited ${r.code}:\n${r.stdout}${r.stderr}`);
    return r;
  }

  // `mwan daemon start`; resolves with the daemon's PID once its probes have
  // proven dsl (or `proven` false: once it runs).
  async start(proven = true): Promise<number> {
    const mark = this.logMark();
    await this.ok("daemon", "start");
    const pid = this.daemonPid();
    if (pid === undefined) throw new Error("daemon start returned but no daemon runs");
    if (proven) await this.waitLog(/ is up: /, 10_000, mark);
    return pid;
  }

  // `mwan daemon run` as a child of the test (ip netns exec execs, so the
  // child is the daemon itself and its exit code is the daemon's).
  foreground(): Subprocess<"ignore", "pipe", "pipe"> {
    const p = Bun.spawn([...this.lab.wrap(this.fw), MWAN_BIN, "--root", this.root, "daemon", "run"], {
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", NO_COLOR: "1" },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    this.foregrounds.push(p);
    this.daemons.add(p.pid);
    return p;
  }

  // The live PID in the pid file (`PID STARTTIME`).
  daemonPid(): number | undefined {
    const text = this.read("var/run/mwan.pid");
    const pid = Number(text?.split(" ")[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
    this.daemons.add(pid);
    return pid;
  }

  // ------------------------------------------------------------ what it says

  read(rel: string): string | undefined {
    try {
      return readFileSync(this.path(rel), "utf8");
    } catch {
      return undefined;
    }
  }

  log(): string {
    return this.read("var/log/mwan.log") ?? "";
  }

  // Where the log ends now: waitLog(…, mark) looks only at what comes later.
  logMark(): number {
    return Buffer.byteLength(this.log());
  }

  // The first line after `mark` matching `re`.
  async waitLog(re: RegExp, timeoutMs: number, mark = 0): Promise<string> {
    let line: string | undefined;
    await this.waitFor(
      () => {
        line = Buffer.from(this.log())
          .subarray(mark)
          .toString()
          .split("\n")
          .find((l) => re.test(l));
        return line !== undefined;
      },
      timeoutMs,
      `a log line matching ${re}`,
    );
    return line as string;
  }

  // Polls `cond`; on timeout the error carries the end of the daemon's log.
  async waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const end = performance.now() + timeoutMs;
    while (!cond()) {
      if (performance.now() > end)
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}\n--- mwan.log (end)\n${this.logTail()}`,
        );
      await Bun.sleep(25);
    }
  }

  // Until the history has a successful switch to `to` after its first
  // `after` entries.
  async switchedTo(to: string, after: number, timeoutMs: number): Promise<void> {
    const done = () =>
      this.history()
        .slice(after)
        .some((h) => h.to === to && h.ok);
    await this.waitFor(done, timeoutMs, `a switch to ${to}`);
  }

  logTail(lines = 25): string {
    return this.log().trimEnd().split("\n").slice(-lines).join("\n");
  }

  // /var/run/mwan/status.json as the daemon last wrote it.
  snapshot(): StatusSnapshot | undefined {
    const text = this.read("var/run/mwan/status.json");
    return text === undefined ? undefined : (JSON.parse(text) as StatusSnapshot);
  }

  history(): HistoryEntry[] {
    return (this.read("var/ipfire/mwan/state/history") ?? "")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as HistoryEntry);
  }

  // IPFire's RED files as the switch tests' checks want them.
  redFiles(): RedFiles {
    const rel = {
      ethernet: "var/ipfire/ethernet/settings",
      ppp: "var/ipfire/ppp/settings",
      secrets: "var/ipfire/ppp/secrets",
      settings1: "var/ipfire/ppp/settings-1",
    };
    return {
      ethernet: this.read(rel.ethernet) ?? "",
      ppp: this.read(rel.ppp) ?? "",
      secrets: this.read(rel.secrets) ?? "",
      settings1: this.read(rel.settings1) ?? "",
      pppLinked: statSync(this.path(rel.ppp)).ino === statSync(this.path(rel.settings1)).ino,
      owners: {},
    };
  }

  // Which of dsl and cable IPFire's files hold, whole; undefined for a mix.
  heldProfile(): string | undefined {
    const f = this.redFiles();
    if (holdsProblems(f, PRIMARY, PRIMARY.ifname).length === 0) return PRIMARY.name;
    if (holdsProblems(f, CABLE, CABLE.ifname).length === 0) return CABLE.name;
    return undefined;
  }

  // ------------------------------------------------------------------ faults

  // Everything from dsl's address dropped upstream: the link stays up.
  // "icmp": only pings are dropped (an ISP filtering ICMP), DNS still works.
  async blackHole(on: boolean, only?: "icmp"): Promise<void> {
    const match = `ip saddr ${PRIMARY.lease.ip}${only ? ` ip protocol ${only}` : ""}`;
    const ruleset = on
      ? `table inet mwt_bh {\n chain in {\n  type filter hook input priority 0;\n  ${match} drop\n }\n}\n`
      : "delete table inet mwt_bh\n";
    const r = await this.lab.exec(this.inet, ["nft", "-f", "-"], ruleset);
    if (r.code !== 0) throw new Error(`nft failed: ${r.stderr.trim()}`);
  }

  // Every target answers, but DELAY_MS ± JITTER_MS late (slow-echo.pl
  // instead of the kernel's replies); null restores the kernel's.
  async slowTargets(slow: { delayMs: number; jitterMs: number } | null): Promise<void> {
    if (slow) {
      this.echo = this.lab.spawn(this.inet, [
        "perl",
        join(import.meta.dir, "slow-echo.pl"),
        `${slow.delayMs}`,
        `${slow.jitterMs}`,
      ]);
      await Bun.sleep(200); // perl compiles and opens its socket
    } else {
      this.echo?.kill();
      await this.echo?.exited;
      this.echo = undefined;
    }
    // /proc/sys/net is the opener's namespace's (no sysctl(8): procps may be missing).
    const knob = "/proc/sys/net/ipv4/icmp_echo_ignore_all";
    const r = await this.lab.exec(this.inet, ["sh", "-c", `echo ${slow ? 1 : 0} > ${knob}`]);
    if (r.code !== 0) throw new Error(`${knob}: ${r.stderr.trim()}`);
  }

  // --------------------------------------------------------------- fake tools

  // An executable (shell script) at rel, below the root.
  script(rel: string, body: string): string {
    const p = this.path(rel);
    mkdirSync(dirname(p), { recursive: true });
    rmSync(p, { force: true });
    writeFileSync(p, `#!/bin/sh\n# TEST CODE\n${body}\n`, { mode: 0o755 });
    return p;
  }

  // ------------------------------------------------------------- /proc facts

  // utime and stime (clock ticks) and VmRSS of a process.
  static procStat(pid: number): ProcStat | undefined {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      return { utime: Number(f[11]), stime: Number(f[12]), rssKb: kb("VmRSS"), anonKb: kb("RssAnon") };
    } catch {
      return undefined;
    }
  }

  // The live children of a process.
  static children(pid: number): number[] {
    try {
      return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
        readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").split(" ").filter(Boolean).map(Number),
      );
    } catch {
      return [];
    }
  }

  // ----------------------------------------------------------------- cleanup

  // Daemons first (by PID, only if their command line names this root),
  // then the stand-in's processes and root, then the namespaces.
  async cleanup(): Promise<void> {
    for (const pid of this.daemons) if (namesRoot(pid, this.root)) process.kill(pid, "SIGKILL");
    for (const p of this.foregrounds) await p.exited;
    if (this.echo) await this.slowTargets(null).catch(() => {});
    await this.s.cleanup();
    await this.lab.cleanup();
  }
}

// The hook IPFire's run_subdir runs (contract §2): a symlink to the binary
// named 95-U-mwan / 95-D-mwan, as `mwan install` makes it.
export function hookLink(root: string, dir: "red.up" | "red.down"): string {
  const p = join(root, `etc/rc.d/init.d/networking/${dir}/95-${dir === "red.up" ? "U" : "D"}-mwan`);
  rmSync(p, { force: true });
  symlinkSync(MWAN_BIN, p);
  return p;
}

// Field 22 of /proc/PID/stat: what the pid file and state/lock pair with the PID.
export function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] as string;
}

// Alive and not a zombie.
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function namesRoot(pid: number, root: string): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return alive(pid) && argv.some((a) => a === root || a.startsWith(`${root}/`));
  } catch {
    return false;
  }
}

// Polls until `cond` holds or `ms` pass; returns whether it held.
export async function eventually(cond: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) return false;
    await Bun.sleep(25);
  }
  return true;
}
