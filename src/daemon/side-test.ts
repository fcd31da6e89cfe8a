// `mwan profile test` without a daemon watching the profile: builds the
// profile's side path itself (as the daemon's side watch does), runs a few
// rounds through it, and tears it all down again, leaving the NIC as it found
// it. RED is never touched; the caller holds the switch lock meanwhile. Its
// path is of the test role (adapters/side/records.ts): a daemon that starts
// meanwhile neither removes it nor builds a path of its own on the NIC.

import type { SideMode } from "../core/engine/types.ts";
import { ipfireSystem } from "../adapters/ipfire-system.ts";
import { setLink } from "../adapters/nics.ts";
import type { Paths } from "../adapters/paths.ts";
import { systemProber } from "../adapters/probe/prober.ts";
import { RoundRunner } from "../adapters/probe/round.ts";
import { roundTargets } from "../adapters/probe/targets.ts";
import { probeKey } from "../adapters/probe/types.ts";
import { cleanupSideLinks, openSideLink } from "../adapters/side/index.ts";
import type { SideLink, SideReport, SideVia } from "../adapters/side/types.ts";
import type { DaemonConfig } from "./config.ts";
import { DISCOVERY_TARGET } from "./side-watch.ts";
import { idleNic, nicIsUp } from "./standby.ts";

export interface TargetTally {
  target: string;
  sent: number;
  lost: number;
  lossPct: number;
  rttAvgMs: number | null;
  rttLastMs: number | null;
}

export type SideTest =
  | { built: false; reason: string }
  | { built: true; mode: SideMode; via: SideVia | null; rounds: number; targets: TargetTally[] };

// Beyond dhcp.ts's own bound for an offer (30 s), so the adapter says why.
const READY_BOUND_MS = 40_000;
const ROUND_GAP_MS = 1000;

export async function testSidePath(
  paths: Paths,
  cfg: DaemonConfig,
  name: string,
  rounds: number,
  debug: (line: string) => void,
): Promise<SideTest> {
  const profile = cfg.profiles[name];
  if (!profile) return { built: false, reason: `no profile ${name}` };
  const ifname = idleNic(paths, profile, ipfireSystem(paths).interfaces());
  if (ifname === undefined)
    return {
      built: false,
      reason:
        profile.TYPE === "QMI"
          ? "a QMI modem has no side path"
          : `no NIC of this box matches ${name}'s MAC address`,
    };
  // Up without an address, as the daemon's standby watch keeps it, and down
  // again afterwards when it was down.
  const raised = !nicIsUp(paths, ifname);
  if (raised) {
    const r = setLink(paths, ifname, "up");
    if (!r.ok) return { built: false, reason: `ip link set ${ifname} up: ${r.error}` };
  }
  try {
    const deps = { paths, log: debug, role: "test" as const };
    // What a test that was killed left (the lock: no other test runs).
    await cleanupSideLinks(deps);
    const link = openSideLink(deps, name, profile, ifname);
    if ("unavailable" in link) return { built: false, reason: link.unavailable };
    try {
      return await run(cfg, name, link, rounds);
    } finally {
      await link.stop();
    }
  } finally {
    if (raised) setLink(paths, ifname, "down");
  }
}

async function run(cfg: DaemonConfig, name: string, link: SideLink, rounds: number): Promise<SideTest> {
  const tally = new Map<string, { sent: number; lost: number; rtts: number[] }>();
  const count = (target: string, rtt: number | null) => {
    const t = tally.get(target) ?? { sent: 0, lost: 0, rtts: [] };
    t.sent++;
    if (rtt === null) t.lost++;
    else t.rtts.push(rtt);
    tally.set(target, t);
  };
  const side = cfg.engine.side;
  let via: SideVia | null = null;
  if (link.mode === "discovery") {
    link.start(() => undefined);
    for (let i = 0; i < rounds; i++) {
      const sentAt = Date.now();
      const d = (await link.discover?.(side.discoveryTimeoutMs)) ?? { ok: false, detail: "no discovery" };
      count(DISCOVERY_TARGET, d.ok ? Date.now() - sentAt : null);
    }
  } else {
    const ready = await firstReport(link);
    if (ready.kind === "unavailable") return { built: false, reason: ready.reason };
    via = ready.via;
    const runner = new RoundRunner(systemProber(), { defaultTimeoutMs: side.timeoutMs, graceMs: 500 });
    try {
      const targets = roundTargets(cfg.targets(name), via).map((t) => ({ ...t, timeoutMs: side.timeoutMs }));
      for (let i = 0; i < rounds; i++) {
        const started = Date.now();
        for (const r of await runner.runRound(targets, via)) count(probeKey(r), r.ok ? (r.rttMs ?? 0) : null);
        if (i < rounds - 1) await Bun.sleep(Math.max(0, ROUND_GAP_MS - (Date.now() - started)));
      }
    } finally {
      await runner.close();
    }
  }
  const targets = [...tally].map(([target, t]) => ({
    target,
    sent: t.sent,
    lost: t.lost,
    lossPct: (100 * t.lost) / t.sent,
    rttAvgMs: t.rtts.length === 0 ? null : t.rtts.reduce((a, b) => a + b, 0) / t.rtts.length,
    rttLastMs: t.rtts.at(-1) ?? null,
  }));
  return { built: true, mode: link.mode, via, rounds, targets };
}

// The path's first word: ready, or why not (bounded, the adapter's own
// bounds come first).
function firstReport(link: SideLink): Promise<SideReport> {
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve({ kind: "unavailable", reason: `not ready within ${READY_BOUND_MS / 1000} s` }),
      READY_BOUND_MS,
    );
    link.start((r) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}
