// File access for settings, profiles and state: bounded reads that never
// follow a link or wait on a FIFO, atomic replacement, and errors that name
// the file.
//
// mwan runs as root beside a web server running as nobody, and IPFire's own
// trees (/var/ipfire/ethernet, ppp, red, dma) are nobody's. So a read opens
// the file itself, never what a symlink in its place points to, refuses what
// is not a regular file (a FIFO would block the daemon, /dev/zero would fill
// its memory), and reads at most a limit.

import { randomBytes } from "node:crypto";
import {
  type Stats,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
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
  ELOOP: "is a symbolic link, which mwan does not follow",
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

// Larger than any file mwan reads: a settings file is a few hundred bytes,
// the journal and history a few dozen kilobytes.
export const READ_LIMIT = 1 << 20;

// O_NOFOLLOW: a symlink as the last component fails with ELOOP. O_NONBLOCK:
// opening a FIFO returns at once (fstat then refuses it) instead of waiting
// for a writer.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

// Reads are synchronous, so one buffer serves them all.
const SCRATCH = Buffer.allocUnsafe(64 << 10);

export interface FileRead {
  bytes: Buffer;
  stat: Stats;
}

// The file's bytes and what fstat says of the file read, or undefined when it
// does not exist.
export function readFileIfExists(path: string, display = path, limit = READ_LIMIT): FileRead | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw new MwanError(`cannot read ${display}: ${fsReason(err)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new MwanError(`cannot read ${display}: is a directory`);
    if (!stat.isFile()) throw new MwanError(`cannot read ${display}: not a regular file`);
    // sysfs and /proc report sizes that are not the content's (4096, 0):
    // read to the end. Through one scratch buffer, copying out what was
    // read: the daemon reads sysfs and red/ five times a second, and a
    // 4 KB buffer per read (sysfs says 4096) was most of its garbage.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = readSync(fd, SCRATCH, 0, Math.min(SCRATCH.length, limit + 1 - total), null);
      if (n === 0) break;
      chunks.push(Buffer.from(SCRATCH.subarray(0, n)));
      total += n;
      if (total > limit) throw new MwanError(`cannot read ${display}: larger than ${limit} bytes`);
    }
    return { bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total), stat };
  } catch (err) {
    if (err instanceof MwanError) throw err;
    throw new MwanError(`cannot read ${display}: ${fsReason(err)}`);
  } finally {
    closeSync(fd);
  }
}

// The file's text, or undefined when it does not exist.
export function readTextIfExists(path: string, display = path, limit = READ_LIMIT): string | undefined {
  return readFileIfExists(path, display, limit)?.bytes.toString("utf8");
}

// How long a file is now (0 when it is missing or cannot be read), and what
// was appended to it since: a log read back by whoever started its writer.
export function fileSize(path: string): number {
  try {
    return lstatSync(path).size;
  } catch {
    return 0;
  }
}

export function readAppended(path: string, from: number, limit = 64 << 10): string {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch {
    return "";
  }
  try {
    const stat = fstatSync(fd);
    const size = stat.isFile() ? stat.size : 0;
    // A file shorter than before was rotated or truncated: all of it is new.
    const start = size < from ? 0 : from;
    const chunk = Buffer.alloc(Math.min(limit, Math.max(0, size - start)));
    const n = chunk.length === 0 ? 0 : readSync(fd, chunk, 0, chunk.length, start);
    return chunk.subarray(0, n).toString("utf8");
  } catch {
    return "";
  } finally {
    closeSync(fd);
  }
}

// Decodes UTF-8 without replacing what is not: U+FFFD for a stray Latin-1
// byte would be written back as EF BF BD. A BOM stays part of the text.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// The text of a file mwan parses and may rewrite (its own settings and
// profiles, IPFire's RED files). A file that is not UTF-8 is refused, naming
// the first line that is not, so that no rewrite ever changes bytes mwan did
// not mean to change.
export function decodeSettingsText(bytes: Buffer, display: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ConfigError(
      `${display}:${firstLineNotUtf8(bytes)}: not valid UTF-8 text; mwan does not rewrite it`,
    );
  }
}

export function readSettingsTextIfExists(path: string, display = path): string | undefined {
  const read = readFileIfExists(path, display);
  return read === undefined ? undefined : decodeSettingsText(read.bytes, display);
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
  // IPFire's files, which its web interface (nobody) must go on editing:
  // an existing file keeps its owner and mode exactly, a new one takes the
  // owner of its directory. Without it the file is the writer's (root's),
  // and never writable by group or others.
  keepOwner?: boolean;
  // false for files on tmpfs (the daemon's status): atomic, but no fsync.
  durable?: boolean;
}

// A name beside `path` that nobody can guess, so that no other user can
// have put something in its place first.
export function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.mwan-${randomBytes(8).toString("hex")}.tmp`);
}

// Replaces `path` atomically: temp file in the same directory, fsync, rename,
// fsync of the directory. The rename replaces whatever is at `path`; a
// symlink there is replaced, never written through.
export function writeFileAtomic(path: string, data: string, opts: WriteOptions = {}): void {
  const display = opts.display ?? path;
  const dir = dirname(path);
  const tmp = tempPath(path);
  let fd: number | undefined;
  try {
    const existing = regularFileStat(path);
    const kept = existing ? existing.mode & 0o7777 : undefined;
    let mode = kept === undefined || opts.forceMode ? (opts.mode ?? 0o644) : kept;
    if (!opts.keepOwner) mode &= ~0o022;
    fd = openSync(tmp, "wx", 0o600);
    writeSync(fd, data);
    // fchmod after creation so the umask cannot widen or narrow the mode.
    fchmodSync(fd, mode);
    if (opts.keepOwner && process.getuid?.() === 0) {
      const owner = existing ?? statSync(dir);
      fchownSync(fd, owner.uid, owner.gid);
    }
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

// Creates a directory and its parents with `mode`.
export function ensureDir(path: string, mode = 0o755, display = path): void {
  try {
    mkdirSync(path, { recursive: true, mode });
  } catch (err) {
    throw new MwanError(`cannot create ${display}: ${fsReason(err)}`);
  }
}

// The file at `path` itself, if it is a regular file: a link or anything
// else in its place counts as no file, whose owner and mode mean nothing.
function regularFileStat(path: string): Stats | undefined {
  try {
    const st = lstatSync(path);
    return st.isFile() ? st : undefined;
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
