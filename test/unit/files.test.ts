import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSettingsTextIfExists } from "../../src/adapters/files.ts";
import { ConfigError, MwanError } from "../../src/core/errors.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function file(bytes: Uint8Array | string): string {
  const dir = mkdtempSync(join(tmpdir(), "mwan-unit-"));
  dirs.push(dir);
  const path = join(dir, "settings");
  writeFileSync(path, bytes);
  return path;
}

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

describe("readSettingsTextIfExists", () => {
  test("a missing file is undefined", () => {
    expect(readSettingsTextIfExists("/nonexistent/mwan/settings")).toBeUndefined();
  });

  // What is read is what a rewrite writes back for the lines it keeps.
  test.each([
    ["ASCII", "A=1\nB='x y'\n"],
    ["UTF-8 beyond ASCII", "# Büro\nRED_DESCRIPTION='Realtek® 8111 — “RED”'\nX=😀\n"],
    ["a byte order mark", "\uFEFFA=1\n"],
    ["tabs and carriage returns", "A=\tx\r\n"],
  ])("%s comes back byte for byte", (_, text) => {
    const path = file(text);
    const read = readSettingsTextIfExists(path) as string;
    expect(Buffer.from(read, "utf8").equals(Buffer.from(text, "utf8"))).toBe(true);
  });

  test.each<[string, Buffer, number]>([
    ["a Latin-1 ü on line 2", bytes("A=1\nB=m", [0xfc], "ller\n"), 2],
    ["a lone continuation byte on line 1", bytes([0x80], "A=1\n"), 1],
    ["a truncated sequence at the end", bytes("A=1\nB=2\nC=", [0xe2, 0x82]), 3],
    ["an overlong encoding", bytes("A=1\n\nB=", [0xc0, 0xaf], "\n"), 3],
    ["an encoded surrogate", bytes("A=", [0xed, 0xa0, 0x80], "\n"), 1],
  ])("%s is refused naming the file and line", (_, content, line) => {
    const path = file(content);
    expect(() => readSettingsTextIfExists(path, "/var/ipfire/ethernet/settings")).toThrow(
      new ConfigError(
        `/var/ipfire/ethernet/settings:${line}: not valid UTF-8 text; mwan does not rewrite it`,
      ),
    );
  });

  test("a file that cannot be read is a runtime failure naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "mwan-unit-"));
    dirs.push(dir);
    let error: unknown;
    try {
      readSettingsTextIfExists(dir, "settings");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MwanError);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe("cannot read settings: is a directory");
  });
});
