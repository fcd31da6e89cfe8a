// Makes the tree match the plan, touching only what differs: a second install
// changes no byte, mode, mtime or inode. Every change is atomic (temp name in
// the same directory, then rename), so a crash leaves the old or the new
// version of a file, never half of one.

import {
  type Stats,
  chmodSync,
  chownSync,
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fsReason, readTextIfExists, syncDir, writeFileAtomic } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";
import { MwanError } from "../core/errors.ts";
import { NOT_EXECUTABLE, runnable } from "../adapters/trust.ts";
import type { Entry } from "./plan.ts";

export interface Outcome {
  line: string;
  changed: boolean;
}

export interface Applied {
  outcomes: Outcome[];
  createdDirs: string[]; // absolute, parents first
  createdLineFile: boolean; // include.user did not exist
  addedLines: string[]; // lines that were not there yet
  binaryReplaced: boolean;
  warnings: string[];
}

interface Owner {
  uid: number;
  gid: number;
}

// chown needs root; unprivileged (tests), the tree keeps the installer's ids.
const ROOT: Owner | undefined = process.getuid?.() === 0 ? { uid: 0, gid: 0 } : undefined;

// The path as it is on the firewall, whatever the root.
export function shown(paths: Paths, path: string): string {
  return `/${relative(paths.root, path)}`;
}

