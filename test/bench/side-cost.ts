// TEST CODE: what the daemon costs with the side watch running, on the
// virtual site, at the default settings, after a warm-up (the JIT compiles
// for the first minutes): CPU (all its threads) and RSS over a window with
// RED on the primary (the standby watched from the side), then on the backup
// (the primary black-holed beyond its router, so the watch's probes time
// out, as in the outage it is there for), then with SIDE_WATCH=off.
//   bun test/bench/side-cost.ts BIN [SECONDS] [WARM_UP_SECONDS]
import { readFileSync } from "node:fs";
import { BACKUP, siteWithMwan, waitSettled } from "../site/scenario.ts";
import { ISP1 } from "../site/site.ts";

const bin = process.argv[2] ?? "build/dist/mwan-x86_64";
const secs = Number(process.argv[3] ?? 60);
const warmUp = Number(process.argv[4] ?? 180);
const TICK = 100; // USER_HZ

function sample(pid: number): { cpu: number; rss: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpu = (Number(f[11]) + Number(f[12])) / TICK; // utime + stime, seconds
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
  return { cpu, rss };
}

async function window(pid: number): Promise<string> {
  const a = sample(pid);
  const t = performance.now();
  await Bun.sleep(secs * 1000);
  const b = sample(pid);
  const wall = (performance.now() - t) / 1000;
  return `${((100 * (b.cpu - a.cpu)) / wall).toFixed(2)} % of a core, RSS ${b.rss.toFixed(1)} MB`;
}

// FAILBACK_DELAY: no failback during the backup's window.
const site = await siteWithMwan(bin, { settings: { FAILBACK_DELAY: "600" } });
try {
  const pid = site.daemonPid() as number;
  await Bun.sleep(warmUp * 1000);
  console.log(`on the primary, standby watched: ${await window(pid)}`);
  await site.blackhole(ISP1, true);
  await waitSettled(site, BACKUP, 40_000);
  await Bun.sleep(30_000); // the side lease, then steady rounds
  console.log(`on the backup, primary watched:  ${await window(pid)}`);
  await site.mwanOk(["config", "set", "SIDE_WATCH", "off"]);
  await Bun.sleep(5000);
  console.log(`on the backup, SIDE_WATCH=off:   ${await window(site.daemonPid() as number)}`);
} finally {
  await site.down();
}
