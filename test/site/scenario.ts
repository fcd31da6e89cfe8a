// TEST CODE: what the site's tests, demo and benchmark share: a site with
// mwan installed the admin's way, getting it back to a healthy primary
// between scenarios, and the checks of what IPFire's files and the LAN show.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { ISP1, ISP2, ISPS, type Isp, Site, type Status } from "./site.ts";

// Faster failback than the shipped defaults (60 s + 60 s), so a scenario
// fits in a test; the detection timing is the engine's own and fixed.
export const FAST_SETTINGS = {
  FAILBACK_DELAY: "10",
  FAILBACK_PROBATION: "10",
  SWITCH_UP_TIMEOUT: "20",
};

export const PRIMARY = ISP1.name;
export const BACKUP = ISP2.name;

// `settings` replaces FAST_SETTINGS (the benchmark runs at the defaults).
export async function siteWithMwan(
  bin: string,
  opts: {
    backup?: "dhcp" | "static";
    third?: "dhcp" | "static";
    settings?: Record<string, string>;
    say?: (line: string) => void;
  } = {},
): Promise<Site> {
  const site = await Site.up({ bin, say: opts.say });
  try {
    await site.installMwan({
      backup: opts.backup,
      third: opts.third,
      settings: opts.settings ?? FAST_SETTINGS,
    });
    await waitSettled(site, PRIMARY, 30_000);
    await site.waitFor(() => site.lanOnline(), 10_000, "the LAN client to be online");
    return site;
  } catch (err) {
    await site.down();
    throw err;
  }
}

// RED carries `profile`, the daemon has no switch in flight and calls the
// link healthy.
export function settled(s: Status | undefined, profile: string): boolean {
  return s !== undefined && s.active === profile && s.inFlight === null && s.health.state === "up";
}

export function waitSettled(site: Site, profile: string, timeoutMs: number): Promise<number> {
  return site.waitFor(() => settled(site.status(), profile), timeoutMs, `RED settled on ${profile}`);
}

// Back to the starting point between scenarios: no faults, RED healthy on
// the primary, and a freshly started daemon (no failback back-off, no
// history), so one scenario's outcome cannot leak into the next.
export async function resetToPrimary(site: Site): Promise<void> {
  await site.heal();
  await site.mwanOk(["daemon", "stop"], 60_000);
  if (site.status()?.active !== PRIMARY && !site.redHolds(PRIMARY)) {
    await site.mwanOk(["failback"], 60_000);
  }
  if (!site.redState().active) await site.network("restart");
  await site.mwanOk(["daemon", "start"]);
  await waitSettled(site, PRIMARY, 30_000);
  await site.waitFor(() => site.lanOnline(), 15_000, "the LAN client to be online");
}

// The switches the daemon has made since `since` (its status history).
export function switchesSince(site: Site, since: number): Status["history"] {
  return (site.status()?.history ?? []).filter((h) => h.at >= since);
}

// The side watch's health of a profile that does not carry RED
// ("up", "down", "unproven"), or its status when it cannot run.
export function sideHealth(site: Site, profile: string): string | undefined {
  const w = site.status()?.side?.[profile];
  if (!w) return undefined;
  return w.status === "running" ? w.health : w.status;
}

// The side watch's own address on a NIC that does not carry RED.
export function sideAddress(site: Site, nic: string): string | undefined {
  const side = site.ruledSources();
  return site.addressInfo(nic).find((a) => a.noprefixroute && side.includes(a.address))?.address;
}

// What RED's state is made of in IPFire's files: red/* and ethernet/settings,
// with their contents (the side watch must never change them).
export function redFiles(site: Site): Record<string, string> {
  const out: Record<string, string> = {};
  const red = "var/ipfire/red";
  for (const f of readdirSync(site.path(red), { withFileTypes: true }))
    if (f.isFile()) out[`${red}/${f.name}`] = readFileSync(site.path(`${red}/${f.name}`), "utf8");
  const eth = "var/ipfire/ethernet/settings";
  out[eth] = readFileSync(site.path(eth), "utf8");
  return out;
}

// First line of the daemon's log at or after `since` that matches.
export function logTime(site: Site, since: number, pattern: RegExp): number | undefined {
  return site.daemonLog(since).find((l) => pattern.test(l.text))?.t;
}

// What is wrong with IPFire's files, or [] when they hold exactly one whole
// profile, the one RED is on: every RED key of that profile and no other
// profile's, red/iface and red/active to match, an address on that NIC only,
// and no switch journal left behind.
export function profileProblems(site: Site, expected: Isp): string[] {
  const problems: string[] = [];
  const held = site.heldProfiles();
  if (held.length !== 1 || held[0] !== expected.name)
    problems.push(`ethernet/settings holds [${held.join(", ")}], want exactly [${expected.name}]`);
  const red = site.redState();
  if (!red.active) problems.push("red/active is missing");
  if (red.iface !== expected.nic) problems.push(`red/iface is ${red.iface}, want ${expected.nic}`);
  const prefix = expected.router.split(".").slice(0, 3).join(".");
  if (!red.local?.startsWith(`${prefix}.`))
    problems.push(`red/local-ipaddress ${red.local} is not on ${expected.name}'s line`);
  // Another NIC may carry the side watch's address (routed by a rule of its
  // own, never by the main table), never one of IPFire's.
  const side = site.ruledSources();
  for (const other of ISPS.filter((i) => i !== expected)) {
    const ipfire = site.addressInfo(other.nic).filter((a) => !(a.noprefixroute && side.includes(a.address)));
    if (ipfire.length > 0) problems.push(`${other.nic} still has ${ipfire.map((a) => a.address).join(", ")}`);
    const routes = site.mainRoutesVia(other.nic);
    if (routes.length > 0) problems.push(`the main table routes out of ${other.nic}: ${routes.join("; ")}`);
  }
  if (!site.addressesOf(expected.nic).includes(red.local ?? "-"))
    problems.push(`${expected.nic} does not carry ${red.local}`);
  if (existsSync(site.path("var/ipfire/mwan/state/journal"))) problems.push("a switch journal is left");
  const stray = readdirSync(site.path("var/ipfire/ethernet")).filter((f) => f !== "settings");
  if (stray.length > 0) problems.push(`stray files in ethernet/: ${stray.join(", ")}`);
  return problems;
}
