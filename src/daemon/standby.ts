// Carrier of the NICs of profiles that do not carry RED, so the engine never
// tries a primary whose cable is out. `red stop` leaves the old NIC down, and
// a down NIC reports no carrier at all, so mwan brings it up — without an
// address, which changes nothing for traffic — and takes it down again just
// before switching to it, so IPFire's `red start` still sets a spoofed MAC
// (it does that only on a NIC it finds down, contract §1.2). Links are set
// with IPFire's own ip below the root, so a test tree's stand-in answers for
// its fake NICs and the host's are never touched.

import { join } from "node:path";
import type { ConsolaInstance } from "consola/core";
import type { State } from "../core/engine/types.ts";
import { findDevice } from "../core/switch/device.ts";
import type { IpfireSystem } from "../adapters/ipfire-system.ts";
import { readTextIfExists } from "../adapters/files.ts";
import { setLink } from "../adapters/nics.ts";
import type { Paths } from "../adapters/paths.ts";
import type { ProfileData } from "../core/schema/profile.ts";
import { readNicRecords } from "../switching/state.ts";

const EVERY_MS = 2000;

export class StandbyWatch {
  private last = new Map<string, boolean | null>();
  private raised = new Set<string>(); // interfaces mwan brought up
  private nextAt = 0;

  constructor(
    private readonly paths: Paths,
    private readonly sys: IpfireSystem,
    private readonly log: ConsolaInstance,
    private readonly profiles: () => Record<string, ProfileData>,
  ) {}

  poll(state: State, report: (profile: string, carrier: boolean | null) => void): void {
    const now = Date.now();
    if (now < this.nextAt || state.mode !== "running") return;
    this.nextAt = now + EVERY_MS;
    const nics = this.sys.interfaces();
    for (const p of state.profiles) {
      if (p.name === state.active) continue;
      const ifname = this.nicOf(p.name, nics);
      const carrier = ifname === undefined ? null : this.carrier(ifname);
      if (this.last.get(p.name) !== carrier || !this.last.has(p.name)) {
        this.last.set(p.name, carrier);
        report(p.name, carrier);
      }
    }
  }

  // Before RED moves to `profile`: its NIC goes back to how IPFire left it.
  release(profile: string): void {
    const ifname = this.nicOf(profile, this.sys.interfaces());
    if (ifname && this.raised.delete(ifname)) this.ip(ifname, "down");
    this.last.delete(profile);
  }

  // When the daemon stops: the NICs it brought up go back down, as IPFire
  // left them.
  releaseAll(): void {
    for (const ifname of this.raised) this.ip(ifname, "down");
    this.raised.clear();
  }

  // The NIC a profile uses while idle, as a switch to it would find it.
  nicOf(profile: string, nics = this.sys.interfaces()): string | undefined {
    const p = this.profiles()[profile];
    return p ? idleNic(this.paths, p, nics) : undefined;
  }

  // Administratively up (IFF_UP): what the side watch waits for.
  isUp(ifname: string): boolean {
    return nicIsUp(this.paths, ifname);
  }

  private carrier(ifname: string): boolean | null {
    const dir = join(this.paths.sysClassNet, ifname);
    const flags = Number.parseInt(readTextIfExists(join(dir, "flags"))?.trim() ?? "", 16);
    if (Number.isFinite(flags) && (flags & 1) === 0 && !this.raised.has(ifname)) {
      this.raised.add(ifname);
      this.ip(ifname, "up");
      return null; // known at the next poll
    }
    const c = readTextIfExists(join(dir, "carrier"))?.trim();
    return c === "1" ? true : c === "0" ? false : null;
  }

  private ip(ifname: string, state: "up" | "down"): void {
    const r = setLink(this.paths, ifname, state);
    if (!r.ok) this.log.debug(`ip link set ${ifname} ${state}: ${r.error}`);
  }
}

// The NIC of a profile that does not carry RED (none for a QMI modem, which
// has no carrier to speak of, or a profile without a MAC address).
export function idleNic(
  paths: Paths,
  p: ProfileData,
  nics: ReturnType<IpfireSystem["interfaces"]>,
): string | undefined {
  if (p.TYPE === "QMI" || !p.MACADDR) return undefined;
  let known: ReturnType<typeof readNicRecords> = [];
  try {
    known = readNicRecords(paths);
  } catch {
    // unreadable records: the addresses alone then
  }
  const found = findDevice(p, nics, known);
  return found.ok ? found.device.ifname : undefined;
}

// IFF_UP in sysfs flags: the NIC is administratively up.
export function nicIsUp(paths: Paths, ifname: string): boolean {
  const text = readTextIfExists(join(paths.sysClassNet, ifname, "flags"))?.trim() ?? "";
  return (Number.parseInt(text, 16) & 1) === 1;
}
