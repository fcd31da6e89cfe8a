// One side path on one NIC: the routing of routing.ts for an address, with
// the record that lets a later daemon remove it. STATIC holds one address for
// its whole life; DHCP moves it from lease to lease.

import { pathExists } from "../files.ts";
import type { Paths } from "../paths.ts";
import { removeRecord, type SideRecord, type SideRole, writeRecord } from "./records.ts";
import { applyRouting, removeRouting, type SideAddress, type SidePlacement } from "./routing.ts";
import type { SideVia } from "./types.ts";
import { join } from "node:path";

export class SidePath {
  private current: SideAddress | undefined;
  private record: SideRecord;
  private abandoned = false;

  constructor(
    private readonly paths: Paths,
    profile: string,
    readonly ifname: string,
    readonly place: SidePlacement,
    private readonly role: SideRole,
  ) {
    this.record = { profile, ifname };
  }

  nicExists(): boolean {
    return pathExists(join(this.paths.sysClassNet, this.ifname));
  }

  // Extra facts for the record (mwan's dhcpcd), kept across addresses.
  // The record only helps a later cleanup: a tmpfs that refuses it must not
  // stop the path or its teardown.
  note(extra: Partial<SideRecord>): void {
    this.record = { ...this.record, ...extra };
    try {
      writeRecord(this.paths, this.record, this.role);
    } catch {
      // kept in memory; stop() still removes everything
    }
  }

  // Puts `a` in place of whatever address the path had.
  async set(a: SideAddress): Promise<{ ok: true; via: SideVia } | { ok: false; reason: string }> {
    const same =
      this.current?.address === a.address &&
      this.current.prefix === a.prefix &&
      this.current.gateway === a.gateway &&
      this.current.server === a.server;
    if (same && this.current) return { ok: true, via: this.via(this.current) };
    await this.clear();
    // Recorded before it exists: a kill between the two leaves a record of
    // nothing, which cleanup removes harmlessly.
    this.note({ address: a.address, prefix: a.prefix });
    const r = await applyRouting(this.paths, a, this.place);
    if (!r.ok) {
      this.note({ address: undefined, prefix: undefined });
      return r;
    }
    this.current = a;
    return { ok: true, via: this.via(a) };
  }

  // See SideLink.abandon: from now on only mwan's rules and table go.
  abandon(): void {
    this.abandoned = true;
  }

  // Removes the address, routes and rules (not the record: dhcpcd may live on).
  async clear(): Promise<void> {
    const a = this.current;
    this.current = undefined;
    if (!a) return;
    await removeRouting(this.paths, a, this.place, () => !this.abandoned);
    this.note({ address: undefined, prefix: undefined });
  }

  async close(): Promise<void> {
    await this.clear();
    removeRecord(this.paths, this.ifname, this.role);
  }

  private via(a: SideAddress): SideVia {
    return { iface: a.ifname, localAddress: a.address, gateway: a.gateway, table: this.place.table };
  }
}
