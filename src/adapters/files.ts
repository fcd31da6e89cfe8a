// File access for settings and profiles: atomic replacement that keeps owner
// and mode, and errors that name the file.

import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { ConfigError, MwanError } from "../core/errors.ts";

const REASONS: Record<string, string> = {
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on device",
  EISDIR: "is a directory",
  ENOTDIR: "a parent is not a directory",
  ENOENT: "no such file or directory",
};

export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return (code && REASONS[code]) ?? (err instanceof Error ? err.message : String(err));
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === "ENOENT";
}

export function pathExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

// The file's text, or undefined when it does not exist.
export function readTextIfExists(path: string, display = path): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw new MwanError(`cannot read ${display}: ${fsReason(err)}`);
  }
}

// Decodes UTF-8 without replacing what is not: U+FFFD for a stray Latin-1
// byte would be written back as EF BF BD. A BOM stays part of the text.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// The text of a file mwan parses and may rewrite (its own settings and
// profiles, IPFire's RED files), or undefined when it does not exist. A file
// that is not UTF-8 is refused, naming the first line that is not, so that
// no rewrite ever changes bytes mwan did not mean to change.
export function readSettingsTextIfExists(path: string, display = path): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw new MwanError(`cannot read ${display}: ${fsReason(err)}`);
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ConfigError(
      `${display}:${firstLineNotUtf8(bytes)}: not valid UTF-8 text; mwan does not rewrite it`,
    );
  }
}

// A newline byte never occurs inside a UTF-8 sequence, so lines decode alone.
function firstLineNotUtf8(bytes: Buffer): number {
  let line = 1;
  for (let start = 0; ; line++) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl;
    try {
      UTF8.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    if (nl < 0) return line;
    start = nl + 1;
  }
}

export function listDir(path: string, display = path): string[] {
  try {
    return readdirSync(path).sort();
  } catch (err) {
    if (isMissing(err)) return [];
    throw new MwanError(`cannot list ${display}: ${fsReason(err)}`);
  }
}

export interface WriteOptions {
  display?: string;
  // Mode for a new file, and for an existing one when `forceMode` is set.
  mode?: number;
  forceMode?: boolean;
  // false for files on tmpfs (the daemon's status): atomic, but no fsync.
  durable?: boolean;
}

// Replaces `path` atomically: temp file in the same directory, fsync, rename,
// fsync of the directory. An existing file keeps its owner and mode; a new one
// takes the owner of its directory (IPFire's trees are nobody:nobody).
export function writeFileAtomic(path: string, data: string, opts: WriteOptions = {}): void {
  const display = opts.display ?? path;
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.mwan-${process.pid}-${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    const existing = statIfExists(path);
    const owner = existing ?? statSync(dir);
    const mode = existing && !opts.forceMode ? existing.mode & 0o7777 : (opts.mode ?? 0o644);
    fd = openSync(tmp, "wx", 0o600);
    writeSync(fd, data);
    // fchmod after creation so the umask cannot widen or narrow the mode.
    fchmodSync(fd, mode);
    if (process.getuid?.() === 0) fchownSync(fd, owner.uid, owner.gid);
    if (opts.durable !== false) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    if (opts.durable !== false) syncDir(dir);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(tmp);
    throw new MwanError(`cannot write ${display}: ${fsReason(err)}`);
  }
}

export function removeFile(path: string, display = path): void {
  try {
    unlinkSync(path);
    syncDir(dirname(path));
  } catch (err) {
    if (!isMissing(err)) throw new MwanError(`cannot remove ${display}: ${fsReason(err)}`);
  }
}

// Creates a directory and its parents with `mode` (install sets IPFire owners).
export function ensureDir(path: string, mode = 0o755, display = path): void {
  try {
    mkdirSync(path, { recursive: true, mode });
  } catch (err) {
    throw new MwanError(`cannot create ${display}: ${fsReason(err)}`);
  }
}

function statIfExists(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

// Makes a rename or unlink in `dir` durable.
export function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Nothing to clean up: the temp file was never created.
  }
}
