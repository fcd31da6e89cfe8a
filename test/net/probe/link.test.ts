import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readLinkFacts } from "../../../src/adapters/probe/link.ts";
import type { LinkFacts } from "../../../src/adapters/probe/types.ts";
import { skipNetTests } from "../netns.ts";
import { inNetns, type ProbeLab, probeLab, RED } from "./topology.ts";

// A fake root: /var/ipfire/red as IPFire leaves it, /sys/class/net/<iface> as
// the kernel shows it. Values are written verbatim, newline included.
async function fakeRoot(red: Record<string, string>, sys: Record<string, Record<string, string>> = {}) {
  const root = await mkdtemp(join(tmpdir(), "mwan-link-"));
  await mkdir(join(root, "var/ipfire/red"), { recursive: true });
  for (const [file, text] of Object.entries(red)) await writeFile(join(root, "var/ipfire/red", file), text);
  for (const [dev, files] of Object.entries(sys)) {
    await mkdir(join(root, "sys/class/net", dev), { recursive: true });
    for (const [file, text] of Object.entries(files))
      await writeFile(join(root, "sys/class/net", dev, file), text);
  }
  return root;
}

describe("link facts from a temporary root", () => {
  const roots: string[] = [];
  const facts = async (red: Record<string, string>, sys?: Record<string, Record<string, string>>) => {
    const root = await fakeRoot(red, sys);
    roots.push(root);
    return readLinkFacts(root);
  };
  afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

  test("RED up: every fact present", async () => {
    expect(
      await facts(
        {
          iface: "red0\n",
          active: "",
          "local-ipaddress": "198.51.100.7\n",
          "remote-ipaddress": "198.51.100.1\n",
        },
        { red0: { carrier: "1\n", operstate: "up\n" } },
      ),
    ).toEqual({
      iface: "red0",
      exists: true,
      carrier: true,
      operstate: "up",
      active: true,
      localAddress: "198.51.100.7",
      gateway: "198.51.100.1",
    });
  });

  test("after red stop: iface survives, the rest is gone", async () => {
    // `red stop` removes active and the address files but never iface (contract §1.2).
    expect(await facts({ iface: "ppp0\n" })).toEqual({
      iface: "ppp0",
      exists: false,
      carrier: null,
      operstate: null,
      active: false,
      localAddress: null,
      gateway: null,
    });
  });

  test("cable pulled: carrier 0; admin-down: carrier unreadable", async () => {
    const pulled = await facts(
      { iface: "red0", active: "" },
      { red0: { carrier: "0\n", operstate: "down\n" } },
    );
    expect(pulled).toMatchObject({
      exists: true,
      carrier: false,
      operstate: "down",
      active: true,
    });
    // The kernel refuses to read carrier of an admin-down device; no file models that.
    const adminDown = await facts({ iface: "red0" }, { red0: { operstate: "down\n" } });
    expect(adminDown).toMatchObject({
      exists: true,
      carrier: null,
      operstate: "down",
    });
  });

  test("no red dir, empty or hostile iface names", async () => {
    expect((await readLinkFacts("/nonexistent-mwan-root")).iface).toBeNull();
    expect((await facts({ iface: "\n" })).iface).toBeNull();
    // A name that would climb out of /sys/class/net is not used as a path.
    expect(await facts({ iface: "../../etc" }, { red0: { carrier: "1" } })).toMatchObject({
      iface: null,
      exists: false,
    });
  });
});

describe.skipIf(skipNetTests())("link facts from a real sysfs (network namespaces)", () => {
  let net: ProbeLab;
  let root: string;
  const read = () => inNetns<LinkFacts>(net.lab, net.fw, { op: "link", root });

  beforeAll(async () => {
    net = await probeLab();
    // The red dir is fake; sys points at the namespace's own /sys, which
    // `ip netns exec` mounts for the process it starts.
    root = await fakeRoot({
      iface: `${RED.iface}\n`,
      active: "",
      "local-ipaddress": RED.localAddress,
    });
    await symlink("/sys", join(root, "sys"));
  });
  afterAll(async () => {
    await net?.lab.cleanup();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test("up, peer down, admin-down", async () => {
    expect(await read()).toMatchObject({
      iface: "red0",
      exists: true,
      carrier: true,
      operstate: "up",
    });

    // The far end goes away: a pulled cable. carrier drops at once; operstate
    // follows when the kernel's linkwatch gets to it (up to about a second).
    await net.lab.ip(net.inet, "link", "set", "up0", "down");
    expect(await read()).toMatchObject({ exists: true, carrier: false });
    let facts = await read();
    for (let i = 0; i < 40 && facts.operstate === "up"; i++) {
      await Bun.sleep(50);
      facts = await read();
    }
    expect(facts).toMatchObject({ carrier: false, operstate: "down" });

    await net.lab.ip(net.fw, "link", "set", RED.iface, "down");
    expect(await read()).toMatchObject({
      exists: true,
      carrier: null,
      operstate: "down",
    });
  });
});
