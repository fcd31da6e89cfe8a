// STATIC: the profile's ADDRESS/NETMASK/GATEWAY on its NIC, routed for mwan's
// probes only (routing.ts). The NIC is watched: when it vanishes the path is
// unavailable, and it is built again when the NIC comes back.

import type { SidePath } from "./path.ts";
import { prefixOf } from "./routing.ts";
import type { SideLink, SideReport } from "./types.ts";

const NIC_POLL_MS = 2000;

export class StaticSideLink implements SideLink {
  readonly mode = "probes" as const;
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private up = false;
  private busy: Promise<void> = Promise.resolve();

  constructor(
    readonly profile: string,
    private readonly path: SidePath,
    private readonly address: { ADDRESS: string; NETMASK: string; GATEWAY: string },
    private readonly release: () => void,
  ) {}

  start(report: (r: SideReport) => void): void {
    if (this.stopped || this.timer) return;
    const check = () => {
      this.busy = this.busy.then(() => this.check(report)).catch(() => undefined);
    };
    this.timer = setInterval(check, NIC_POLL_MS);
    check();
  }

  private async check(report: (r: SideReport) => void): Promise<void> {
    if (this.stopped) return;
    const present = this.path.nicExists();
    if (present && !this.up) {
      const r = await this.path.set({
        ifname: this.path.ifname,
        address: this.address.ADDRESS,
        prefix: prefixOf(this.address.NETMASK),
        gateway: this.address.GATEWAY,
      });
      if (this.stopped) return;
      this.up = r.ok;
      report(r.ok ? { kind: "ready", via: r.via } : { kind: "unavailable", reason: r.reason });
      if (!r.ok) this.stopped = true; // a refused address stays refused: no retry loop
    } else if (!present && this.up) {
      this.up = false;
      await this.path.clear(); // the kernel took address and routes; the rules stay until removed
      report({ kind: "unavailable", reason: `${this.path.ifname} vanished` });
    }
  }

  abandon(): void {
    this.path.abandon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.busy;
    await this.path.close();
    this.release();
  }
}
