// Reads and writes IPFire's KEY=VALUE settings files (mwan's own, and later
// ethernet/settings and ppp/settings) without ever evaluating them.
//
// Two IPFire readers matter (shared/ipfire/contract.md §1.4):
// - Perl General::readhash splits on the first "=" and strips one leading and
//   one trailing single quote; General::writehash quotes values with a space.
// - The shell filter /usr/local/bin/readhash (eval'd by the initscripts)
//   silently drops any line whose value holds a character outside its set.
// Lines mwan does not change keep their exact bytes, so rewriting a file
// changes only the keys mwan set.

import { ConfigError } from "../errors.ts";

export type SettingsLine =
  { kind: "entry"; key: string; value: string; raw: string } | { kind: "other"; raw: string };

export interface SettingsDoc {
  lines: SettingsLine[];
  // Kept so that an untouched file serialises to its original bytes.
  finalNewline: boolean;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// The characters IPFire's shell readhash keeps in a value (space only quoted).
const SHELL_CHARS = /^[A-Za-z0-9=/,.:%_@#+-]*$/;
const SHELL_CHARS_QUOTED = /^[ A-Za-z0-9=/,.:%_@#+-]*$/;

// Keys whose values are secrets: stored 0600, masked on display, never
// logged, and no message names any character of them.
export const SECRET_KEYS: ReadonlySet<string> = new Set(["PASSWORD"]);

// What IPFire's shell readhash keeps, for messages that may not show the value.
export const SHELL_ALLOWED = "letters, digits, space and = / , . : % _ @ # + -";

export function isValidKey(key: string): boolean {
  return KEY.test(key);
}

export interface ParseOptions {
  // A file of IPFire's: read the way IPFire's own readers do (contract §0a.5).
  // The shell readhash skips a line that is not KEY=VALUE, the Perl one makes
  // a junk key of it, and neither fails, so IPFire keeps working with, say,
  // the second line of a multi-line IPTVSERVERS that the web UI wrote raw.
  // Such lines are kept as they are, never refused; of a key set twice the
  // last counts, as for both readers.
  ipfire?: boolean;
  // mwan's own file, read by a command that answers in spite of a hand edit
  // gone wrong: what would be refused is collected here instead, and the
  // line kept as it is (a key set twice keeps both lines).
  problems?: ParseProblem[];
}

// A line of mwan's own file that cannot be read; `key` when it concerns one.
export interface ParseProblem {
  message: string;
  key?: string;
}

export function parseSettings(text: string, source: string, opts: ParseOptions = {}): SettingsDoc {
  const finalNewline = text.endsWith("\n");
  const body = finalNewline ? text.slice(0, -1) : text;
  const lines: SettingsLine[] = [];
  const seen = new Map<string, number>();
  if (text === "") return { lines, finalNewline: false };
  const refuse = (message: string, key?: string) => {
    if (!opts.problems) throw new ConfigError(message);
    opts.problems.push(key === undefined ? { message } : { message, key });
  };
  body.split("\n").forEach((raw, i) => {
    const n = i + 1;
    if (raw.trim() === "" || raw.startsWith("#")) {
      lines.push({ kind: "other", raw });
      return;
    }
    const eq = raw.indexOf("=");
    const key = eq < 0 ? raw : raw.slice(0, eq);
    if (eq < 0 || !KEY.test(key)) {
      if (!opts.ipfire) refuse(`${source}:${n}: not a KEY=VALUE line`);
      return void lines.push({ kind: "other", raw });
    }
    const first = seen.get(key);
    if (first !== undefined && !opts.ipfire) {
      refuse(`${source}:${n}: ${key}: duplicate key (first set on line ${first})`, key);
    }
    if (raw.includes("\0") && !opts.ipfire) refuse(`${source}:${n}: ${key}: value contains a NUL byte`, key);
    if (first === undefined) seen.set(key, n);
    lines.push({
      kind: "entry",
      key,
      value: decodeValue(raw.slice(eq + 1)),
      raw,
    });
  });
  return { lines, finalNewline };
}

// Mirrors Perl readhash: one quote off each end, independently.
function decodeValue(stored: string): string {
  let v = stored;
  if (v.startsWith("'")) v = v.slice(1);
  if (v.endsWith("'")) v = v.slice(0, -1);
  return v;
}

// Like Perl writehash (quote when there is a space), and also when the value
// starts or ends with a quote, which readhash would otherwise strip.
export function encodeValue(value: string): string {
  const quote = value.includes(" ") || value.startsWith("'") || value.endsWith("'");
  return quote ? `'${value}'` : value;
}

// The characters of `value` that IPFire's shell readhash would make it drop
// the whole line for; empty when the shell reads it intact.
export function shellDroppedChars(value: string): string[] {
  const pattern = value.includes(" ") ? SHELL_CHARS_QUOTED : SHELL_CHARS;
  if (pattern.test(value)) return [];
  const bad = [...value].filter((c) => !SHELL_CHARS_QUOTED.test(c) || c === "'");
  return [...new Set(bad)];
}

export function describeChars(chars: string[]): string {
  return chars.map((c) => JSON.stringify(c)).join(" ");
}

// Without a prototype, so a key such as __proto__ or constructor is a key
// like any other (and the schemas refuse it) instead of reaching Object's.
export function toRecord(doc: SettingsDoc): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const line of doc.lines) if (line.kind === "entry") out[line.key] = line.value;
  return out;
}

export interface SetOptions {
  source: string;
  // mwan's own file, where a key set twice is a hand edit's mistake: the
  // key's first line takes the value and its repeats go.
  dropRepeats?: boolean;
  // The file is read by IPFire's shell initscripts: refuse values they drop.
  shellRead?: boolean;
}

// Returns a new document with `changes` applied: a string sets the key (in
// place if present, appended if new), undefined removes it.
export function withValues(
  doc: SettingsDoc,
  changes: Record<string, string | undefined>,
  opts: SetOptions,
): SettingsDoc {
  for (const [key, value] of Object.entries(changes)) {
    if (!KEY.test(key)) throw new ConfigError(`${opts.source}: ${JSON.stringify(key)}: not a valid key name`);
    if (value === undefined) continue;
    if (/[\n\r\0]/.test(value)) {
      throw new ConfigError(`${opts.source}: ${key}: value contains a line break or NUL byte`);
    }
    const dropped = opts.shellRead ? shellDroppedChars(value) : [];
    if (dropped.length > 0) {
      const because = SECRET_KEYS.has(key)
        ? `of characters it does not accept (allowed: ${SHELL_ALLOWED})`
        : `of ${describeChars(dropped)}`;
      throw new ConfigError(
        `${opts.source}: ${key}: IPFire's shell reader would drop this value because ${because}`,
      );
    }
  }
  const set = new Map(Object.entries(changes));
  const placed = new Set<string>();
  const lines: SettingsLine[] = [];
  for (const line of doc.lines) {
    if (line.kind !== "entry" || !set.has(line.key)) {
      lines.push(line);
      continue;
    }
    // Every line of the key gets the value: of a key set twice (only in
    // IPFire's files) a reader takes the last.
    const value = set.get(line.key);
    const repeat = placed.has(line.key);
    placed.add(line.key);
    if (value === undefined || (repeat && opts.dropRepeats)) continue;
    lines.push(value === line.value ? line : entry(line.key, value));
  }
  for (const [key, value] of set) if (value !== undefined && !placed.has(key)) lines.push(entry(key, value));
  // A file without a final newline keeps it that way; a new file gets one.
  return { lines, finalNewline: doc.finalNewline || doc.lines.length === 0 };
}

function entry(key: string, value: string): SettingsLine {
  return { kind: "entry", key, value, raw: `${key}=${encodeValue(value)}` };
}

export function serializeSettings(doc: SettingsDoc): string {
  if (doc.lines.length === 0) return "";
  return doc.lines.map((l) => l.raw).join("\n") + (doc.finalNewline ? "\n" : "");
}

export function emptyDoc(): SettingsDoc {
  return { lines: [], finalNewline: true };
}
