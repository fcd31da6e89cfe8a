// Daemon bugs found by the daemon tests and fixed: each test failed against
// the binary that had the bug. As root, like the rest of test/daemon.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { expectOk } from "../helpers/expect-cli.ts";
import { run } from "../helpers/run-bin.ts";
import { Standin } from "../ipfire/standin.ts";
import { skipNetTests } from "../net/netns.ts";
import { alive, CABLE, DaemonRig, eventually, MWAN_BIN, startTime } from "./rig.ts";

describe.skipIf(skipNetTests())("events.d and status around a failover", () => {
  let rig: DaemonRig;
  let failoverAt = 0;
  const statusAfterSwitch: string[] = []; // `active` of every status --json showing the failover
  beforeAll(async () => {
    rig = await DaemonRig.create();
    const r = rig.root;
    const tag = `export MWAN_STANDIN_ROOT='${r}'`;
    rig.script(
      "var/ipfire/mwan/events.d/10-record",
      `${tag}\necho "$MWAN_EVENT $MWAN_FROM $MWAN_TO" >> '${r}/events.out'`,
    );
    rig.script("var/ipfire/mwan/events.d/20-hang", `${tag}\nsleep 100`);
    await rig.start();
    await rig.blackHole(true);
    // What `mwan status` says while the failover happens and just after.
    const end = performance.now() + 10_000;
    while (performance.now() < end) {
      const status = JSON.parse((await rig.mwan("status", "--json")).stdout);
      if (status.switches.kept > 0) {
        failoverAt ||= Date.parse(status.switches.recent.at(-1).at);
        statusAfterSwitch.push(status.active);
        if (Date.now() > failoverAt + 3000) break;
      }
    }
  }, 30_000);
  afterAll(() => rig?.cleanup());

  // src/daemon/daemon.ts emits a "notice" (the engine's "dsl down …;
  // switching to cable") 2 ms before the failover event; src/daemon/events.ts
  // runs every script for notices too, and skips a script that is still
  // running ("is still running; not started for this failover"). So a script
  // never sees a failover: only the notice before it.
  test("a failover reaches events.d scripts", async () => {
    expect(await eventually(() => (rig.read("events.out") ?? "").includes("failover dsl cable"), 2000)).toBe(
      true,
    );
    expect(rig.log()).not.toMatch(/10-record is still running; not started for this failover/);
  });

  // src/daemon/status.ts is published every 2 s (STATUS_MS), and
  // `mwan status` prefers it over state/active, so right after a switch it
  // names the old profile next to the new history entry.
  test("mwan status right after a switch names the profile switched to", () => {
    expect(statusAfterSwitch.length).toBeGreaterThan(0);
    expect(statusAfterSwitch.filter((active) => active !== CABLE.name)).toEqual([]);
  });

  // src/commands/_status-view.ts prints each switch as one table row with
  // the whole reason and result: a plain failover between dsl and cable is
  // already 104 columns ("  11-24 20:11:13  dsl -> cable  ok  0.4 s
  // failover: dsl down: no target answered in 5 rounds; on cable").
  test("mwan status fits 100 columns", async () => {
    const r = await rig.mwan("status");
    expectOk(r);
    expect(r.stdout.split("\n").filter((l) => l.length > 100)).toEqual([]);
  });

  // src/daemon/events.ts kills the script's own process at its timeout
  // (Bun.spawn timeout + SIGKILL), not its process group: what the script
  // started (a sleep here; a curl to a dead webhook on a firewall) runs on.
  test("an events.d script killed at its timeout leaves nothing running", async () => {
    await rig.waitLog(/20-hang killed after 30 s/, Math.max(failoverAt + 33_000 - Date.now(), 1000));
    const left = () =>
      readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d) && alive(Number(d)))
        .filter((d) => {
          try {
            const env = readFileSync(`/proc/${d}/environ`, "utf8");
            return env.includes(`MWAN_STANDIN_ROOT=${rig.root}\0`);
          } catch {
            return false;
          }
        });
    expect(await eventually(() => left().length === 0, 2000)).toBe(true);
  }, 45_000);
});

