// DHCP: a lease mwan holds on the profile's NIC while another profile carries
// RED, from IPFire's own dhcpcd (<root>/sbin/dhcpcd: the same binary and
// dbdir, so the same DUID) with mwan's config (-f, dhcp-conf.ts: IPFire's
// identity plus noconfigure, so dhcpcd adds no address and no route) and
// mwan's script (-c, dhcp-hook.ts), so IPFire's hooks never run and
// /var/ipfire/red/ is never written. mwan applies the lease itself
// (routing.ts). dhcpcd runs in the foreground (-B) as mwan's child, so its
// death is seen at once; stop() sends SIGTERM, which is `dhcpcd -x`: exit
// without a release (IPFire's config has no `release`), and waits until the
// process is gone, since IPFire's dhcpcd_start refuses to start while a
// dhcpcd for the NIC runs (functions.network 330-336). dhcpcd writes its lease
// to its dbdir (/var/ipfire/dhcpc/<if>.lease on IPFire), as IPFire's own does
// for the same NIC: the failback's dhcpcd asks for that address again.

import { symlinkSync, statSync, unlinkSync, readlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { readTextIfExists, removeFile, writeFileAtomic } from "../files.ts";
import type { Paths } from "../paths.ts";
import { startTime } from "../processes.ts";
import { stopProcess } from "./cleanup.ts";
import { sideDhcpcdConf } from "./dhcp-conf.ts";
import { eventFile, type LeaseEvent, SIDE_HOOK_NAME } from "./dhcp-hook.ts";
import type { SidePath } from "./path.ts";
import { ensureSideDir } from "./records.ts";
import type { SideLink, SideReport } from "./types.ts";

const POLL_MS = 500;
// A lease usually comes within a few seconds; past this the path is reported
// unavailable (dhcpcd goes on asking, and a later lease makes it ready).
export const OFFER_BOUND_MS = 30_000;

// Reasons that end a lease (dhcpcd-run-hooks(8)).
const LOST = new Set([
  "EXPIRE",
  "NAK",
  "FAIL",
  "RELEASE",
  "STOP",
  "STOPPED",
  "NOCARRIER",
  "DEPARTED",
  "IPV4LL",
]);
const BOUND = new Set(["BOUND", "RENEW", "REBIND", "REBOOT", "STATIC"]);

export interface DhcpOptions {
  hostname?: string;
  rapidCommit: boolean;
  // The mwan executable the hook symlink points to (the daemon's own).
  executable: string;
  offerBoundMs?: number;
  log?: (line: string) => void;
}

export class DhcpSideLink implements SideLink {
  readonly mode = "probes" as const;
  private child: Subprocess | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private offerTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private lastEvent = "";
  private readyVia = "";
  private eventPath = "";
  private state: "waiting" | "ready" | "unavailable" = "waiting";
  private busy: Promise<void> = Promise.resolve();
  private report: (r: SideReport) => void = () => {};

  constructor(
    readonly profile: string,
    private readonly paths: Paths,
    private readonly path: SidePath,
    private readonly opts: DhcpOptions,
    private readonly release: () => void,
  ) {}

  start(report: (r: SideReport) => void): void {
    if (this.stopped || this.child) return;
    this.report = report;
    try {
      this.spawn();
    } catch (err) {
      this.tell({ kind: "unavailable", reason: `cannot start dhcpcd: ${(err as Error).message}` });
      return;
    }
    this.timer = setInterval(() => {
      this.busy = this.busy.then(() => this.poll()).catch(() => undefined);
    }, POLL_MS);
    const bound = this.opts.offerBoundMs ?? OFFER_BOUND_MS;
    this.offerTimer = setTimeout(() => {
      if (this.state === "waiting")
        this.tell({ kind: "unavailable", reason: `no DHCP lease offered within ${bound / 1000} s` });
    }, bound);
  }

  private spawn(): void {
    const dir = ensureSideDir(this.paths);
    const ifname = this.path.ifname;
    this.eventPath = eventFile(dir, ifname);
    const hook = join(dir, SIDE_HOOK_NAME);
    placeLink(hook, this.opts.executable);
    const conf = join(dir, `dhcpcd-${ifname}.conf`);
    const ipfire = readTextIfExists(
      join(this.paths.root, "var/ipfire/dhcpc/dhcpcd.conf"),
      "dhcpcd.conf",
      64 << 10,
    );
    writeFileAtomic(conf, sideDhcpcdConf(ipfire), { mode: 0o600, forceMode: true, durable: false });
    removeFile(eventFile(dir, ifname));
    const argv = [join(this.paths.root, "sbin/dhcpcd"), "-B", "-f", conf, "-c", hook, "-t", "0"];
    if (this.opts.hostname) argv.push("-h", this.opts.hostname);
    if (this.opts.rapidCommit) argv.push("--option", "rapid_commit");
    argv.push(ifname);
    this.opts.log?.(`side ${this.profile}: ${argv.join(" ")}`);
    const child = Bun.spawn(argv, { stdin: "ignore", stdout: "ignore", stderr: "ignore", cwd: "/" });
    this.child = child;
    this.path.note({ dhcpcd: { pid: child.pid, start: startTime(this.paths.proc, child.pid) ?? "" } });
    void child.exited.then((code) => {
      if (this.stopped) return;
      this.busy = this.busy
        .then(async () => {
          await this.path.clear();
          this.tell({ kind: "unavailable", reason: `dhcpcd on ${ifname} exited (${code ?? "killed"})` });
          this.halt();
        })
        .catch(() => undefined);
    });
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    if (!this.path.nicExists()) {
      await this.path.clear();
      this.tell({ kind: "unavailable", reason: `${this.path.ifname} vanished` });
      return;
    }
    const text = readEvent(this.eventPath);
    if (text === undefined || text === this.lastEvent) return;
    this.lastEvent = text;
    let e: LeaseEvent;
    try {
      e = JSON.parse(text) as LeaseEvent;
    } catch {
      return;
    }
    this.opts.log?.(`side ${this.profile}: dhcpcd ${e.reason} ${e.address ?? ""}`);
    if (BOUND.has(e.reason)) {
      if (!e.address || e.prefix === undefined || !e.gateway) {
        this.tell({ kind: "unavailable", reason: `the lease on ${this.path.ifname} has no router` });
        return;
      }
      const r = await this.path.set({
        ifname: this.path.ifname,
        address: e.address,
        prefix: e.prefix,
        gateway: e.gateway,
        server: e.server,
      });
      if (this.stopped) return;
      this.tell(r.ok ? { kind: "ready", via: r.via } : { kind: "unavailable", reason: r.reason });
    } else if (LOST.has(e.reason)) {
      await this.path.clear();
      const words = e.reason === "NOCARRIER" ? "no carrier" : `lease lost (${e.reason})`;
      this.tell({ kind: "unavailable", reason: `${words} on ${this.path.ifname}` });
    }
  }

  // Reports a change only: the same state twice in a row is one report,
  // except a ready with another address.
  private tell(r: SideReport): void {
    if (this.stopped) return;
    if (r.kind === "unavailable" && this.state === "unavailable") return;
    const via = r.kind === "ready" ? JSON.stringify(r.via) : "";
    if (r.kind === "ready" && this.state === "ready" && via === this.readyVia) return; // a renewal
    this.readyVia = via;
    this.state = r.kind;
    this.report(r);
  }

  private halt(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.offerTimer) clearTimeout(this.offerTimer);
    this.timer = undefined;
    this.offerTimer = undefined;
  }

  abandon(): void {
    this.path.abandon();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.halt();
    await this.busy;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      await stopProcess(child.pid);
      await child.exited;
    }
    await this.path.close();
    try {
      if (this.eventPath) removeFile(this.eventPath);
    } catch {
      // tmpfs refused: the next start removes it before dhcpcd runs
    }
    this.release();
  }
}

// The hook symlink, pointing at the running mwan: replaced when it points
// elsewhere (an upgrade), never followed.
function placeLink(link: string, executable: string): void {
  const target = resolve(executable);
  statSync(target); // it must be there
  let current: string | undefined;
  try {
    current = readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current === target) return;
  try {
    unlinkSync(link);
  } catch {
    // not there
  }
  symlinkSync(target, link);
}

function readEvent(path: string): string | undefined {
  try {
    return readTextIfExists(path, path, 4096);
  } catch {
    return undefined;
  }
}
