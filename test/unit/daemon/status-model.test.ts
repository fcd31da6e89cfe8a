// The status model's first line: of everything that may be wrong at once,
// the one the admin must hear first, in words. Plain data in, no box needed.

import { describe, expect, test } from "bun:test";
import type { StatusSnapshot } from "../../../src/daemon/status.ts";
import { statusModel } from "../../../src/daemon/status-model.ts";
import { inputs, live, NOW } from "./status-fixture.ts";

const failover = {
  at: NOW - 120_000,
  from: "dsl",
  to: "lte",
  ok: true,
  reason: "failover: dsl down: no target answered in 5 rounds",
  result: "on lte",
  ms: 3000,
};

// RED on the backup lte since the failover above, the daemon's view amended.
const onLte = (over: Partial<StatusSnapshot>) =>
  statusModel(inputs({ active: "lte", history: [failover], live: live({ active: "lte", ...over }) }));

describe("the first line", () => {
  test("healthy on the primary", () => {
    expect(statusModel(inputs()).headline).toBe("on dsl (primary), healthy");
  });

  test("on a backup: since the switch, why, and when the failback trial comes", () => {
    const m = onLte({
      activeSince: NOW - 5000,
      failback: { ...live().failback, nextTrialAt: NOW + 45_000 },
    });
    expect(m.headline).toBe(
      "on backup lte for 1m 57s (dsl down: no target answered in 5 rounds); failback trial of dsl in 45s",
    );
    // From the switch that put RED there, not the daemon's (reloaded) view.
    expect(Date.parse(m.activeSince ?? "")).toBe(NOW - 117_000);
  });

  test("no working uplink beats being on a backup", () => {
    const m = onLte({
      health: { state: "down", since: NOW - 20_000, reason: "no target answered in 5 rounds" },
      rescue: { failed: ["dsl", "lte"], round: 1, retryAt: NOW + 10_000 },
    });
    expect(m.headline).toBe("no working uplink: dsl, lte failed; next attempt in 10s");
    expect(m.noUplink?.failed).toEqual(["dsl", "lte"]);
  });

  test("a hold beats an outage: mwan does nothing about it, and says why", () => {
    const m = statusModel(
      inputs({
        heldOnDisk: { since: NOW - 60_000 },
        live: live({
          hold: true,
          health: { state: "down", since: NOW - 20_000, reason: "no carrier" },
          rescue: { failed: ["dsl"], round: 1, retryAt: NOW + 10_000 },
        }),
      }),
    );
    expect(m.headline).toBe(
      "held on dsl by the admin; dsl is down (no carrier) (mwan resume to let mwan switch again)",
    );
    expect(Date.parse(m.hold?.since ?? "")).toBe(NOW - 60_000);
  });

  test("no daemon while enabled needs the admin; disabled does not", () => {
    const none = statusModel(inputs({ pid: null, live: null }));
    expect(none.headline).toBe(
      "the daemon is not running: nothing will fail over or back (mwan daemon start)",
    );
    expect(none.attention).toBe(true);
    const off = statusModel(inputs({ enabled: false, pid: null, live: null }));
    expect(off.attention).toBe(false);
    expect(off.headline).toBe("mwan is disabled: nothing switches automatically (mwan enable)");
  });

  test("a switch cut short comes before everything", () => {
    const m = statusModel(
      inputs({
        pid: null,
        live: null,
        journal: { from: "dsl", to: "lte", startedAt: NOW - 9000, pid: null },
      }),
    );
    expect(m.headline).toMatch(/^the switch dsl -> lte was cut short: .*run mwan recover$/);
    expect(m.attention).toBe(true);
  });

  test("probes that cannot run are said, not a silent unproven", () => {
    const m = statusModel(
      inputs({
        live: live({
          probeProblem: "/bin/ping: cannot be run",
          health: { state: "unproven", since: NOW - 30_000, reason: "bring-up" },
        }),
      }),
    );
    expect(m.headline).toBe(
      "probes cannot run (/bin/ping: cannot be run): mwan cannot tell whether dsl works",
    );
  });
});
