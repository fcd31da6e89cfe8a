// What the daemon runs on, read from mwan's files: the engine's view of the
// profiles, what each is probed with, and which NIC each uses when idle.

import { checkConfig } from "../core/config-check.ts";
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from "../core/engine/config.ts";
import type { Profile } from "../core/engine/types.ts";
import { ConfigError, MwanError } from "../core/errors.ts";
import type { ProfileData } from "../core/schema/profile.ts";
import type { Settings } from "../core/schema/settings.ts";
import type { TargetPlan } from "../adapters/probe/targets.ts";
import type { Paths } from "../adapters/paths.ts";
import { readConfigFiles } from "../adapters/store.ts";

export interface DaemonConfig {
  settings: Settings;
  primary: string;
  profiles: Record<string, ProfileData>;
  engineProfiles: Profile[];
  engine: EngineConfig;
  targets(profile: string): TargetPlan;
}

// Refuses a configuration failover cannot work with, naming every problem:
// the daemon keeps the configuration in force instead (SIGHUP).
export function loadDaemonConfig(paths: Paths): DaemonConfig {
  const report = checkConfig(readConfigFiles(paths));
  const settings = report.settings;
  if (report.errors.length > 0 || !settings?.PRIMARY) {
    const errors =
      report.errors.length > 0
        ? report.errors
        : ["settings: PRIMARY: not set (run mwan profile import-current NAME)"];
    throw new ConfigError(errors);
  }
  const primary = settings.PRIMARY;
  const watch = settings.SIDE_WATCH === "on";
  const engineProfiles = Object.entries(report.profiles).map(([name, p]) => ({
    name,
    priority: p.PRIORITY,
    metered: p.METERED === "on",
    isPrimary: name === primary,
    side: watch ? sideMode(p, name === primary) : "none",
  }));
  return {
    settings,
    primary,
    profiles: report.profiles,
    engineProfiles,
    engine: engineConfig(settings),
    targets: (name) => ({
      icmp: report.profiles[name]?.PROBE_TARGETS ?? settings.PROBE_TARGETS,
      dns: settings.PROBE_DNS,
      http: settings.PROBE_HTTP,
      gateway: settings.PROBE_GATEWAY === "on",
    }),
  };
}

// How a profile is watched while it does not carry RED: DHCP and STATIC have
// a side path of their own; a PPPoE/VDSL line only answers discovery, worth
// it for the primary (a second session would be refused) and not for a
// backup; a QMI modem has no side path at all.
export function sideMode(p: ProfileData, isPrimary: boolean): Profile["side"] {
  if (p.TYPE === "DHCP" || p.TYPE === "STATIC") return "probes";
  if ((p.TYPE === "PPPOE" || p.TYPE === "VDSL") && isPrimary) return "discovery";
  return "none";
}

// Each problem of a refusal on its own, for whoever prints them one per line.
export function problemsOf(err: unknown): string[] {
  return err instanceof MwanError ? err.problems : [err instanceof Error ? err.message : String(err)];
}

// What the daemon would refuse in this configuration (none: it would run on it).
export function refusedProblems(paths: Paths): string[] {
  try {
    loadDaemonConfig(paths);
    return [];
  } catch (err) {
    return problemsOf(err);
  }
}

// The engine's defaults, with the failback timing the admin may tune.
function engineConfig(settings: Settings): EngineConfig {
  const d = DEFAULT_ENGINE_CONFIG;
  return {
    ...d,
    failback: {
      ...d.failback,
      minBackupMs: settings.FAILBACK_DELAY * 1000,
      meteredMinBackupMs: (settings.FAILBACK_DELAY * 1000) / 2,
      probationMs: settings.FAILBACK_PROBATION * 1000,
    },
  };
}
