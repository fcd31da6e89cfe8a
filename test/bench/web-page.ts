// The web page's cost: how fast Apache serves it, and what serving it costs
// the daemon. The page is installed by `mwan install` into the daemon rig's
// stand-in (test/daemon/rig.ts), served by Debian's Apache as nobody through
// the stand-in header.pl (test/web/web-rig.ts), and talks to the running
// daemon's control socket, as in test/web/page.test.ts. It measures:
//   - 50 sequential GETs with curl: time to the last byte, median and p95;
//   - the daemon's CPU (utime + stime from /proc) for SECONDS idle, then for
//     SECONDS with the page fetched every 2 s (15 times its own refresh);
//   - the daemon's CPU per page, over 200 pages fetched back to back.
// Then it switches RED to the backup from the page and saves a screenshot.
//
//   bun test/bench/web-page.ts [seconds=60] [screenshot=test/web/web-page.png]
//   env: MWAN_BIN (default build/dist/mwan-x86_64); needs root, apache2, chromium
//
// Targets: served in < 300 ms; no measurable daemon cost.

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { chromium } from "playwright-core";
import { CABLE, DaemonRig } from "../daemon/rig.ts";
import { cleanup } from "../helpers/temp-root.ts";
import { Apache, CHROMIUM_ARGS, ipfireWeb } from "../web/web-rig.ts";

const SECONDS = Number(process.argv[2] ?? 60);
const SHOT = process.argv[3] ?? "test/web/web-page.png";
const CLK_TCK = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

const ticks = (pid: number) => {
  const s = DaemonRig.procStat(pid);
  if (!s) throw new Error("the daemon is gone");
  return s.utime + s.stime;
};
const pct = (p: number[], q: number) => {
  const s = [...p].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
};

async function curl(url: string): Promise<number> {
  const p = Bun.spawn(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", url], {
    stdout: "pipe",
  });
  const [code, secs] = (await new Response(p.stdout).text()).split(" ");
  if (code !== "200") throw new Error(`GET ${url}: ${code}`);
  return Number(secs) * 1000;
}

const rig = await DaemonRig.create();
let apache: Apache | undefined;
try {
  ipfireWeb(rig.root);
  await rig.ok("install");
  const pid = await rig.start();
  apache = await Apache.start(rig.root);
  const url = `${apache.url}/cgi-bin/mwan.cgi`;

  await curl(url); // Perl's and Apache's first load
  const times: number[] = [];
  for (let i = 0; i < 50; i++) times.push(await curl(url));
  console.log(
    `page served: median ${pct(times, 0.5).toFixed(1)} ms, p95 ${pct(times, 0.95).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (50 GETs)`,
  );

  const share = (t: number) => ((t / CLK_TCK / SECONDS) * 100).toFixed(2);
  let t0 = ticks(pid);
  await Bun.sleep(SECONDS * 1000);
  const idle = ticks(pid) - t0;
  t0 = ticks(pid);
  const end = performance.now() + SECONDS * 1000;
  let polled = 0;
  while (performance.now() < end) {
    await curl(url);
    polled++;
    await Bun.sleep(2000);
  }
  const busy = ticks(pid) - t0;
  console.log(
    `daemon CPU over ${SECONDS} s: idle ${share(idle)} % of one core, page every 2 s (${polled} pages) ${share(busy)} %`,
  );
  t0 = ticks(pid);
  const t1 = performance.now();
  for (let i = 0; i < 200; i++) await curl(url);
  const per = (((ticks(pid) - t0) / CLK_TCK) * 1000) / 200;
  const wall = (performance.now() - t1) / 1000;
  console.log(
    `daemon CPU per page: ${per.toFixed(2)} ms (200 pages in ${wall.toFixed(1)} s, idle work included)`,
  );

  // The picture for the README: after a switch to the backup from the page.
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(url);
  page.once("dialog", (d) => void d.accept());
  await page.click(`tr[data-profile='${CABLE.name}'] input[type=submit]`);
  await page.locator("#mwan-active", { hasText: `${CABLE.name} (backup)` }).waitFor({ timeout: 20_000 });
  await Bun.sleep(4000); // a few probe rounds on the backup
  await page.goto(url);
  mkdirSync(dirname(SHOT), { recursive: true });
  await page.screenshot({ path: SHOT, fullPage: true });
  await browser.close();
  console.log(`screenshot: ${SHOT}`);
} finally {
  await apache?.stop();
  await rig.cleanup();
  cleanup();
}
