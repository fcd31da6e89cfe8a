// TEST CODE: what the switch tests (test/switch/*.test.ts) and the switch
// benchmark (test/bench/switch-overhead.ts) share: an IPFire stand-in root
// (test/ipfire/) carrying five profiles, one of every kind, the compiled mwan
// run against it, and checks of "IPFire's files hold exactly this profile"
// written from the contract (/work/shared/ipfire/contract.md §0.3, §1.2, §4),
// not from mwan's code.

import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import {
  parseSettings,
  Standin,
  type RunResult,
  type StandinInvocation,
  type StandinOptions,
} from "../ipfire/standin.ts";

export { Standin, type RunResult };

export const MWAN_BIN = resolve(
  process.env.MWAN_BIN ?? join(import.meta.dir, "../../build/dist/mwan-x86_64"),
);

export type Kind = "DHCP" | "STATIC" | "PPPOE" | "QMI";

export interface ProfileSpec {
  name: string;
  kind: Kind;
  mac: string;
  // The NIC's name when the rig is made; a test may rename it (same MAC).
  ifname: string;
  // What the fake DHCP server or PPP peer hands out.
  lease: { ip: string; router: string };
  // `mwan profile create NAME …` options; the primary is imported instead.
  create?: string[];
  // Keys the contract needs for this profile besides RED_TYPE/RED_DEV/RED_MACADDR.
  ethernet: Record<string, Want>;
  ppp?: Record<string, Want>;
  secrets?: string;
}

// An exact value, or any of several (empty stands for "empty or absent").
type Want = string | readonly string[];

// Not STATIC's leftovers: setup writes 0.0.0.0 for every type but STATIC.
const NO_ADDRESS = {
  RED_ADDRESS: ["", "0.0.0.0"],
  RED_NETMASK: ["", "0.0.0.0"],
  DEFAULT_GATEWAY: ["", "0.0.0.0"],
} as const;

// Shell-hostile on purpose: readhash drops it (§0.14), pppd reads it from secrets.
export const PPP_PASSWORD = `p a$s!"x`;

export const PRIMARY: ProfileSpec = {
  name: "dsl",
  kind: "DHCP",
  mac: "52:54:00:12:34:02", // the stand-in's red0
  ifname: "red0",
  lease: { ip: "203.0.113.10", router: "203.0.113.1" },
  ethernet: { RED_DRIVER: "virtio_net", ...NO_ADDRESS },
};

export const DHCP2: ProfileSpec = {
  name: "dhcp2",
  kind: "DHCP",
  mac: "52:54:00:00:00:cc",
  ifname: "eth3",
  lease: { ip: "198.51.100.70", router: "198.51.100.65" },
  create: ["--type", "dhcp", "--device", "eth3", "--dhcp-hostname", "fw2"],
  ethernet: { RED_DRIVER: "", RED_DHCP_HOSTNAME: "fw2", ...NO_ADDRESS },
};

export const STATIC: ProfileSpec = {
  name: "static",
  kind: "STATIC",
  mac: "52:54:00:00:00:aa",
  ifname: "eth1",
  lease: { ip: "192.0.2.10", router: "192.0.2.1" },
  create: [
    ...["--type", "static", "--device", "eth1", "--address", "192.0.2.10"],
    ...["--netmask", "255.255.255.0", "--gateway", "192.0.2.1"],
  ],
  ethernet: {
    RED_DRIVER: "",
    RED_ADDRESS: "192.0.2.10",
    RED_NETMASK: "255.255.255.0",
    RED_NETADDRESS: "192.0.2.0",
    DEFAULT_GATEWAY: "192.0.2.1",
  },
};

