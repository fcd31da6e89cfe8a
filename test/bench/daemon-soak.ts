// Daemon soak: what a healthy, idle mwan costs the firewall over time. The
// daemon runs with default probing (3 ICMP targets every 300 ms through
// long-running pings, a DNS probe at most once a second, answered by dnsmasq)
// in the network namespaces of test/daemon/rig.ts; every 10 s the benchmark
// samples from /proc:
//   - the daemon's VmRSS, its anonymous part (RssAnon), and CPU time (utime + stime),
//   - its children's CPU time: the live ones (the pings) plus what reaped
//     ones left in the daemon's cutime + cstime (logger, restarted pings).
// It reports CPU as % of one core over the run, RSS at start/end/max and the
// RSS slope after the first minute and over the second half of the run (least
// squares: a leak shows as a steady rise in both, while allocator noise
// averages out and a warm-up that levels off leaves the second half flat).
//
//   bun test/bench/daemon-soak.ts [minutes=10] [out.json=build/dist/bench-daemon.json]
//   env: MWAN_BIN (default build/dist/mwan-x86_64); needs root (namespaces)
//
// Targets: < 60 MB RSS, < 1 % of one core, no growth.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { DaemonRig, MWAN_BIN } from "../daemon/rig.ts";
import { netnsSupport } from "../net/netns.ts";

const MINUTES = Number(process.argv[2] ?? 10);
const OUT = process.argv[3] ?? "build/dist/bench-daemon.json";
const SAMPLE_MS = 10_000;
const WARMUP_MS = 60_000;
const CLK_TCK = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

interface Sample {
  t: number; // seconds since the daemon proved RED up
  rssKb: number;
  anonKb: number;
  daemonTicks: number;
  childTicks: number; // live children + reaped ones
  children: number;
}

// cutime and cstime: CPU of the children the daemon has waited for.
function reapedTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[13]) + Number(f[14]);
}

function sample(pid: number, t0: number): Sample {
  const me = DaemonRig.procStat(pid);
  if (!me) throw new Error(`the daemon (pid ${pid}) is gone`);
  const kids = DaemonRig.children(pid);
  const live = kids.map((k) => DaemonRig.procStat(k)).reduce((n, s) => n + (s ? s.utime + s.stime : 0), 0);
  return {
    t: (performance.now() - t0) / 1000,
    rssKb: me.rssKb,
    anonKb: me.anonKb,
    daemonTicks: me.utime + me.stime,
    childTicks: live + reapedTicks(pid),
    children: kids.length,
  };
}

// Least-squares slope of y over x.
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const support = netnsSupport();
if (!support.ok) {
  console.error(`daemon-soak: ${support.reason}; run it as root`);
  process.exit(1);
}

const rig = await DaemonRig.create({ dns: true });
try {
  const pid = await rig.start();
  const t0 = performance.now();
  const samples: Sample[] = [sample(pid, t0)];
  const count = Math.max(1, Math.round((MINUTES * 60_000) / SAMPLE_MS));
  while (samples.length <= count) {
    await Bun.sleep(t0 + samples.length * SAMPLE_MS - performance.now());
    samples.push(sample(pid, t0));
    const s = samples.at(-1) as Sample;
    process.stderr.write(
      `\r${s.t.toFixed(0).padStart(5)} s  RSS ${(s.rssKb / 1024).toFixed(1)} MB (anon ${(s.anonKb / 1024).toFixed(1)})  ${s.children} children`,
    );
  }
  process.stderr.write("\n");

  const first = samples[0] as Sample;
  const last = samples.at(-1) as Sample;
  const seconds = last.t - first.t;
  const pct = (ticks: number) => (ticks / CLK_TCK / seconds) * 100;
  const steady = samples.filter((s) => s.t * 1000 >= WARMUP_MS);
  const secondHalf = samples.filter((s) => s.t >= last.t / 2);
  const mb = (kb: number) => kb / 1024;
  const mbPerHour = (of: Sample[], field: "rssKb" | "anonKb") =>
    mb(
      slope(
        of.map((s) => s.t),
        of.map((s) => s[field]),
      ),
    ) * 3600;
  const memory = (field: "rssKb" | "anonKb") => ({
    start: mb(first[field]),
    end: mb(last[field]),
    max: mb(Math.max(...samples.map((s) => s[field]))),
    slopeMbPerHourAfterWarmup: mbPerHour(steady, field),
    slopeMbPerHourSecondHalf: mbPerHour(secondHalf, field),
  });
  const snap = rig.snapshot();
  const result = {
    binary: MWAN_BIN,
    minutes: seconds / 60,
    sampleEverySeconds: SAMPLE_MS / 1000,
    probing: snap?.targets.map((t) => ({ target: t.target, sent: t.sent, lossPct: t.lossPct })) ?? [],
    health: snap?.health.state ?? null,
    switches: rig.history().length,
    rssMb: memory("rssKb"),
    // The daemon's own memory: RSS without the executable's file pages,
    // which grow slowly as rarely run code is first touched.
    anonMb: memory("anonKb"),
    cpuPctOfOneCore: {
      daemon: pct(last.daemonTicks - first.daemonTicks),
      children: pct(last.childTicks - first.childTicks),
      total: pct(last.daemonTicks - first.daemonTicks + last.childTicks - first.childTicks),
    },
    samples,
  };

  const row = (what: string, value: string, target: string) =>
    console.log(`| ${what.padEnd(34)} | ${value.padStart(16)} | ${target.padEnd(10)} |`);
  console.log(`\nmwan daemon soak: ${result.minutes.toFixed(1)} min, sample every 10 s, ${MWAN_BIN}`);
  console.log(`| ${"what".padEnd(34)} | ${"figure".padStart(16)} | ${"target".padEnd(10)} |`);
  console.log(`|${"-".repeat(36)}|${"-".repeat(18)}|${"-".repeat(12)}|`);
  row("RSS start / end", `${result.rssMb.start.toFixed(1)} / ${result.rssMb.end.toFixed(1)} MB`, "");
  row("RSS max", `${result.rssMb.max.toFixed(1)} MB`, "< 60 MB");
  row("RSS slope after 1 min", `${result.rssMb.slopeMbPerHourAfterWarmup.toFixed(2)} MB/h`, "~0");
  row("RSS slope, second half", `${result.rssMb.slopeMbPerHourSecondHalf.toFixed(2)} MB/h`, "~0");
  row(
    "anonymous RSS start / end",
    `${result.anonMb.start.toFixed(1)} / ${result.anonMb.end.toFixed(1)} MB`,
    "",
  );
  row("anonymous RSS slope after 1 min", `${result.anonMb.slopeMbPerHourAfterWarmup.toFixed(2)} MB/h`, "~0");
  row("anonymous RSS slope, second half", `${result.anonMb.slopeMbPerHourSecondHalf.toFixed(2)} MB/h`, "~0");
  row("CPU daemon", `${result.cpuPctOfOneCore.daemon.toFixed(2)} %`, "");
  row("CPU children (pings, logger)", `${result.cpuPctOfOneCore.children.toFixed(2)} %`, "");
  row("CPU total, % of one core", `${result.cpuPctOfOneCore.total.toFixed(2)} %`, "< 1 %");
  for (const p of result.probing)
    row(`probes ${p.target}`, `${p.sent} sent`, `${p.lossPct === null ? "-" : p.lossPct.toFixed(0)}% loss`);
  row("health / switches", `${result.health} / ${result.switches}`, "up / 0");

  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten to ${OUT}`);
} finally {
  await rig.cleanup();
}
