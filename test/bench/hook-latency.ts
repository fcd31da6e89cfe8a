// Hook latency: how long IPFire's red.up hook run waits for mwan. run_subdir
// runs `red.up/95-U-mwan up` synchronously inside dhcpcd's or pppd's hook
// processing (contract §0.5), so this is time RED's bring-up is held up. The
// hook is the symlink `mwan install` makes, against a root with a running
// daemon (test/daemon/rig.ts), so every call finds the daemon and signals it.
//
//   bun test/bench/hook-latency.ts [runs=100] [out.json=build/dist/bench-hook.json]
//   env: MWAN_BIN (default build/dist/mwan-x86_64); needs root (namespaces)
//
// Measured with hyperfine (-N, no shell) when it is installed, else with
// Bun.spawn wall time. Target: median < 50 ms.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DaemonRig, hookLink, MWAN_BIN } from "../daemon/rig.ts";
import { netnsSupport } from "../net/netns.ts";

const RUNS = Number(process.argv[2] ?? 100);
const OUT = process.argv[3] ?? "build/dist/bench-hook.json";
const WARMUP = 5;

// Nearest-rank quantile.
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
}

// Wall times in ms of RUNS calls of `hook up`, and what measured them.
async function measure(hook: string, root: string): Promise<{ tool: string; ms: number[] }> {
  const env = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", MWAN_ROOT: root };
  const hyperfine = Bun.which("hyperfine");
  if (hyperfine) {
    const json = join(root, "hyperfine.json");
    const r = Bun.spawnSync(
      [hyperfine, "-N", "--warmup", `${WARMUP}`, "--runs", `${RUNS}`, "--export-json", json, `${hook} up`],
      { env, stdout: "pipe", stderr: "pipe" },
    );
    if (r.exitCode !== 0) throw new Error(`hyperfine failed: ${r.stderr.toString()}`);
    const times = JSON.parse(readFileSync(json, "utf8")).results[0].times as number[];
    return { tool: "hyperfine -N", ms: times.map((s) => s * 1000) };
  }
  const ms: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t = performance.now();
    const p = Bun.spawn([hook, "up"], { env, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    if ((await p.exited) !== 0) throw new Error(`${hook} up exited ${p.exitCode}`);
    if (i >= WARMUP) ms.push(performance.now() - t);
  }
  return { tool: "Bun.spawn", ms };
}

const support = netnsSupport();
if (!support.ok) {
  console.error(`hook-latency: ${support.reason}; run it as root`);
  process.exit(1);
}

const rig = await DaemonRig.create();
try {
  const pid = await rig.start();
  const hook = hookLink(rig.root, "red.up");
  const { tool, ms } = await measure(hook, rig.root);
  if (rig.daemonPid() !== pid) throw new Error("the daemon did not survive the hook calls");

  const result = {
    binary: MWAN_BIN,
    hook: "red.up/95-U-mwan up (symlink to the binary), daemon running",
    tool,
    runs: ms.length,
    medianMs: quantile(ms, 0.5),
    p95Ms: quantile(ms, 0.95),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    targetMedianMs: 50,
  };
  const row = (what: string, v: number) =>
    console.log(`| ${what.padEnd(8)} | ${v.toFixed(1).padStart(8)} ms |`);
  console.log(`mwan hook latency: ${result.hook}; ${result.runs} runs, ${tool}, ${MWAN_BIN}`);
  console.log(`| ${"".padEnd(8)} | ${"wall".padStart(11)} |`);
  console.log(`|----------|-------------|`);
  row("median", result.medianMs);
  row("p95", result.p95Ms);
  row("min", result.minMs);
  row("max", result.maxMs);
  console.log(`target: median < ${result.targetMedianMs} ms: ${result.medianMs < 50 ? "met" : "NOT MET"}`);

  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify({ ...result, samplesMs: ms }, null, 2)}\n`);
  console.log(`written to ${OUT}`);
} finally {
  await rig.cleanup();
}