export const PPPOE: ProfileSpec = {
  name: "pppoe",
  kind: "PPPOE",
  mac: "52:54:00:00:00:bb",
  ifname: "eth2",
  lease: { ip: "198.51.100.30", router: "198.51.100.1" },
  create: [
    ...["--type", "pppoe", "--device", "eth2", "--username", "u@isp"],
    ...["--password", PPP_PASSWORD],
  ],
  ethernet: { RED_DRIVER: "", ...NO_ADDRESS },
  ppp: { TYPE: "pppoe", USERNAME: "u@isp", PASSWORD: PPP_PASSWORD },
  secrets: `'u@isp' * '${PPP_PASSWORD}'\n`,
};

export const QMI: ProfileSpec = {
  name: "lte",
  kind: "QMI",
  mac: "02:ff:ff:ff:ff:00", // what udev gives the modem of /dev/cdc-wdm0 (contract §4)
  ifname: "wwan0",
  lease: { ip: "10.64.0.2", router: "10.64.0.1" },
  create: ["--type", "qmi", "--device", "wwan0", "--apn", "internet.example"],
  ethernet: { RED_DRIVER: "qmi_wwan", ...NO_ADDRESS },
  ppp: { TYPE: "qmi", APN: "internet.example" },
};

export const PROFILES = [PRIMARY, DHCP2, STATIC, PPPOE, QMI] as const;

export const byName = (name: string): ProfileSpec => {
  const p = PROFILES.find((x) => x.name === name);
  if (!p) throw new Error(`no profile ${name}`);
  return p;
};

// The keys the contract gives RED types (§1.2, §1.5): mwan may change these
// and no others.
export const RED_KEYS_ETHERNET = new Set([
  "RED_TYPE",
  "RED_DEV",
  "RED_MACADDR",
  "RED_DRIVER",
  "RED_ADDRESS",
  "RED_NETMASK",
  "RED_NETADDRESS",
  "DEFAULT_GATEWAY",
  "RED_MTU",
  "RED_DHCP_HOSTNAME",
  "RED_DHCP_FORCE_MTU",
  "RED_DHCP_RAPID_COMMIT",
]);
export const RED_KEYS_PPP = new Set([
  "TYPE",
  "USERNAME",
  "PASSWORD",
  "AUTH",
  "MTU",
  "MRU",
  "SERVICENAME",
  "BACKUPPROFILE",
  "APN",
]);

// A GUI-made PPP profile in settings-1 (ppp/settings links to it), so that
// "restored byte for byte, link included" means something.
const GUI_PPP_PROFILE = [
  "PROFILE=1",
  "PROFILENAME=gui-dsl",
  "TYPE=pppoe",
  "USERNAME=gui@isp",
  "PASSWORD=guipw",
  "AUTH=pap-or-chap",
  "FOO_BAR=baz",
  "MAXRETRIES=5",
  "HOLDOFF=30",
  "BACKUPPROFILE=1",
  "RECONNECTION=persistent",
  "DESCRIPTION='\"quoted thing\"'",
  "VALID=yes",
  "",
].join("\n");

