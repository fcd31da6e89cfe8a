// Health of the link RED carries: folds probe rounds and link facts into
// `LinkState`, and judges it (down fast, up only when proven).

import { type LinkFacts, linkFault } from "../health/link.ts";
import {
  answered,
  NO_STREAK,
  nextStreak,
  type ProbeResult,
  roundPassed,
  type Streak,
} from "../health/round.ts";
import { EMPTY_STATS, recordSample, type TargetStats } from "../health/stats.ts";
import type { EngineConfig } from "./config.ts";
import type { Health, LinkState } from "./types.ts";

export function freshLink(profile: string, now: number): LinkState {
  return {
    profile,
    since: now,
    facts: null,
    everOk: false,
    faultSince: null,
    streak: NO_STREAK,
    health: "unproven",
    healthSince: now,
    healthReason: "bring-up",
    targets: {},
  };
}

// A link that is known dead from the start (the switch to it failed).
export function deadLink(profile: string, now: number, reason: string): LinkState {
  return { ...freshLink(profile, now), health: "down", healthReason: reason };
}

export function observeFacts(link: LinkState, facts: LinkFacts, now: number): LinkState {
  const fault = linkFault(facts);
  if (fault === null) {
    return { ...link, facts, everOk: true, faultSince: null };
  }
  // A fresh fault forgets the good rounds from before it, so the link has to
  // prove itself again once the fault clears.
  const fresh = link.faultSince === null;
  return {
    ...link,
    facts,
    faultSince: fresh ? now : link.faultSince,
    streak: fresh ? NO_STREAK : link.streak,
  };
}

export function observeRound(
  link: LinkState,
  results: readonly ProbeResult[],
  sentAt: number,
  cfg: EngineConfig,
): LinkState {
  const folded = foldRound(link, results, sentAt, cfg, cfg.probeTimeoutMs);
  return folded === null ? link : { ...link, ...folded };
}

export interface RoundFold {
  passed: boolean;
  targets: Readonly<Record<string, TargetStats>>;
  streak: Streak;
}

// One round into per-target statistics and the streak; null for an empty
// round. Shared by RED's link and the side watches, so both count alike.
export function foldRound(
  prev: { targets: Readonly<Record<string, TargetStats>>; streak: Streak },
  results: readonly ProbeResult[],
  sentAt: number,
  cfg: EngineConfig,
  timeoutMs: number,
): RoundFold | null {
  const passed = roundPassed(results, cfg.quorum, timeoutMs);
  if (passed === null) return null;
  const targets = { ...prev.targets };
  for (const r of results) {
    const rtt = answered(r, timeoutMs) ? r.rttMs : null;
    targets[r.target] = recordSample(targets[r.target] ?? EMPTY_STATS, sentAt, rtt, cfg.stats);
  }
  return { passed, targets, streak: nextStreak(prev.streak, passed) };
}

// Applies the time-dependent rules (grace, debounce) and the round counts.
export function assessLink(link: LinkState, cfg: EngineConfig, now: number): LinkState {
  const [health, reason] = judge(link, cfg, now);
  if (health === link.health) return link;
  return { ...link, health, healthSince: now, healthReason: reason };
}

function judge(link: LinkState, cfg: EngineConfig, now: number): [Health, string] {
  const keep: [Health, string] = [link.health, link.healthReason];
  const fault = link.facts ? linkFault(link.facts) : "no link report";
  if (fault !== null) {
    if (!link.everOk) {
      // Never came up since the switch (or since start): only the grace
      // period decides, so a primary dead at boot still fails.
      return now - link.since >= cfg.bringUpGraceMs
        ? ["down", `${fault}, not up within ${cfg.bringUpGraceMs / 1000} s`]
        : keep;
    }
    const since = link.faultSince ?? now;
    return now - since >= cfg.linkDebounceMs ? ["down", fault] : keep;
  }
  return roundVerdict(link, cfg);
}

// Health from the round counts alone: down after downRounds failed rounds in
// a row, up after upRounds good ones.
export function roundVerdict(
  w: { streak: Streak; health: Health; healthReason: string },
  cfg: EngineConfig,
): [Health, string] {
  if (w.streak.bad >= cfg.downRounds) {
    const who = cfg.quorum <= 1 ? "no target" : `fewer than ${cfg.quorum} targets`;
    return ["down", `${who} answered in ${w.streak.bad} rounds`];
  }
  if (w.health === "up") return [w.health, w.healthReason];
  if (w.streak.good >= cfg.upRounds) {
    return ["up", `${w.streak.good} good rounds`];
  }
  // A link that was down but has a good round again is no longer down, and
  // not yet up.
  return w.health === "down" ? ["unproven", "recovering"] : [w.health, w.healthReason];
}
