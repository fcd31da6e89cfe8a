// The side watch in the status model and its text: each standby's health from
// the side on one line of at most 80 columns, and the first line saying how
// RED gets back to the primary (healthy from the side, or no trial while it is
// dead). Plain data in, no box needed.

import { describe, expect, test } from "bun:test";
import { renderStatus } from "../../../src/commands/_status-view.ts";
import type { SideSnapshot, StatusSnapshot } from "../../../src/daemon/status.ts";
import { type StatusInputs, statusModel } from "../../../src/daemon/status-model.ts";
import { inputs, live, NOW } from "./status-fixture.ts";
import { makeOutput } from "../../../src/ui/output.ts";

const target = (name: string, lossPct: number, rtt: number | null) => ({
  target: name,
  sent: 30,
  lost: Math.round((30 * lossPct) / 100),
  lossPct,
  rttAvgMs: rtt,
  jitterMs: 0.2,
  lastRttMs: rtt,
});

function watch(over: Partial<SideSnapshot> = {}): SideSnapshot {
  return {
    mode: "probes",
    status: "running",
    statusSince: NOW - 300_000,
    statusReason: "192.0.2.7 on eth1 via 192.0.2.1",
    health: "up",
    healthSince: NOW - 182_000,
    healthReason: "10 good rounds",
    goodSince: NOW - 200_000,
    targets: [target("icmp:9.9.9.9", 0, 3.0), target("icmp:1.1.1.1", 0, 3.2)],
    ...over,
  };
}

const PROFILES: StatusSnapshot["profiles"] = [
  { name: "isp1", primary: true, priority: 0, metered: false },
  { name: "isp2", primary: false, priority: 10, metered: true, carrier: true },
  { name: "lte", primary: false, priority: 20, metered: true, carrier: null },
];

const snapshot = (over: Partial<StatusSnapshot>) =>
  live({ primary: "isp1", active: "isp1", profiles: PROFILES, ...over });

const onFailover = (snap: StatusSnapshot, active = snap.active): StatusInputs =>
  inputs({
    primary: "isp1",
    live: snap,
    active,
    history: [
      {
        at: NOW - 120_000,
        from: "isp1",
        to: "isp2",
        ok: true,
        reason: "failover: isp1 down: no target answered in 5 rounds",
        result: "on isp2",
        ms: 3000,
      },
    ],
  });

const plain = makeOutput(false, { NO_COLOR: "1" });

describe("a standby watched from the side", () => {
  test("the model carries its watch, with loss and RTT averaged over its targets", () => {
    const m = statusModel(onFailover(snapshot({ side: { isp2: watch() } })));
    const isp2 = m.profiles.find((p) => p.name === "isp2");
    expect(isp2?.side).toMatchObject({
      mode: "probes",
      status: "running",
      health: { state: "up", since: new Date(NOW - 182_000).toISOString().replace(".000", "") },
      lossPct: 0,
      rttAvgMs: 3.1,
    });
    expect(isp2?.side?.targets[1]).toEqual({
      target: "icmp:1.1.1.1",
      sent: 30,
      lossPct: 0,
      rttAvgMs: 3.2,
      rttLastMs: 3.2,
    });
    // Not watched: carries RED, or no watch reported (QMI).
    expect(m.profiles.find((p) => p.name === "isp1")?.side).toBeNull();
    expect(m.profiles.find((p) => p.name === "lte")?.side).toBeNull();
  });

  test("each profile on one line within 80 columns, its health from the side said", () => {
    const long = "no lease offered on eth2 within 30 s: the ISP may refuse a second lease on its line";
    const m = statusModel(
      onFailover(
        snapshot({
          side: {
            isp2: watch(),
            lte: watch({ status: "unavailable", statusReason: long, health: "unproven" }),
          },
        }),
      ),
    );
    const lines = renderStatus(m, plain);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    const at = lines.indexOf("profiles");
    expect(lines[at + 2]).toMatch(
      /^ {2}isp2 +backup 10, metered +up from the side for 3m 2s \(0% loss, 3\.1 ms\)$/,
    );
    expect(
      lines
        .slice(at + 3)
        .join(" ")
        .replace(/ +/g, " "),
    ).toMatch(/side watch unavailable: no lease offered on eth2/);
  });

  test("a dead standby says so, with why", () => {
    const m = statusModel(
      onFailover(
        snapshot({
          side: {
            isp2: watch({
              health: "down",
              healthSince: NOW - 20_000,
              healthReason: "no target answered in 5 rounds",
              targets: [target("icmp:9.9.9.9", 100, null)],
            }),
          },
        }),
      ),
    );
    expect(renderStatus(m, plain).join(" ").replace(/ +/g, " ")).toMatch(
      /isp2 .*down from the side for 20s \(100% loss\): no target answered in 5 rounds/,
    );
  });
});

describe("failback by the side watch, in the first line", () => {
  const onIsp2 = (primary: SideSnapshot, failback: Partial<StatusSnapshot["failback"]> = {}) =>
    statusModel(
      onFailover(
        snapshot({
          active: "isp2",
          side: { isp1: primary },
          failback: { nextTrialAt: null, failedTrials: 0, deferred: null, probationUntil: null, ...failback },
        }),
        "isp2",
      ),
    );

  test("healthy from the side: when RED goes back, no trial", () => {
    const m = onIsp2(watch({ goodSince: NOW - 18_000 }), { sideBackAt: NOW + 42_000 });
    expect(m.headline).toBe(
      "on backup isp2 for 1m 57s (isp1 down: no target answered in 5 rounds); back to isp1 in 42s: healthy from the side for 18s",
    );
    expect(m.failback?.backAt).toBe(new Date(NOW + 42_000).toISOString().replace(".000", ""));
    expect(renderStatus(m, plain).some((l) => l.startsWith("failback  to isp1 at "))).toBe(true);
  });

  test("dead from the side: no trial, and said so", () => {
    const m = onIsp2(watch({ health: "down", goodSince: null }), { deferred: "isp1: down from the side" });
    expect(m.headline).toMatch(/; isp1 down from the side: no trial$/);
  });

  test("a watch that cannot run: trials as before", () => {
    const m = onIsp2(watch({ status: "unavailable", statusReason: "no lease offered" }), {
      nextTrialAt: NOW + 30_000,
    });
    expect(m.headline).toMatch(/; failback trial of isp1 in 30s$/);
  });
});
