// In-memory twin of a SideLink (src/adapters/side/types.ts) for the side
// watch's tests: the test says when the path is ready or lost, what a
// discovery answers, and how long a stop takes; every call is recorded.

import type { SideMode } from "../../../src/core/engine/types.ts";
import type { SideLink, SideReport, SideVia } from "../../../src/adapters/side/types.ts";

export class SideLinkTwin implements SideLink {
  readonly calls: string[] = [];
  private reportTo: ((r: SideReport) => void) | null = null;
  stopMs = 0;
  stopped = false;
  pado = true;
  discover?: (timeoutMs: number) => Promise<{ ok: boolean; detail: string }>;

  constructor(
    readonly profile: string,
    readonly mode: SideMode,
    readonly ifname: string,
    private readonly onStart?: (twin: SideLinkTwin) => void,
  ) {
    if (mode === "discovery")
      this.discover = async (timeoutMs) => {
        this.calls.push(`discover ${timeoutMs}`);
        return { ok: this.pado, detail: this.pado ? "PADO" : "no PADO" };
      };
  }

  start(report: (r: SideReport) => void): void {
    this.calls.push("start");
    this.reportTo = report;
    this.onStart?.(this);
  }

  ready(via: Partial<SideVia> = {}): void {
    this.reportTo?.({
      kind: "ready",
      via: {
        iface: this.ifname,
        localAddress: "192.0.2.7",
        gateway: "192.0.2.1",
        table: 4201,
        ...via,
      },
    });
  }

  lost(reason: string): void {
    this.reportTo?.({ kind: "unavailable", reason });
  }

  abandon(): void {
    this.calls.push("abandon");
  }

  async stop(): Promise<void> {
    this.calls.push("stop");
    await Bun.sleep(this.stopMs);
    this.stopped = true;
    this.calls.push("stopped");
  }
}
