// The failover benchmark on the virtual IPFire site (test/site): the real
// binary, the real dhcpcd and real packets. Runs each fault scenario several
// times, prints a table and writes it as JSON.
//
//   bun test/bench/site-bench.ts BUILD/mwan-ARCH OUT.json
//
// SITE_BENCH_REPS (default 5) repetitions of each fault; SITE_BENCH_LOSS_MIN
// (default 2.5) minutes at each loss rate, extrapolated to false failovers per
// hour. Failback timing uses the site's FAILBACK_DELAY/PROBATION (10 s each;
// the shipped defaults are 60 s each). Then, on a site of its own at the
// shipped defaults, the side watch: a primary black-holed for
// SITE_BENCH_OUTAGE_MIN (default 10) minutes. SITE_BENCH_ONLY=side runs only
// that. Needs root.

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import {
  BACKUP,
  FAST_SETTINGS,
  PRIMARY,
  logTime,
  resetToPrimary,
  sideAddress,
  siteWithMwan,
  switchesSince,
  waitSettled,
} from "../site/scenario.ts";
import { ISP1, type Site } from "../site/site.ts";
import { UplinkMeter } from "../site/uplink-meter.ts";

const bin = resolve(process.argv[2] ?? "build/dist/mwan-x86_64");
const out = resolve(process.argv[3] ?? "build/dist/bench-site.json");
const REPS = Number(process.env.SITE_BENCH_REPS ?? 5);
const LOSS_MIN = Number(process.env.SITE_BENCH_LOSS_MIN ?? 2.5);
const LOSS_RATES = [10, 20, 30];
const OUTAGE_MIN = Number(process.env.SITE_BENCH_OUTAGE_MIN ?? 10);
const ONLY_SIDE = process.env.SITE_BENCH_ONLY === "side";
// The shipped FAILBACK_DELAY (src/core/schema), what the side run's failback is judged by.
const DEFAULT_FAILBACK_DELAY_MS = 60_000;
const CLK_TCK = 100; // USER_HZ on Linux

const say = (s: string) => console.error(`  ${s}`);

interface Stats {
  n: number;
  median: number;
  min: number;
  max: number;
}
function stats(xs: number[]): Stats | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { n: s.length, median, min: s[0] as number, max: s.at(-1) as number };
}
const sec = (ms: number) => Math.round(ms / 10) / 100;

type Fault = "blackhole" | "carrier";

interface FaultRun {
  downMs?: number; // fault -> the daemon declares the primary down
  lanMs?: number; // fault -> LAN traffic flows again (on the backup)
  switchMs?: number; // the failover switch itself, start to RED up
  ipfireMs?: number; // of which IPFire's network stop + start
  failbackMs?: number; // repair -> RED back on the primary (includes FAILBACK_DELAY)
  failbackOutageMs?: number; // LAN outage during the failback switch
}

async function faultRun(site: Site, fault: Fault): Promise<FaultRun> {
  await resetToPrimary(site);
  const watch = site.lanWatch();
  await watch.sampledSince(Date.now());
  const cut = Date.now();
  const r: FaultRun = {};
  try {
    if (fault === "blackhole") await site.blackhole(ISP1, true);
    else await site.carrier(ISP1, false);
    await waitSettled(site, BACKUP, 60_000);
    await site.waitFor(() => watch.recoveredAt(cut) !== undefined, 20_000, "LAN traffic");
    r.downMs = (logTime(site, cut, new RegExp(`${PRIMARY} is down`)) ?? Number.NaN) - cut;
    r.lanMs = (watch.recoveredAt(cut) as number) - cut;
    const sw = switchesSince(site, cut).find((h) => h.to === BACKUP);
    if (sw?.doneAt) r.switchMs = sw.doneAt - sw.at;
    r.ipfireMs = ipfireStepsMs(site, cut);

    if (fault === "blackhole") await site.blackhole(ISP1, false);
    else await site.carrier(ISP1, true);
    const healed = Date.now();
    await waitSettled(site, PRIMARY, 120_000);
    r.failbackMs = Date.now() - healed;
    const back = switchesSince(site, healed).find((h) => h.to === PRIMARY);
    if (back) {
      await site.waitFor(
        () => watch.recoveredAt(back.at) !== undefined,
        20_000,
        "LAN traffic after failback",
      );
      const lastBad = watch.failures(back.at).at(-1)?.t;
      r.failbackOutageMs = lastBad === undefined ? 0 : (watch.recoveredAt(back.at) as number) - back.at;
    }
  } finally {
    await watch.stop();
  }
  return r;
}

