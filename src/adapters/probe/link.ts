import { pathExists, readTextIfExists } from "../files.ts";
import { join } from "node:path";
import { makePaths } from "../paths.ts";
import type { LinkFacts } from "./types.ts";
import { isIfaceName } from "./validate.ts";

// Reads what IPFire and the kernel say about RED. Every path hangs off `root`
// so tests can hand in a temporary tree. Synchronous on purpose: these are a
// handful of tiny sysfs and tmpfs reads, done several times a second by the
// daemon, where promise machinery would cost more than the reads.
//
// red/iface is the only trustworthy name of RED (ppp0 for PPP profiles, RED_DEV
// otherwise). It survives `red stop`, so a stale name is normal: `active` and
// the address files, which `red stop` removes, say whether it is current.
export function readLinkFacts(root = "/"): LinkFacts {
  const paths = makePaths(root);
  const red = (f: string) => join(paths.redDir, f);
  const rawIface = readTrimmed(red("iface"));
  const iface = rawIface !== null && isIfaceName(rawIface) ? rawIface : null;
  const base = {
    iface,
    active: pathExists(red("active")),
    localAddress: readTrimmed(red("local-ipaddress")),
    gateway: readTrimmed(red("remote-ipaddress")),
  };
  if (iface === null) return { ...base, exists: false, carrier: null, operstate: null };

  const dev = join(paths.sysClassNet, iface);
  const carrier = readTrimmed(join(dev, "carrier"));
  return {
    ...base,
    exists: pathExists(dev),
    // The kernel answers EINVAL for carrier while the device is admin-down.
    carrier: carrier === "1" ? true : carrier === "0" ? false : null,
    operstate: readTrimmed(join(dev, "operstate")),
  };
}

// null for a missing, unreadable or empty file: to a prober they all mean
// "not known". red/ is nobody's (contract §1.4): read bounded, never through a
// link or from a FIFO.
function readTrimmed(path: string): string | null {
  try {
    return readTextIfExists(path, path, 4096)?.trim() || null;
  } catch {
    return null;
  }
}