// nobody's uid and primary gid from the host's passwd, when running as root
// (only root can give a file away).
function hostNobody(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("nobody:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined) throw new Error("/etc/passwd: no nobody account");
  return { uid: Number(uid), gid: Number(gid) };
}

// IPFire's RED files as bytes, with what identifies them on disk.
export interface RedFiles {
  ethernet: string;
  ppp: string;
  secrets: string;
  settings1: string;
  // ppp/settings and settings-1 are one inode (pppsetup.cgi's hard link).
  pppLinked: boolean;
  owners: Record<string, string>; // "uid:gid mode" per file
}

const FILE = {
  ethernet: "var/ipfire/ethernet/settings",
  ppp: "var/ipfire/ppp/settings",
  secrets: "var/ipfire/ppp/secrets",
  settings1: "var/ipfire/ppp/settings-1",
} as const;

export interface RigOptions extends StandinOptions {
  // SWITCH_UP_TIMEOUT in seconds (mwan's minimum is 5).
  upTimeout?: number;
}

export class Rig {
  private constructor(
    readonly s: Standin,
    private readonly opts: StandinOptions,
  ) {}

  get root(): string {
    return this.s.root;
  }

  // A stand-in root with RED up on the imported primary and the four other
  // profiles created, each with its NIC present and a lease waiting.
  static async create(opts: RigOptions = {}): Promise<Rig> {
    const { upTimeout, ...standin } = opts;
    const s = await Standin.install({ delay: 0.05, ...standin });
    const rig = new Rig(s, { delay: 0.05, ...standin });
    try {
      rig.seedUnownedKeys();
      rig.seedOwnership();
      for (const p of PROFILES) {
        if (p === PRIMARY) continue;
        s.device(p.ifname, {
          mac: p.mac,
          lease: p.lease,
          qmi: p.kind === "QMI",
          pppPassword: p.kind === "PPPOE" ? PPP_PASSWORD : undefined,
        });
      }
      const up = await s.runScript(s.network, "start", "red");
      if (!s.redState().active) throw new Error(`RED did not come up: ${up.stderr}`);
      await rig.ok("profile", "import-current", PRIMARY.name);
      for (const p of PROFILES) if (p.create) await rig.ok("profile", "create", p.name, ...p.create);
      if (upTimeout !== undefined) await rig.ok("config", "set", "SWITCH_UP_TIMEOUT", `${upTimeout}`);
      return rig;
    } catch (err) {
      await s.cleanup();
      throw err;
    }
  }

  // Keys mwan does not own, written in place (same inode, owner, link).
  private seedUnownedKeys(): void {
    const eth = this.s.path(FILE.ethernet);
    const text = readFileSync(eth, "utf8")
      .replace(/^RED_DESCRIPTION=.*$/m, `RED_DESCRIPTION='"quoted thing"'`)
      .replace(/^RED_DEV=.*$/m, (line) => `${line}\nFOO_BAR=baz`);
    writeFileSync(eth, text);
    writeFileSync(this.s.path(FILE.settings1), GUI_PPP_PROFILE);
    writeFileSync(this.s.path(FILE.secrets), "'gui@isp' * 'guipw'\n");
  }

  // IPFire's files with a mode and, as root, an owner that a file mwan writes
  // would not get by default (0644 and root's), so "owner and mode stay" is a
  // check that can fail. nobody owns them on IPFire (contract §1.4); the
  // stand-in's install chowns them too, this makes sure of it.
  private seedOwnership(): void {
    const nobody = hostNobody();
    for (const rel of [FILE.ethernet, FILE.settings1]) {
      const p = this.s.path(rel); // settings-1 is ppp/settings's inode (the hard link)
      chmodSync(p, 0o640);
      if (nobody) chownSync(p, nobody.uid, nobody.gid);
    }
  }

  // Change stand-in options on the live root; the rest stay as created.
  configure(changes: StandinOptions): void {
    this.s.configure({ ...this.opts, ...changes });
  }

  cleanup(): Promise<void> {
    return this.s.cleanup();
  }

  // --------------------------------------------------------------- mwan

  spawn(...args: string[]) {
    return Bun.spawn({
      cmd: [MWAN_BIN, ...args],
      // MWAN_STANDIN_ROOT lets standin-cleanup.sh find (and kill) mwan too.
      env: {
        ...process.env,
        MWAN_ROOT: this.root,
        MWAN_STANDIN_ROOT: this.root,
        NO_COLOR: "1",
      },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
  }

  async mwan(...args: string[]): Promise<RunResult> {
    const t0 = performance.now();
    const p = this.spawn(...args);
    const [code, stdout, stderr] = await Promise.all([
      p.exited,
      new Response(p.stdout).text(),
      new Response(p.stderr).text(),
    ]);
    return { code, stdout, stderr, ms: performance.now() - t0 };
  }

  // mwan that must succeed: setup steps.
  async ok(...args: string[]): Promise<RunResult> {
    const r = await this.mwan(...args);
    if (r.code !== 0) throw new Error(`mwan ${args.join(" ")} exited ${r.code}:\n${r.stdout}${r.stderr}`);
    return r;
  }

  // ------------------------------------------------------------ reading

  read(rel: string): string {
    const p = this.s.path(rel);
    return existsSync(p) ? readFileSync(p, "utf8") : "";
  }

  files(): RedFiles {
    const owners: Record<string, string> = {};
    for (const [name, rel] of Object.entries(FILE)) {
      const st = statSync(this.s.path(rel));
      owners[name] = `${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)}`;
    }
    return {
      ethernet: this.read(FILE.ethernet),
      ppp: this.read(FILE.ppp),
      secrets: this.read(FILE.secrets),
      settings1: this.read(FILE.settings1),
      pppLinked: statSync(this.s.path(FILE.ppp)).ino === statSync(this.s.path(FILE.settings1)).ino,
      owners,
    };
  }

  activeProfile(): string | undefined {
    return this.s.readTrimmed("var/ipfire/mwan/state/active");
  }

  journalExists(): boolean {
    return existsSync(this.s.path("var/ipfire/mwan/state/journal"));
  }

  // The NIC that has this MAC now (names change, the MAC does not).
  ifnameOf(mac: string): string | undefined {
    const dir = this.s.path("sys/class/net");
    return readdirSync(dir).find((n) => this.s.deviceFile(n, "address") === mac);
  }

  // `network` runs logged after the first `from` of them.
  networkRuns(from = 0): StandinInvocation[] {
    return this.s.invocations("network").slice(from);
  }

  // Every file, dir and link below the root with mode, owner, inode, and for
  // files content and mtime: equal before and after means nothing was touched.
  tree(): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (rel: string) => {
      for (const name of readdirSync(join(this.root, rel)).sort()) {
        const r = rel ? `${rel}/${name}` : name;
        const p = join(this.root, r);
        const st = lstatSync(p);
        const meta = `${st.mode.toString(8)} ${st.uid}:${st.gid} ino=${st.ino}`;
        const changed = `${meta} mtime=${st.mtimeMs}`;
        if (st.isSymbolicLink()) out.set(r, `${meta} -> ${readlinkSync(p)}`);
        else if (st.isDirectory()) {
          // No mtime: a lock file come and gone is not a change; entries are listed.
          out.set(r, `${meta} dir`);
          walk(r);
        } else if (st.isFIFO()) out.set(r, `${meta} fifo`);
        else if (st.isCharacterDevice()) out.set(r, `${meta} char ${st.rdev}`);
        else out.set(r, `${meta} ${readFileSync(p, "utf8")}`);
      }
    };
    walk("");
    return out;
  }

  // A NIC unplugged: its sysfs directory disappears.
  removeDevice(ifname: string): void {
    rmSync(this.s.path(`sys/class/net/${ifname}`), { recursive: true });
  }

  // udev gave the NIC another name at boot: same sysfs files, MAC included.
  renameDevice(from: string, to: string): void {
    renameSync(this.s.path(`sys/class/net/${from}`), this.s.path(`sys/class/net/${to}`));
  }

  // mwan returns once red/active is there; `network start red` may still be
  // finishing (post-start steps, connectd's last poll). Wait for it to end.
  async idle(ms = 5000): Promise<void> {
    const busy = () =>
      this.procs()
        .filter((p) => ["network", "red", "connectd"].includes(p.comm))
        .map((p) => `${p.pid} ${p.argv.join(" ")}`);
    const left = await settle(busy, ms);
    if (left.length > 0) throw new Error(`still running: ${left.join("; ")}`);
  }

  // Processes of this root (how standin-cleanup.sh recognises them), mwan included.
  procs(): Proc[] {
    const out: Proc[] = [];
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
      try {
        const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
        const env = readFileSync(`/proc/${d}/environ`, "utf8").split("\0");
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (fields[0] === "Z") continue;
        const mine =
          argv.slice(0, 4).some((a) => a.startsWith(`${this.root}/`)) ||
          env.includes(`MWAN_STANDIN_ROOT=${this.root}`);
        if (!mine) continue;
        out.push({
          pid: Number(d),
          ppid: Number(fields[1]),
          comm: readFileSync(`/proc/${d}/comm`, "utf8").trim(),
          argv: argv.filter((a) => a !== ""),
        });
      } catch {
        // gone meanwhile
      }
    }
    return out;
  }
}

export interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  argv: string[];
}

