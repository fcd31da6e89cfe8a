// Switch overhead: how much time `mwan switch` / `mwan failback` add on top of
// IPFire's own `network stop red` + `network start red`, measured with the
// compiled binary against the IPFire stand-in (test/ipfire/) at known delays.
//
//   bun test/bench/switch-overhead.ts [out.json]   (default build/dist/bench-switch.json)
//   env: MWAN_BIN (default build/dist/mwan-x86_64), MWAN_BENCH_N (switches per
//        kind, default 20), MWAN_BENCH_DELAY (stand-in seconds per start and
//        per stop, default 0.15)
//
// For each profile the stand-in's own cost is measured first by running its
// `network stop red` and `network start red` directly, the way mwan waits for
// them (stop: the script has exited and red/active is gone; start: red/active
// and red/local-ipaddress are there). mwan's overhead for a switch A -> B is
// its wall time minus the median stop time of A and start time of B: process
// start, reading profiles, journal and lock, stopping connectd, writing
// IPFire's files, and the granularity of its polling.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { MWAN_BIN, PPPOE, PRIMARY, type ProfileSpec, QMI, Rig, STATIC } from "../switch/rig.ts";

const N = Number(process.env.MWAN_BENCH_N ?? 20);
const DELAY = Number(process.env.MWAN_BENCH_DELAY ?? 0.15);
const DIRECT_RUNS = 5;
const OUT = process.argv[2] ?? "build/dist/bench-switch.json";
const BACKUPS = [STATIC, PPPOE, QMI];

const median = (xs: number[]) => quantile(xs, 0.5);
// Nearest-rank quantile.
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error("stand-in did not settle");
    await Bun.sleep(2);
  }
}

// The stand-in alone: `network stop red` then `network start red` on the
// profile RED is on now, DIRECT_RUNS times.
async function direct(rig: Rig): Promise<{ stop: number[]; start: number[] }> {
  const stop: number[] = [];
  const start: number[] = [];
  for (let i = 0; i < DIRECT_RUNS; i++) {
    await rig.idle();
    let t = performance.now();
    await rig.s.runScript(rig.s.network, "stop", "red");
    await until(() => !rig.s.redState().active);
    stop.push(performance.now() - t);

    t = performance.now();
    const p = rig.s.spawnScript(rig.s.network, "start", "red");
    await until(() => {
      const red = rig.s.redState();
      return red.active && red.local !== undefined;
    });
    start.push(performance.now() - t);
    await p.exited;
  }
  return { stop, start };
}

async function timed(rig: Rig, ...args: string[]): Promise<number> {
  await rig.idle(); // the previous `network start red` may still be finishing
  const r = await rig.mwan(...args);
  if (r.code !== 0) throw new Error(`mwan ${args.join(" ")}: ${r.stderr}`);
  return r.ms;
}

const rig = await Rig.create({ delay: DELAY });
try {
  const t0 = performance.now();
  // mwan's process start alone, as a reference for its fixed cost.
  const startup: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    Bun.spawnSync([MWAN_BIN, "--version"]);
    startup.push(performance.now() - t);
  }

  const stopMs = new Map<ProfileSpec, number>();
  const startMs = new Map<ProfileSpec, number>();
  for (const p of [...BACKUPS, PRIMARY]) {
    await timed(rig, "switch", p.name);
    const d = await direct(rig);
    stopMs.set(p, median(d.stop));
    startMs.set(p, median(d.start));
  }

  const kinds: {
    name: string;
    from: ProfileSpec;
    to: ProfileSpec;
    wall: number[];
  }[] = [];
  for (const b of BACKUPS) {
    kinds.push({ name: `DHCP -> ${b.kind}`, from: PRIMARY, to: b, wall: [] });
    kinds.push({
      name: `${b.kind} -> DHCP (failback)`,
      from: b,
      to: PRIMARY,
      wall: [],
    });
  }
  for (let i = 0; i < N; i++) {
    for (const k of kinds) {
      const args = k.to === PRIMARY ? ["failback"] : ["switch", k.to.name];
      k.wall.push(await timed(rig, ...args));
    }
  }

  const rows = kinds.map((k) => {
    const standin = (stopMs.get(k.from) ?? 0) + (startMs.get(k.to) ?? 0);
    const overhead = k.wall.map((w) => w - standin);
    return {
      kind: k.name,
      n: k.wall.length,
      wallMedianMs: median(k.wall),
      wallP95Ms: quantile(k.wall, 0.95),
      standinMs: standin,
      configuredDelayMs: 2 * DELAY * 1000,
      overheadMedianMs: median(overhead),
      overheadP95Ms: quantile(overhead, 0.95),
    };
  });

  const f = (x: number) => x.toFixed(0).padStart(8);
  console.log(
    `mwan switch overhead: stand-in delay ${DELAY} s per start and per stop, N=${N} per kind, ${MWAN_BIN}`,
  );
  console.log(
    `${"kind".padEnd(26)}${"wall med".padStart(8)}${"p95".padStart(8)}${"stand-in".padStart(10)}${"mwan med".padStart(10)}${"p95".padStart(8)}   (ms)`,
  );
  for (const r of rows)
    console.log(
      `${r.kind.padEnd(26)}${f(r.wallMedianMs)}${f(r.wallP95Ms)}  ${f(r.standinMs)}  ${f(r.overheadMedianMs)}${f(r.overheadP95Ms)}`,
    );
  console.log(
    `mwan --version (process start): median ${median(startup).toFixed(0)} ms, p95 ${quantile(startup, 0.95).toFixed(0)} ms`,
  );
  const seconds = (performance.now() - t0) / 1000;
  console.log(`took ${seconds.toFixed(0)} s`);

  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(
    OUT,
    `${JSON.stringify(
      {
        binary: MWAN_BIN,
        standinDelaySeconds: DELAY,
        perKind: N,
        directRuns: DIRECT_RUNS,
        standinStopMs: Object.fromEntries([...stopMs].map(([p, v]) => [p.kind, v])),
        standinStartMs: Object.fromEntries([...startMs].map(([p, v]) => [p.kind, v])),
        startupMs: { median: median(startup), p95: quantile(startup, 0.95) },
        switches: rows,
        seconds,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${OUT}`);
} finally {
  await rig.cleanup();
}
