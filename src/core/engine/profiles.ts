// Profile order and lookups. The engine keeps profiles in preference order:
// the primary first, then the backups by priority (then name, so that the
// order never depends on how the shell listed them).

import type { Profile, State } from "./types.ts";

export function preferenceOrder(profiles: readonly Profile[]): Profile[] {
  return [...profiles].sort(
    (a, b) =>
      Number(b.isPrimary) - Number(a.isPrimary) || a.priority - b.priority || a.name.localeCompare(b.name),
  );
}

// The profile failback returns to: the one marked primary, else the first.
export function home(state: State): Profile {
  const first = state.profiles[0];
  if (!first) throw new Error("engine has no profiles");
  return first;
}

export function profile(state: State, name: string): Profile | undefined {
  return state.profiles.find((p) => p.name === name);
}

export function isMetered(state: State, name: string): boolean {
  return profile(state, name)?.metered ?? false;
}

// A profile whose NIC is known to have no carrier is not worth a switch.
export function hasNoCarrier(state: State, name: string): boolean {
  return state.standby[name]?.carrier === false;
}

// Why a profile is known dead from the side (its probes fail), or null. Only
// probes say so: a missing PADO proves less, and an unavailable watch nothing.
export function sideDown(state: State, name: string): string | null {
  const w = state.side[name];
  if (w === undefined || w.status !== "running" || w.mode !== "probes" || w.health !== "down") return null;
  return `down from the side (${w.healthReason})`;
}
