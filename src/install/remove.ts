// Takes away what install added, and nothing else: mwan's files and links
// (known by name from the plan and the record), its lines in include.user, and
// the directories install had to make once they are empty again. mwan's
// configuration stays unless purged, so a reinstall finds its profiles.

import { readdirSync, rmSync, rmdirSync, unlinkSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { fsReason, readTextIfExists, syncDir, writeFileAtomic } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";
import { MwanError } from "../core/errors.ts";
import { lstatIfExists, type Outcome, shown } from "./apply.ts";
import { type Manifest, plannedLines } from "./manifest.ts";
import { type Entry, manifestPath } from "./plan.ts";

export function removeInstall(
  paths: Paths,
  entries: Entry[],
  manifest: Manifest | undefined,
  purge: boolean,
): Outcome[] {
  const outcomes: Outcome[] = [];
  const show = (path: string) => shown(paths, path);
  const done = (path: string, what = show(path)) => outcomes.push({ line: `removed ${what}`, changed: true });
  const attempt = (path: string, step: () => void) => {
    try {
      step();
    } catch (err) {
      if (err instanceof MwanError) throw err;
      throw new MwanError(`cannot remove ${show(path)}: ${fsReason(err)}`);
    }
  };

  const unlink = (path: string) =>
    attempt(path, () => {
      if (!lstatIfExists(path)) return;
      unlinkSync(path);
      syncDir(dirname(path));
      done(path);
    });
  const removeTree = (path: string) =>
    attempt(path, () => {
      if (!lstatIfExists(path)) return;
      rmSync(path, { recursive: true });
      done(path);
    });
  // Only when empty: whatever came to live there since is not mwan's.
  const removeEmptyDir = (path: string) =>
    attempt(path, () => {
      if (!lstatIfExists(path) || listIfExists(path).length > 0) return;
      rmdirSync(path);
      done(path);
    });
  const dropLines = (path: string, ours: string[]) =>
    attempt(path, () => {
      const lines = readTextIfExists(path)?.split("\n") ?? [];
      const gone = ours.filter((l) => lines.includes(l));
      if (gone.length === 0) return;
      const rest = lines.filter((l) => !ours.includes(l)).join("\n");
      if (rest === "" && manifest?.includeUserCreated) return unlink(path);
      writeFileAtomic(path, rest, { keepOwner: true }); // IPFire's file
      done(path, `${gone.join(", ")} from ${show(path)}`);
    });

  // The lines install added; without a record, every planned one.
  dropLines(paths.backupIncludeUser, manifest?.lines ?? plannedLines(entries));
  // Reverse plan order: the hooks go before the binary they point at.
  for (const e of [...entries].reverse())
    if (e.kind === "file" || e.kind === "copy" || e.kind === "symlink") unlink(e.path);
  // Files that an install of another version recorded and this plan lacks.
  const planned = new Set(entries.map((e) => e.path));
  for (const rel of manifest?.files ?? []) {
    const path = join(paths.root, rel);
    if (!planned.has(path)) unlink(path);
  }
  unlink(manifestPath(paths));
  // The daemon has stopped: what it left in /var/run is stale.
  unlink(paths.pidFile);
  removeTree(paths.runMwan);
  if (purge) {
    removeTree(paths.mwanDir);
    const log = basename(paths.logFile);
    const logDir = dirname(paths.logFile);
    for (const name of listIfExists(logDir))
      if (name === log || name.startsWith(`${log}.`)) unlink(join(logDir, name));
  }
  // Deepest first. The config tree goes only with purge (above).
  const inMwanDir = (path: string) => path === paths.mwanDir || path.startsWith(paths.mwanDir + sep);
  (manifest?.dirs ?? [])
    .map((rel) => join(paths.root, rel))
    .filter((dir) => !inMwanDir(dir))
    .sort((a, b) => b.length - a.length)
    .forEach(removeEmptyDir);
  return outcomes;
}

function listIfExists(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
