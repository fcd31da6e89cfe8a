// TEST CODE: what the side watch costs the daemon, on the virtual site: RED
// on the backup (the primary black-holed beyond its router, so the watch's
// probes time out, as in the outage it is there for), the daemon's CPU and
// RSS over a window with the side watch on, then with SIDE_WATCH=off.
//   bun test/bench/side-cost.ts BIN [SECONDS]
import { readFileSync } from "node:fs";
import { BACKUP, siteWithMwan, waitSettled } from "../site/scenario.ts";
import { ISP1 } from "../site/site.ts";

const bin = process.argv[2] ?? "build/dist/mwan-x86_64";
const secs = Number(process.argv[3] ?? 60);
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

const site = await siteWithMwan(bin, { settings: { FAILBACK_DELAY: "600" } });
try {
  await site.blackhole(ISP1, true);
  await waitSettled(site, BACKUP, 40_000);
  await Bun.sleep(15_000); // the side lease, then steady rounds
  const pid = site.daemonPid() as number;
  console.log(`side watch on:  ${await window(pid)}`);
  await site.mwanOk(["config", "set", "SIDE_WATCH", "off"]);
  await Bun.sleep(5000);
  console.log(`side watch off: ${await window(site.daemonPid() as number)}`);
} finally {
  await site.down();
}
