// The aarch64 release binary, run under qemu-user emulating a Cortex-A53
// (ARMv8.0, no LSE atomics): bun has shipped arm64 builds that crashed with
// SIGILL on such cores (oven-sh/bun#12076, #26544), and IPFire runs on them.

import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BINARY = join(import.meta.dir, "../../build/dist/mwan-aarch64");
const SYSROOT = "/usr/aarch64-linux-gnu"; // Debian's libc6-arm64-cross
const root = mkdtempSync(join(tmpdir(), "mwan-arm64-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function emulate(...args: string[]) {
  const qemu = Bun.which("qemu-aarch64");
  if (!qemu) throw new Error("qemu-aarch64 is missing: apt-get install qemu-user libc6-arm64-cross");
  const p = Bun.spawnSync([qemu, "-L", SYSROOT, "-cpu", "cortex-a53", BINARY, ...args], {
    env: { MWAN_ROOT: root, NO_COLOR: "1", PATH: process.env.PATH ?? "" },
    timeout: 60_000,
  });
  return {
    code: p.exitCode,
    signal: p.signalCode,
    out: p.stdout.toString(),
    err: p.stderr.toString(),
  };
}

test("prints its version on an ARMv8.0 core", () => {
  const r = emulate("--version");
  expect(r.signal).toBeUndefined();
  expect(r.out).toMatch(/^mwan \d+\.\d+\.\d+\+\S+\n$/);
  expect(r.code).toBe(0);
});

test("reads and validates the configuration on an ARMv8.0 core", () => {
  mkdirSync(join(root, "var/ipfire/mwan/profiles"), { recursive: true });
  writeFileSync(join(root, "var/ipfire/mwan/settings"), "PRIMARY=dsl\n");
  writeFileSync(
    join(root, "var/ipfire/mwan/profiles/dsl"),
    "TYPE=DHCP\nDEVICE=red0\nMACADDR=52:54:00:00:00:01\n",
  );
  writeFileSync(join(root, "var/ipfire/mwan/profiles/lte"), "TYPE=QMI\n");
  const r = emulate("config", "check", "--json");
  expect(r.signal).toBeUndefined();
  expect(JSON.parse(r.out)).toEqual({
    ok: false,
    errors: ["profiles/lte: APN: required for TYPE=QMI"],
    warnings: [
      "settings: PRIMARY: what RED holds cannot be told (/var/ipfire/ethernet/settings: missing; is this an IPFire system?); not compared",
      "profiles/dsl: no interface has MAC 52:54:00:00:00:01 (is the network card plugged in?); the box has: none",
    ],
    enableRefuses: false,
  });
  expect(r.code).toBe(3);
});
