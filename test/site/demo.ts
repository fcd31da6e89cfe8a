// TEST CODE: `make demo`. Builds the virtual IPFire site, installs mwan into
// its firewall the way an admin does, then narrates a black hole on the
// primary line, the failover, the LAN client still online, the primary
// coming back and the failback, with `mwan status` at each step. The site is
// torn down however the demo ends (Ctrl-C included).
//
//   bun test/site/demo.ts BUILD/mwan-ARCH

import { resolve } from "node:path";
import { FAST_SETTINGS, PRIMARY, BACKUP, waitSettled } from "./scenario.ts";
import { ISP1, Site } from "./site.ts";

const bin = resolve(process.argv[2] ?? "build/dist/mwan-x86_64");
const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);
const t0 = Date.now();
const clock = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s`;

const secs = (t: number | undefined, from: number) =>
  t === undefined ? "?" : `${((t - from) / 1000).toFixed(1)} s`;

function step(text: string): void {
  console.log(`\n${bold(`[${clock()}] ${text}`)}`);
}
function note(text: string): void {
  console.log(`           ${text}`);
}
function indent(text: string): void {
  for (const line of text.trimEnd().split("\n")) console.log(dim(`           │ ${line}`));
}

let site: Site | undefined;
let tearingDown = false;
async function teardown(): Promise<void> {
  if (tearingDown || !site) return;
  tearingDown = true;
  step("Tearing the site down");
  await site.down();
  note("namespaces, processes and the firewall's root are gone");
}
for (const sig of ["SIGINT", "SIGTERM"] as const)
  process.on(sig, () => {
    void teardown().then(() => process.exit(130));
  });

async function lan(s: Site): Promise<void> {
  const r = await s.lanOnce();
  const mark = (ok: boolean) => (ok ? "ok" : "FAILED");
  note(`LAN client: ping ${mark(r.icmp)}, DNS ${mark(r.dns)}, web page ${mark(r.http)}`);
}

async function status(s: Site): Promise<void> {
  note("$ mwan status");
  indent(await s.mwanOk(["status"]));
}

async function admin(s: Site, args: string[]): Promise<void> {
  note(`$ mwan ${args.join(" ")}`);
  const out = await s.mwanOk(args);
  const lines = out.trimEnd().split("\n");
  indent(
    lines.length > 4
      ? [...lines.slice(0, 2), `… ${lines.length - 3} more lines`, lines.at(-1)].join("\n")
      : out,
  );
}

try {
  if (process.getuid?.() !== 0) throw new Error("the demo builds network namespaces: run it as root");
  step("Building a virtual IPFire site in network namespaces");
  note("fw: the firewall (RED red0 on ISP1, backup NICs eth1 on ISP2 and eth2 on ISP3, GREEN green0)");
  note("isp1, isp2, isp3: routers with real DHCP servers; inet: probe targets, DNS, a web server");
  note("lan: a client behind GREEN; fw runs the real dhcpcd, driven by the IPFire stand-in");
  site = await Site.up({ bin, say: note });
  const s = site;
  note(`RED is up by DHCP: ${s.redState().iface} ${s.redState().local}`);
  await lan(s);

  step("Installing mwan the way an admin does (inside the firewall)");
  await admin(s, ["install"]);
  await admin(s, ["profile", "import-current", ISP1.name]);
  await admin(s, ["profile", "create", BACKUP, "--type", "dhcp", "--device", "eth1"]);
  for (const [k, v] of Object.entries({
    PROBE_TARGETS: "198.51.100.1,198.51.100.2,198.51.100.3",
    PROBE_DNS: "198.51.100.53",
    ...FAST_SETTINGS,
  }))
    await admin(s, ["config", "set", k, v]);
  note("(FAILBACK_DELAY and FAILBACK_PROBATION shortened from 60 s so the demo is quick)");
  await admin(s, ["enable"]);
  await waitSettled(s, PRIMARY, 30_000);
  await status(s);

  step("Fault: a black hole beyond ISP1's router (the cable and DHCP stay up)");
  const watch = s.lanWatch();
  await watch.sampledSince(Date.now());
  const cut = Date.now();
  await s.blackhole(ISP1, true);
  await s.waitFor(() => s.status()?.active === BACKUP, 30_000, "the failover");
  const down = s.daemonLog(cut).find((l) => l.text.includes(`${PRIMARY} is down`));
  if (down) note(`mwan declared ${PRIMARY} down ${((down.t - cut) / 1000).toFixed(1)} s after the cut`);
  await waitSettled(s, BACKUP, 30_000);
  note(`RED is on the backup, ${((Date.now() - cut) / 1000).toFixed(1)} s after the cut`);
  await s.waitFor(() => watch.recoveredAt(cut) !== undefined, 20_000, "LAN traffic");
  note(
    `the LAN client (sampling 4 times a second) had service again ${secs(watch.recoveredAt(cut), cut)} after the cut`,
  );
  await status(s);
  await lan(s);

  step("ISP1 is repaired; mwan tries it after FAILBACK_DELAY and keeps it after the probation");
  await s.blackhole(ISP1, false);
  const healed = Date.now();
  await waitSettled(s, PRIMARY, 60_000);
  note(`RED is back on ${PRIMARY}, ${((Date.now() - healed) / 1000).toFixed(1)} s after the repair`);
  const back = s.status()?.history.find((h) => h.to === PRIMARY && h.at >= healed);
  if (back) {
    await s.waitFor(() => watch.recoveredAt(back.at) !== undefined, 20_000, "LAN traffic");
    const lost = watch.failures(back.at).length;
    note(`the failback cost the LAN client ${lost} failed sample(s) of 250 ms`);
  }
  await s.waitFor(() => s.status()?.failback.probationUntil === null, 30_000, "the probation");
  await status(s);
  await lan(s);
} catch (err) {
  console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await teardown();
  console.log(`\n${bold(`done in ${clock().trim()}`)}`);
}