// ----------------------------------------------------------------- checks
// Each returns a list of problems; [] means the check holds. Tests compare
// with [] so that a failure prints every problem at once.

// Do IPFire's files hold this profile, whole, on the NIC named `ifname`?
export function holdsProblems(f: RedFiles, p: ProfileSpec, ifname: string): string[] {
  const problems: string[] = [];
  const check = (file: string, have: Record<string, string>, want: Record<string, Want>) => {
    for (const [key, w] of Object.entries(want)) {
      const v = have[key] ?? "";
      const ok = typeof w === "string" ? v === w : w.includes(v);
      if (!ok) problems.push(`${file}: ${key}=${JSON.stringify(v)}, want ${JSON.stringify(w)}`);
    }
  };
  check("ethernet/settings", parseSettings(f.ethernet), {
    RED_TYPE: p.kind === "QMI" ? "PPPOE" : p.kind,
    RED_DEV: ifname,
    RED_MACADDR: p.mac,
    ...p.ethernet,
  });
  if (p.ppp) check("ppp/settings", parseSettings(f.ppp), p.ppp);
  if (p.secrets !== undefined && f.secrets !== p.secrets)
    problems.push(`ppp/secrets: ${JSON.stringify(f.secrets)}`);
  return problems;
}

// The lines of keys mwan does not own, in order: these must survive every switch.
export function unownedLines(text: string, owned: Set<string>): string[] {
  return text.split("\n").filter((l) => !owned.has(l.replace(/=.*$/s, "")) && l !== "");
}

