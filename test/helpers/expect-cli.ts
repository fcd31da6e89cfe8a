// Assertions every CLI test makes: the exit code, and that a failure is one
// line on stderr (scripts and the WebUI show it as is) naming what is wrong.

import { expect } from "bun:test";
import type { RunResult } from "./run-bin.ts";
import { snapshot } from "./temp-root.ts";

// Written out rather than imported from src/core/errors.ts: the codes are
// mwan's interface to scripts, so a change to them must break these tests.
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 3, aborted: 130 } as const;

// On failure the message shows the whole run, which is what one needs to see.
export function expectExit(r: RunResult, code: number): void {
  if (r.code !== code)
    throw new Error(`expected exit ${code}, got ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`);
}

export function expectOk(r: RunResult): void {
  expectExit(r, EXIT.ok);
}

// Exit `code`, nothing on stdout, and "mwan: …" lines ending stderr, one per
// problem (most errors have one), that together contain every part; they
// are returned joined by newlines. Notes ("MACADDR … taken from eth1") and
// warnings may come before them; a usage error is followed by "Run '… --help'".
export function expectError(r: RunResult, code: number, ...parts: (string | RegExp)[]): string {
  expectExit(r, code);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  if (code === EXIT.usage) expect(lines.pop()).toMatch(/^Run '.*--help' for usage\.$/);
  const first = lines.findIndex((l) => l.startsWith("mwan: "));
  expect(first).toBeGreaterThanOrEqual(0);
  const errors = lines.slice(first);
  for (const line of errors) expect(line).toStartWith("mwan: ");
  const error = errors.join("\n");
  for (const part of parts)
    if (typeof part === "string") expect(error).toContain(part);
    else expect(error).toMatch(part);
  return error;
}

// A profile named that is not there: exit 2, as a command-line mistake, but
// the syntax was right, so only this line, with no "Run '… --help'" after it.
export function expectNoSuchProfile(r: RunResult, name: string): void {
  expectExit(r, EXIT.usage);
  expect(r.stdout).toBe("");
  expect(r.stderr).toBe(`mwan: profiles/${name}: no such profile (see mwan profile list)\n`);
}

// Runs `action` and checks that not a byte, mode or owner below `dir` moved.
export async function expectUntouched<T>(dir: string, action: () => Promise<T>): Promise<T> {
  const before = snapshot(dir);
  const result = await action();
  expect(snapshot(dir)).toEqual(before);
  return result;
}
