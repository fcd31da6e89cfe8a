import { afterEach, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LinkReader, readLinkFacts } from "../../src/adapters/probe/link.ts";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

// A root as IPFire leaves it with RED up on red0 (red/ as its scripts echo it,
// sysfs attributes as the kernel prints them: a value and a newline).
function upRoot(): { root: string; red: string; dev: string } {
  const root = mkdtempSync(join(tmpdir(), "mwan-link-"));
  roots.push(root);
  const red = join(root, "var/ipfire/red");
  const dev = join(root, "sys/class/net/red0");
  mkdirSync(red, { recursive: true });
  mkdirSync(dev, { recursive: true });
  writeFileSync(join(red, "iface"), "red0\n");
  writeFileSync(join(red, "active"), "");
  writeFileSync(join(red, "local-ipaddress"), "198.51.100.7\n");
  writeFileSync(join(red, "remote-ipaddress"), "198.51.100.1\n");
  writeFileSync(join(dev, "carrier"), "1\n");
  writeFileSync(join(dev, "operstate"), "up\n");
  return { root, red, dev };
}

test("the kernel's view is read every time, red/ once per interval unless asked fresh", () => {
  const { root, red, dev } = upRoot();
  const reader = new LinkReader(root, 1000);
  const up = reader.read(10_000);
  expect(up).toEqual(readLinkFacts(root));
  expect(up).toMatchObject({ iface: "red0", active: true, localAddress: "198.51.100.7", carrier: true });

  writeFileSync(join(dev, "carrier"), "0\n");
  unlinkSync(join(red, "active"));
  unlinkSync(join(red, "local-ipaddress"));
  const cableOut = reader.read(10_500);
  expect(cableOut.carrier).toBe(false); // at once
  expect(cableOut.active).toBe(true); // red/ not due yet
  expect(reader.read(10_600, true)).toMatchObject({ active: false, localAddress: null });

  writeFileSync(join(red, "active"), "");
  expect(reader.read(11_599).active).toBe(false);
  expect(reader.read(11_600).active).toBe(true); // due: one interval after the fresh read

  unlinkSync(join(red, "active"));
  expect(reader.read(5_000).active).toBe(false); // the clock stepped back: due at once
});

test("a new RED device name is followed: its sysfs files, not the old one's", () => {
  const { root, red } = upRoot();
  const reader = new LinkReader(root, 1000);
  expect(reader.read(0).carrier).toBe(true);
  writeFileSync(join(red, "iface"), "ppp0\n");
  mkdirSync(join(root, "sys/class/net/ppp0"), { recursive: true });
  writeFileSync(join(root, "sys/class/net/ppp0/operstate"), "unknown\n");
  expect(reader.read(100, true)).toMatchObject({
    iface: "ppp0",
    exists: true,
    carrier: null,
    operstate: "unknown",
  });
  rmSync(join(root, "sys/class/net/ppp0"), { recursive: true });
  expect(reader.read(200)).toMatchObject({ iface: "ppp0", exists: false, carrier: null, operstate: null });
});