// RED up on the profile: red/active, red/iface, red/local-ipaddress, state/active.
export function upProblems(rig: Rig, p: ProfileSpec, ifname: string): string[] {
  const red = rig.s.redState();
  const iface = p.kind === "PPPOE" ? "ppp0" : ifname;
  const problems: string[] = [];
  if (!red.active) problems.push("red/active missing");
  if (red.iface !== iface) problems.push(`red/iface=${red.iface}, want ${iface}`);
  if (red.local !== p.lease.ip) problems.push(`red/local-ipaddress=${red.local}, want ${p.lease.ip}`);
  const active = rig.activeProfile();
  if (active !== p.name) problems.push(`state/active=${active}, want ${p.name}`);
  return problems;
}

// The processes a settled RED on `p` may have: its dhcpcd (DHCP, QMI) or its
// pppd (PPPoE); every other process of the root is a stray.
export function strayProblems(rig: Rig, p: ProfileSpec, ifname: string) {
  const expected: number[] = [];
  const dhcpcd = rig.s.dhcpcdPid(ifname);
  const pppd = rig.s.pppdPid();
  if (p.kind === "PPPOE" && pppd) expected.push(pppd);
  if (p.kind !== "PPPOE" && p.kind !== "STATIC" && dhcpcd) expected.push(dhcpcd);
  return rig
    .procs()
    .filter((x) => !expected.includes(x.pid))
    .map((x) => `stray pid ${x.pid} (${x.comm}): ${x.argv.join(" ")}`);
}

// Alive and not a zombie (an unreaped child still answers kill 0).
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

// Polls until `problems()` is empty; returns the last problems (empty on success).
export async function settle(problems: () => string[], ms = 3000): Promise<string[]> {
  const end = performance.now() + ms;
  for (;;) {
    const p = problems();
    if (p.length === 0 || performance.now() > end) return p;
    await Bun.sleep(25);
  }
}

// Seeded PRNG (mulberry32), so a failing random run can be replayed.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