// src/daemon/probing.ts: a DNS probe joins every third fast round, matched by
// the scheduler's own round count (setTimeout every 300 ms), while the rounds
// handed to the engine are counted by the pings' sequence numbers (ping -i,
// no drift). The timer lags ~1 ms a round, so after ~95 s the rounds being
// handed over are ahead of the DNS probes started for them: every DNS answer
// is filed under a round already judged and dropped. status.json then shows
// the DNS target with 0 sent, and a line whose ICMP is filtered while DNS
// works is declared down. At 20 s uptime the same filter causes no switch.
describe.skipIf(skipNetTests())("the DNS probe after two minutes", () => {
  let rig: DaemonRig;
  beforeAll(async () => {
    rig = await DaemonRig.create({ dns: true });
    await rig.start();
  });
  afterAll(() => rig?.cleanup());

  test("still counts, and keeps dsl up when only ICMP is filtered", async () => {
    await Bun.sleep(130_000);
    const dns = rig.snapshot()?.targets.find((t) => t.target.startsWith("dns:"));
    expect(dns?.sent ?? 0).toBeGreaterThan(30); // one a second in the 60 s window
    await rig.blackHole(true, "icmp");
    await Bun.sleep(10_000);
    expect(rig.history()).toEqual([]);
  }, 180_000);
});

describe.skipIf(skipNetTests())("operator switch, as the status shows it", () => {
  let rig: DaemonRig;
  beforeAll(async () => {
    rig = await DaemonRig.create();
    await rig.start();
    expectOk(await rig.mwan("switch", CABLE.name));
    await rig.waitFor(() => rig.snapshot()?.active === CABLE.name, 3000, "status.json on cable");
  }, 30_000);
  afterAll(() => rig?.cleanup());

  // src/daemon/daemon.ts perform(): the history reason is `${kind}: ${reason}`
  // and the engine's reason already starts with "operator: ".
  test("the history says operator once", () => {
    expect(rig.history().at(-1)?.reason).toBe("operator: switch to cable and hold");
  });

  // The engine (src/core/engine/evaluate.ts) makes no trial while on hold, but
  // failback.nextTrialAt stays set and src/commands/_status-view.ts prints
  // "failback  next trial of dsl at … (in 57s)".
  test("on hold, mwan status announces no failback trial", async () => {
    const r = await rig.mwan("status");
    expectOk(r);
    expect(r.stdout.split("\n")[0]).toBe("held on cable by the admin (mwan resume to let it fail back)");
    expect(r.stdout).not.toContain("next trial");
  });
});

// src/switching/lock.ts lockOwner() takes PID + start time as proof that the
// process is the daemon, without looking at what the process is. A pid file
// left on a persistent /var/run across a reboot can name another program
// with the same PID and start time (boot is deterministic); `daemon stop`
// then SIGTERMs and SIGKILLs that program, a hook SIGUSR1s it (default
// action: terminate), and `daemon start` refuses to start.
describe("a pid file naming a live process that is not mwan", () => {
  let s: Standin;
  let other: ReturnType<typeof Bun.spawn>;
  beforeAll(async () => {
    s = await Standin.install({ delay: 0.05 });
    other = Bun.spawn(["sleep", "60"]);
    mkdirSync(s.path("var/run"), { recursive: true });
    writeFileSync(s.path("var/run/mwan.pid"), `${other.pid} ${startTime(other.pid)}\n`);
  });
  afterAll(async () => {
    other?.kill("SIGKILL");
    await s?.cleanup();
  });

  test("is not taken for the daemon: daemon status says not running, daemon stop leaves it alone", async () => {
    const status = await run(["daemon", "status"], { root: s.root, exe: MWAN_BIN });
    expect(status.code).toBe(3);
    await run(["daemon", "stop"], { root: s.root, exe: MWAN_BIN, timeoutMs: 10_000 });
    expect(alive(other.pid)).toBe(true);
  });
});
