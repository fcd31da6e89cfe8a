import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { makePaths } from "../paths.ts";
import type { LinkFacts } from "./types.ts";
import { isIfaceName } from "./validate.ts";

// Reads what IPFire and the kernel say about RED. Every path hangs off `root`
// so tests can hand in a temporary tree.
//
// red/iface is the only trustworthy name of RED (ppp0 for PPP profiles, RED_DEV
// otherwise). It survives `red stop`, so a stale name is normal: `active` and
// the address files, which `red stop` removes, say whether it is current.
export async function readLinkFacts(root = "/"): Promise<LinkFacts> {
  const paths = makePaths(root);
  const red = (f: string) => join(paths.redDir, f);
  const [rawIface, active, localAddress, gateway] = await Promise.all([
    readTrimmed(red("iface")),
    exists(red("active")),
    readTrimmed(red("local-ipaddress")),
    readTrimmed(red("remote-ipaddress")),
  ]);
  const iface = rawIface !== null && isIfaceName(rawIface) ? rawIface : null;
  const base = { iface, active, localAddress, gateway };
  if (iface === null)
    return { ...base, exists: false, carrier: null, operstate: null };

  const dev = join(paths.sysClassNet, iface);
  const [present, carrier, operstate] = await Promise.all([
    exists(dev),
    readTrimmed(join(dev, "carrier")),
    readTrimmed(join(dev, "operstate")),
  ]);
  return {
    ...base,
    exists: present,
    // The kernel answers EINVAL for carrier while the device is admin-down.
    carrier: carrier === "1" ? true : carrier === "0" ? false : null,
    operstate,
  };
}

// null for a missing, unreadable or empty file: to a prober they all mean "not known".
async function readTrimmed(path: string): Promise<string | null> {
  try {
    const text = (await readFile(path, "utf8")).trim();
    return text === "" ? null : text;
  } catch {
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
