import { afterEach, describe, expect, test } from "bun:test";
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  readFileIfExists,
  readSettingsTextIfExists,
  readTextIfExists,
  tempPath,
  writeFileAtomic,
} from "../../src/adapters/files.ts";
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

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), "mwan-unit-"));
  dirs.push(d);
  return d;
}

// Files under /var/ipfire are the web server's (nobody's): what root reads
// there must be the file itself, bounded, never what a link points to.
describe("readFileIfExists", () => {
  test("a symlink is refused, not followed", () => {
    const d = dir();
    writeFileSync(join(d, "secret"), "root only\n");
    symlinkSync(join(d, "secret"), join(d, "secrets"));
    expect(() => readFileIfExists(join(d, "secrets"), "/var/ipfire/ppp/secrets")).toThrow(
      new MwanError("cannot read /var/ipfire/ppp/secrets: is a symbolic link, which mwan does not follow"),
    );
  });

  test("a FIFO is refused at once instead of waiting for a writer", () => {
    const d = dir();
    expect(Bun.spawnSync(["mkfifo", join(d, "dsl")]).exitCode).toBe(0);
    const t0 = performance.now();
    expect(() => readFileIfExists(join(d, "dsl"), "profiles/dsl")).toThrow(
      new MwanError("cannot read profiles/dsl: not a regular file"),
    );
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test("a link to /dev/zero is refused without reading it", () => {
    const d = dir();
    symlinkSync("/dev/zero", join(d, "dsl"));
    expect(() => readFileIfExists(join(d, "dsl"), "profiles/dsl")).toThrow(/symbolic link/);
  });

  test("a file larger than the limit is refused, one at the limit is read", () => {
    const d = dir();
    writeFileSync(join(d, "big"), "x".repeat(101));
    writeFileSync(join(d, "fits"), "x".repeat(100));
    expect(() => readFileIfExists(join(d, "big"), "big", 100)).toThrow(
      new MwanError("cannot read big: larger than 100 bytes"),
    );
    expect(readFileIfExists(join(d, "fits"), "fits", 100)?.bytes.length).toBe(100);
  });

  // Reads go through one 64 KB scratch buffer: what is returned is a copy.
  test("a file of several reads comes back whole, and an earlier read is not overwritten by a later one", () => {
    const d = dir();
    const big = Buffer.alloc(200_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 251;
    writeFileSync(join(d, "big"), big);
    writeFileSync(join(d, "small"), "first");
    const first = readFileIfExists(join(d, "small"));
    expect(readFileIfExists(join(d, "big"))?.bytes.equals(big)).toBe(true);
    expect(first?.bytes.toString()).toBe("first");
    writeFileSync(join(d, "empty"), "");
    expect(readFileIfExists(join(d, "empty"))?.bytes.length).toBe(0);
  });

  test("/proc and sysfs files, whose size says 0 or 4096, are read to their end", () => {
    expect(readTextIfExists("/proc/self/stat")).toStartWith(`${process.pid} (`);
    expect(readTextIfExists("/sys/class/net/lo/address")).toBe("00:00:00:00:00:00\n");
  });
});

describe("writeFileAtomic", () => {
  test("a symlink at the path is replaced by the file, its target left as it was", () => {
    const d = dir();
    writeFileSync(join(d, "target"), "root only\n");
    symlinkSync(join(d, "target"), join(d, "history"));
    writeFileAtomic(join(d, "history"), "new\n");
    expect(readFileSync(join(d, "target"), "utf8")).toBe("root only\n");
    expect(lstatSync(join(d, "history")).isFile()).toBe(true);
    expect(readFileSync(join(d, "history"), "utf8")).toBe("new\n");
  });

  test("mwan's own file never keeps group or world write; IPFire's keeps its mode", () => {
    const d = dir();
    for (const name of ["own", "ipfire"]) {
      writeFileSync(join(d, name), "A=1\n");
      chmodSync(join(d, name), 0o666);
    }
    writeFileAtomic(join(d, "own"), "A=2\n");
    writeFileAtomic(join(d, "ipfire"), "A=2\n", { keepOwner: true });
    expect(statSync(join(d, "own")).mode & 0o777).toBe(0o644);
    expect(statSync(join(d, "ipfire")).mode & 0o777).toBe(0o666);
  });

  test("leaves no temp file behind, and temp names cannot be guessed", () => {
    const d = dir();
    const names = new Set([tempPath(join(d, "x")), tempPath(join(d, "x"))]);
    expect(names.size).toBe(2);
    writeFileAtomic(join(d, "x"), "1\n");
    expect(readdirSync(d)).toEqual(["x"]);
  });
});