// Seconds the daemon's log gives for IPFire's own steps of the first switch since t.
function ipfireStepsMs(site: Site, since: number): number | undefined {
  let total = 0;
  let seen = 0;
  for (const l of site.daemonLog(since)) {
    const m = /ok (\d+\.\d+) s network (stop|start) red/.exec(l.text);
    if (m) {
      total += Number(m[1]) * 1000;
      if (++seen === 2) return total;
    }
  }
  return undefined;
}

// CPU ticks of a process and its descendants (the long-running pings).
function ticks(pid: number): { self: number; children: number } {
  const own = (p: number) => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, "utf8")
        .replace(/^.*\) /s, "")
        .split(" ");
      return Number(f[11]) + Number(f[12]);
    } catch {
      return 0;
    }
  };
  // Children of every thread: bun may spawn from any of them.
  const kids = (p: number): number[] => {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return [];
    }
    return tasks.flatMap((t) => {
      try {
        const list = readFileSync(`/proc/${p}/task/${t}/children`, "utf8")
          .trim()
          .split(/\s+/)
          .filter(Boolean);
        return list.map(Number).flatMap((c) => [c, ...kids(c)]);
      } catch {
        return [];
      }
    });
  };
  return { self: own(pid), children: kids(pid).reduce((a, c) => a + own(c), 0) };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