export function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.mwan-${process.pid}-${Date.now().toString(36)}.tmp`);
}

export function applyPlan(paths: Paths, entries: Entry[]): Applied {
  const applied: Applied = {
    outcomes: [],
    createdDirs: [],
    createdLineFile: false,
    addedLines: [],
    binaryReplaced: false,
    warnings: [],
  };
  const show = (path: string) => shown(paths, path);
  const done = (line: string) => applied.outcomes.push({ line, changed: true });
  const same = (path: string) => applied.outcomes.push({ line: `unchanged: ${show(path)}`, changed: false });

  // Missing directories, top down, each recorded for uninstall.
  const makeDirs = (path: string, mode: number) => {
    if (lstatIfExists(path)) return;
    makeDirs(dirname(path), 0o755);
    mkdirSync(path);
    chmodSync(path, mode); // mkdir's mode is cut by the umask
    applied.createdDirs.push(path);
    done(`created ${show(path)}`);
  };

  // The mode (and owner) an existing file or directory must have.
  const fixMode = (path: string, st: Stats, mode: number, owner?: Owner) => {
    const fixes: string[] = [];
    if ((st.mode & 0o7777) !== mode) {
      chmodSync(path, mode);
      fixes.push(`mode ${mode.toString(8).padStart(4, "0")}`);
    }
    if (owner && (st.uid !== owner.uid || st.gid !== owner.gid)) {
      chownSync(path, owner.uid, owner.gid);
      fixes.push(`owner ${owner.uid}:${owner.gid}`);
    }
    if (fixes.length > 0) done(`set ${fixes.join(" and ")} on ${show(path)}`);
    return fixes.length > 0;
  };

  const dir = (e: Extract<Entry, { kind: "dir" }>) => {
    const owner = e.owner === "root" ? ROOT : undefined;
    const st = lstatIfExists(e.path);
    if (st && !st.isDirectory()) throw new MwanError(`${show(e.path)} exists and is not a directory`);
    if (st) {
      if (!fixMode(e.path, st, e.mode, owner)) same(e.path);
      return;
    }
    makeDirs(e.path, e.mode);
    if (owner) chownSync(e.path, owner.uid, owner.gid);
  };

  const owned = (e: Extract<Entry, { kind: "owned" }>) => {
    for (const name of readdirSync(e.path).sort()) {
      const path = join(e.path, name);
      const st = lstatSync(path);
      if (st.isDirectory()) continue;
      if (!st.isFile()) {
        applied.warnings.push(`${show(path)} is not a regular file; mwan ignores it (remove it)`);
        continue;
      }
      fixMode(path, st, e.fileMode ?? st.mode & 0o7755, ROOT);
    }
  };

  const scripts = (e: Extract<Entry, { kind: "scripts" }>) => {
    for (const name of readdirSync(e.path).sort()) {
      const r = runnable(join(e.path, name));
      if (!r.ok && r.reason && r.reason !== NOT_EXECUTABLE)
        applied.warnings.push(
          `${show(join(e.path, name))} will not run: ${r.reason} (if you trust it: chown root:root, chmod go-w)`,
        );
    }
  };

  const file = (e: Extract<Entry, { kind: "file" }>) => {
    makeDirs(dirname(e.path), 0o755);
    if (readTextIfExists(e.path) === e.content) {
      if (!fixMode(e.path, statSync(e.path), e.mode)) same(e.path);
      return;
    }
    writeFileAtomic(e.path, e.content, { mode: e.mode, forceMode: true });
    done(`wrote ${show(e.path)}`);
  };

  const copy = (e: Extract<Entry, { kind: "copy" }>) => {
    makeDirs(dirname(e.path), 0o755);
    const st = lstatIfExists(e.path);
    if (st?.isFile() && sameContent(e.source, e.path)) {
      if (!fixMode(e.path, st, e.mode)) same(e.path);
      return;
    }
    // rename, never a write into the old inode: a running daemon keeps
    // executing the old file until it is restarted.
    const tmp = tempName(e.path);
    try {
      copyFileSync(e.source, tmp, constants.COPYFILE_EXCL);
      const fd = openSync(tmp, "r");
      try {
        fchmodSync(fd, e.mode);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, e.path);
      syncDir(dirname(e.path));
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    applied.binaryReplaced = true;
    done(`installed ${show(e.path)}`);
  };

  const symlink = (e: Extract<Entry, { kind: "symlink" }>) => {
    makeDirs(dirname(e.path), 0o755);
    const st = lstatIfExists(e.path);
    if (st?.isSymbolicLink() && readlinkSync(e.path) === e.target) return same(e.path);
    if (st?.isDirectory()) throw new MwanError(`${show(e.path)} exists and is a directory`);
    const tmp = tempName(e.path);
    symlinkSync(e.target, tmp);
    renameSync(tmp, e.path);
    syncDir(dirname(e.path));
    done(`linked ${show(e.path)} -> ${e.target}`);
  };

  const lines = (e: Extract<Entry, { kind: "lines" }>) => {
    makeDirs(dirname(e.path), 0o755);
    const text = readTextIfExists(e.path);
    const present = text?.split("\n") ?? [];
    const missing = e.lines.filter((l) => !present.includes(l));
    if (missing.length === 0) return same(e.path);
    const sep = text === undefined || text === "" || text.endsWith("\n") ? "" : "\n";
    // An existing file keeps its owner and mode (writeFileAtomic).
    writeFileAtomic(e.path, `${text ?? ""}${sep}${missing.map((l) => `${l}\n`).join("")}`, {
      mode: 0o644,
      keepOwner: true,
    });
    if (text === undefined) applied.createdLineFile = true;
    applied.addedLines.push(...missing);
    done(`added ${missing.join(", ")} to ${show(e.path)}`);
  };

  for (const e of entries) {
    try {
      if (e.kind === "dir") dir(e);
      else if (e.kind === "owned") owned(e);
      else if (e.kind === "scripts") scripts(e);
      else if (e.kind === "file") file(e);
      else if (e.kind === "copy") copy(e);
      else if (e.kind === "symlink") symlink(e);
      else lines(e);
    } catch (err) {
      if (err instanceof MwanError) throw err;
      throw new MwanError(`cannot install ${show(e.path)}: ${fsReason(err)}`);
    }
  }
  return applied;
}

// The same file (installing from the installed binary) or the same bytes.
function sameContent(a: string, b: string): boolean {
  const sa = statSync(a);
  const sb = statSync(b);
  if (sa.dev === sb.dev && sa.ino === sb.ino) return true;
  if (sa.size !== sb.size) return false;
  const fa = openSync(a, "r");
  const fb = openSync(b, "r");
  try {
    const ba = Buffer.alloc(1 << 20);
    const bb = Buffer.alloc(1 << 20);
    for (;;) {
      const n = readSync(fa, ba);
      if (n === 0) return true;
      if (readSync(fb, bb, 0, n, null) !== n || !ba.subarray(0, n).equals(bb.subarray(0, n))) return false;
    }
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
}
