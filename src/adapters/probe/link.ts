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
  return new LinkReader(root).read(0, true);
}

type RedFacts = Pick<LinkFacts, "iface" | "active" | "localAddress" | "gateway">;

// The daemon's reader, polled five times a second. The kernel's view of the
// device (carrier, operstate, presence) is read every time: that is what
// notices a pulled cable in under a second. red/ is written only by IPFire's
// scripts, whose hooks tell the daemon at once (SIGUSR1, then a fresh read),
// so between fresh reads it is read once per `redEveryMs`: it was most of
// the daemon's file reads.
export class LinkReader {
  private readonly red: { iface: string; active: string; local: string; remote: string };
  private readonly sysClassNet: string;
  private redFacts: RedFacts | null = null;
  private redReadAt = 0;
  private dev: { iface: string; dir: string; carrier: string; operstate: string } | null = null;

  constructor(
    root = "/",
    private readonly redEveryMs = 1000,
  ) {
    const paths = makePaths(root);
    const red = (f: string) => join(paths.redDir, f);
    this.red = {
      iface: red("iface"),
      active: red("active"),
      local: red("local-ipaddress"),
      remote: red("remote-ipaddress"),
    };
    this.sysClassNet = paths.sysClassNet;
  }

  read(now: number, fresh = false): LinkFacts {
    // A clock stepped back (NTP at boot) makes the read due, never late.
    const due = now - this.redReadAt >= this.redEveryMs || now < this.redReadAt;
    if (fresh || this.redFacts === null || due) {
      this.redFacts = this.readRed();
      this.redReadAt = now;
    }
    const base = this.redFacts;
    const iface = base.iface;
    if (iface === null) return { ...base, exists: false, carrier: null, operstate: null };
    if (this.dev?.iface !== iface) {
      const dir = join(this.sysClassNet, iface);
      this.dev = { iface, dir, carrier: join(dir, "carrier"), operstate: join(dir, "operstate") };
    }
    const carrier = readTrimmed(this.dev.carrier);
    return {
      ...base,
      exists: pathExists(this.dev.dir),
      // The kernel answers EINVAL for carrier while the device is admin-down.
      carrier: carrier === "1" ? true : carrier === "0" ? false : null,
      operstate: readTrimmed(this.dev.operstate),
    };
  }

  private readRed(): RedFacts {
    const rawIface = readTrimmed(this.red.iface);
    return {
      iface: rawIface !== null && isIfaceName(rawIface) ? rawIface : null,
      active: pathExists(this.red.active),
      localAddress: readTrimmed(this.red.local),
      gateway: readTrimmed(this.red.remote),
    };
  }
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