// Bytes the firewall itself sends and receives on RED (probes, plus DHCP
// renewals), counted by nftables in the firewall's namespace.
async function redBytes(site: Site): Promise<number> {
  const r = await site.lab.exec(site.ns.fw, ["nft", "-j", "list", "table", "inet", "site_meter"]);
  return [...r.stdout.matchAll(/"bytes":\s*(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
}
async function meterRed(site: Site): Promise<void> {
  const script = `table inet site_meter
delete table inet site_meter
table inet site_meter {
  chain out {
    type filter hook output priority 0;
    oifname "${ISP1.nic}" counter
  }
  chain in {
    type filter hook input priority 0;
    iifname "${ISP1.nic}" counter
  }
}
`;
  const r = await site.lab.exec(site.ns.fw, ["nft", "-f", "-"], script);
  if (r.code !== 0) throw new Error(`nft: ${r.stderr}`);
}

interface LossRun {
  percent: number;
  minutes: number;
  switches: number;
  perHour: number;
  cpuPercent: number; // the daemon, of one core
  probeCpuPercent: number; // its pings
  rssMb: number;
}

async function lossRun(site: Site, percent: number): Promise<LossRun> {
  await resetToPrimary(site);
  const pid = site.daemonPid() as number;
  const start = Date.now();
  const before = ticks(pid);
  await site.loss(ISP1, percent);
  await Bun.sleep(LOSS_MIN * 60_000);
  await site.loss(ISP1, 0);
  const after = ticks(pid);
  const secs = (Date.now() - start) / 1000;
  const switches = switchesSince(site, start).filter((h) => h.from === PRIMARY).length;
  return {
    percent,
    minutes: LOSS_MIN,
    switches,
    perHour: (switches * 60) / LOSS_MIN,
    cpuPercent: ((after.self - before.self) / CLK_TCK / secs) * 100,
    probeCpuPercent: ((after.children - before.children) / CLK_TCK / secs) * 100,
    rssMb: rssMb(pid),
  };
}

async function idleRun(
  site: Site,
): Promise<{ bytesPerHour: number; cpuPercent: number; probeCpuPercent: number; rssMb: number }> {
  await resetToPrimary(site);
  await meterRed(site);
  const pid = site.daemonPid() as number;
  const start = Date.now();
  const before = ticks(pid);
  const b0 = await redBytes(site);
  await Bun.sleep(60_000);
  const bytes = (await redBytes(site)) - b0;
  const after = ticks(pid);
  const secs = (Date.now() - start) / 1000;
  return {
    bytesPerHour: (bytes / secs) * 3600,
    cpuPercent: ((after.self - before.self) / CLK_TCK / secs) * 100,
    probeCpuPercent: ((after.children - before.children) / CLK_TCK / secs) * 100,
    rssMb: rssMb(pid),
  };
}

interface SideRun {
  outageMinutes: number;
  switchesDuringOutage: number;
  lanSamples: number; // after the failover settled, until the repair
  lanPingsLost: number;
  failbackMs: number; // repair -> RED back on the primary (switch done)
  sideBytesPerDay: number; // in and out of the primary's NIC while the backup carried RED
  cpuPercent: number; // the daemon, of one core, during the outage
  childCpuPercent: number; // its children (pings)
  rssMb: number; // at the end of the outage
  sideLease: boolean; // IPFire's dhcpcd got the side lease's address back
}

// The side watch at the shipped defaults (FAILBACK_DELAY 60, PROBATION 60):
// the primary black-holed for OUTAGE_MIN minutes while the LAN client runs.
async function sideRun(): Promise<SideRun> {
  const site = await siteWithMwan(bin, { settings: {}, say });
  try {
    const watch = site.lanWatch(1000);
    await watch.sampledSince(Date.now());
    const cut = Date.now();
    await site.blackhole(ISP1, true);
    await waitSettled(site, BACKUP, 60_000);
    await site.waitFor(() => watch.recoveredAt(cut) !== undefined, 20_000, "LAN traffic");
    const lanBack = watch.recoveredAt(cut) as number;
    const meter = await UplinkMeter.start(site, ISP1.nic);
    const meterFrom = Date.now();
    const pid = site.daemonPid() as number;
    const before = ticks(pid);
    await site.waitFor(
      () => sideAddress(site, ISP1.nic) !== undefined,
      60_000,
      "the side watch's lease on the primary's NIC",
    );
    const side = sideAddress(site, ISP1.nic);
    await Bun.sleep(Math.max(0, cut + OUTAGE_MIN * 60_000 - Date.now()));
    const after = ticks(pid);
    const counts = await meter.read();
    const secs = (Date.now() - meterFrom) / 1000;
    const rss = rssMb(pid);
    const switches = switchesSince(site, cut).length;
    await site.blackhole(ISP1, false);
    const healed = Date.now();
    await waitSettled(site, PRIMARY, DEFAULT_FAILBACK_DELAY_MS + 120_000);
    await meter.stop();
    const back = switchesSince(site, healed).find((h) => h.to === PRIMARY);
    const samples = watch.between(lanBack, healed);
    await watch.stop();
    return {
      outageMinutes: OUTAGE_MIN,
      switchesDuringOutage: switches,
      lanSamples: samples.length,
      lanPingsLost: samples.filter((x) => !x.icmp).length,
      failbackMs: (back?.doneAt ?? Number.NaN) - healed,
      sideBytesPerDay: ((counts.bytesIn + counts.bytesOut) / secs) * 86_400,
      cpuPercent: ((after.self - before.self) / CLK_TCK / secs) * 100,
      childCpuPercent: ((after.children - before.children) / CLK_TCK / secs) * 100,
      rssMb: rss,
      sideLease: side !== undefined && site.redState().local === side,
    };
  } finally {
    reportDaemonComplaints(site);
    await site.down();
  }
}

function row(name: string, s: Stats | null, unit = "s", anchor = ""): string {
  const v = s ? `${sec(s.median)} ${unit} (${sec(s.min)}–${sec(s.max)}, n=${s.n})` : "n/a";
  return `| ${name} | ${v} | ${anchor} |`;
}

interface FastResult {
  blackhole: Record<string, Stats | null>;
  carrier: Record<string, Stats | null>;
  idle: { bytesPerHour: number; cpuPercent: number; probeCpuPercent: number; rssMb: number };
  loss: LossRun[];
  runs: Record<Fault, FaultRun[]>;
}

// The fault runs, the idle meter and the loss rates, on one site at FAST_SETTINGS.
async function fastRuns(): Promise<FastResult> {
  const site = await siteWithMwan(bin, { say });
  try {
    const runs: Record<Fault, FaultRun[]> = { blackhole: [], carrier: [] };
    for (const fault of ["blackhole", "carrier"] as const) {
      for (let i = 0; i < REPS; i++) {
        const r = await faultRun(site, fault);
        say(`${fault} #${i + 1}: ${JSON.stringify(r)}`);
        runs[fault].push(r);
      }
    }
    const idle = await idleRun(site);
    say(`idle: ${JSON.stringify(idle)}`);
    const loss: LossRun[] = [];
    for (const p of LOSS_RATES) {
      const r = await lossRun(site, p);
      say(`loss ${p} %: ${JSON.stringify(r)}`);
      loss.push(r);
    }
    const pick = (f: Fault, k: keyof FaultRun) =>
      stats(runs[f].map((r) => r[k]).filter((x): x is number => typeof x === "number" && Number.isFinite(x)));
    return {
      blackhole: {
        declaredDownMs: pick("blackhole", "downMs"),
        lanBackMs: pick("blackhole", "lanMs"),
        switchMs: pick("blackhole", "switchMs"),
        ipfireStepsMs: pick("blackhole", "ipfireMs"),
        failbackMs: pick("blackhole", "failbackMs"),
        failbackOutageMs: pick("blackhole", "failbackOutageMs"),
      },
      carrier: {
        declaredDownMs: pick("carrier", "downMs"),
        lanBackMs: pick("carrier", "lanMs"),
        failbackMs: pick("carrier", "failbackMs"),
      },
      idle,
      loss,
      runs,
    };
  } finally {
    reportDaemonComplaints(site);
    await site.down();
  }
}

// Anything the daemon found wrong during the runs, for whoever reads the bench.
function reportDaemonComplaints(site: Site): void {
  for (const l of site
    .daemonLog()
    .filter((x) => /^(ERROR|WARN)/.test(x.text) && !/ is down| switching to /.test(x.text)))
    console.error(`  daemon: ${l.text}`);
}

function fastLines(r: FastResult): string[] {
  // mwan's own share of a switch: what it adds to IPFire's stop and start.
  const sw = r.blackhole.switchMs;
  const ip = r.blackhole.ipfireStepsMs;
  const overheadS = sw && ip ? `${sec(sw.median - ip.median)} s` : "n/a";
  return [
    `FAILBACK_DELAY=${FAST_SETTINGS.FAILBACK_DELAY} s, FAILBACK_PROBATION=${FAST_SETTINGS.FAILBACK_PROBATION} s (defaults 60/60)`,
    "",
    "| what | mwan (median, min–max) | defaults elsewhere (anchors §8) |",
    "|---|---|---|",
    row(
      "black hole → declared down",
      r.blackhole.declaredDownMs ?? null,
      "s",
      "pfSense ≈15 s, OPNsense ≈16–17 s, mwan3 60–130 s",
    ),
    row(
      "black hole → LAN traffic flows again",
      r.blackhole.lanBackMs ?? null,
      "s",
      "+ a filter reload / route change",
    ),
    row("carrier loss → declared down", r.carrier.declaredDownMs ?? null, "s", "mwan3 (netifd) < 1 s"),
    row("carrier loss → LAN traffic flows again", r.carrier.lanBackMs ?? null),
    row("failover switch (stop RED, rewrite, start RED)", r.blackhole.switchMs ?? null),
    row("… of which IPFire's network stop + start", r.blackhole.ipfireStepsMs ?? null),
    `| switch overhead (mwan's own share, median) | ${overheadS} | |`,
    row(
      "repair → back on the primary (FAILBACK_DELAY 10 s + switch)",
      r.blackhole.failbackMs ?? null,
      "s",
      "pfSense ≈58 s, OPNsense ≈48 s, mwan3 40–55 s to declare up",
    ),
    row("LAN outage during the failback switch", r.blackhole.failbackOutageMs ?? null),
    ...r.loss.map(
      (l) =>
        `| false failovers per hour at ${l.percent} % loss | ${l.perHour} (${l.switches} in ${l.minutes} min, extrapolated) | |`,
    ),
    `| daemon RSS | ${r.idle.rssMb.toFixed(1)} MB | |`,
    `| daemon CPU, healthy link | ${r.idle.cpuPercent.toFixed(2)} % of a core (+ ${r.idle.probeCpuPercent.toFixed(2)} % for its pings) | |`,
    `| probe traffic on RED, healthy link | ${(r.idle.bytesPerHour / 1e6).toFixed(2)} MB per hour (both directions, incl. DHCP) | pfSense ≈10 MB a day (0.4 MB/h) per gateway |`,
  ];
}

function sideLines(r: SideRun): string[] {
  return [
    `Side watch at the shipped defaults (FAILBACK_DELAY 60 s, FAILBACK_PROBATION 60 s), primary black-holed for ${r.outageMinutes} min:`,
    "",
    "| what | mwan | wanted |",
    "|---|---|---|",
    `| switches during the outage | ${r.switchesDuringOutage} | exactly 1 |`,
    `| LAN pings lost after the failover settled | ${r.lanPingsLost} of ${r.lanSamples} | 0 |`,
    `| repair → RED back on the primary | ${sec(r.failbackMs)} s | ≤ ${DEFAULT_FAILBACK_DELAY_MS / 1000 + 15} s (pfSense ≈58 s) |`,
    `| IPFire's dhcpcd got the side lease's address | ${r.sideLease ? "yes" : "no"} | yes |`,
    `| side watch traffic on the primary's NIC | ${(r.sideBytesPerDay / 1e6).toFixed(1)} MB per day (both directions, incl. DHCP) | |`,
    `| daemon RSS / CPU with the watch running | ${r.rssMb.toFixed(1)} MB / ${r.cpuPercent.toFixed(2)} % of a core (+ ${r.childCpuPercent.toFixed(2)} % for its children) | < 60 MB, < 1 % |`,
  ];
}

const t0 = Date.now();
console.error(
  ONLY_SIDE
    ? `site benchmark: the side watch only, ${OUTAGE_MIN} min outage`
    : `site benchmark: ${REPS} runs per fault, ${LOSS_MIN} min per loss rate, then the side watch (${OUTAGE_MIN} min outage)`,
);
const fast = ONLY_SIDE ? undefined : await fastRuns();
const side = await sideRun();
say(`side watch: ${JSON.stringify(side)}`);
const date = new Date().toISOString();
const machine = {
  arch: process.arch,
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  kernel: readFileSync("/proc/sys/kernel/osrelease", "utf8").trim(),
};
const result = {
  date,
  machine,
  mwan: Bun.spawnSync([bin, "--version"]).stdout.toString().trim(),
  settings: FAST_SETTINGS,
  reps: REPS,
  lossMinutes: LOSS_MIN,
  ...fast,
  side,
  seconds: Math.round((Date.now() - t0) / 1000),
};
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
const lines = [
  `Virtual IPFire site, ${date.slice(0, 10)}, ${machine.cpu} (${machine.cores} cores, ${machine.arch})`,
  "",
  ...(fast ? [...fastLines(fast), ""] : []),
  ...sideLines(side),
];
console.log(lines.join("\n"));
console.error(`wrote ${out}`);
