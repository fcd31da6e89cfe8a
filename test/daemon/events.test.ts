// Events that are never lost: every events.d script gets every event, in
// order, once its outcome is known, even while it is still busy with an
// earlier one, and with every variable set. Two rigs: a total outage (dsl
// and cable both dead upstream), and a burst of refused switches to a
// profile whose NIC is unplugged, past the queue's bound.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { expectExit } from "../helpers/expect-cli.ts";
import { skipNetTests } from "../net/netns.ts";
import { alive, CABLE, DaemonRig, PRIMARY } from "./rig.ts";

const QUEUE_LIMIT = 64; // src/daemon/event-queue.ts
const FIELDS = [
  "MWAN_SEQ",
  "MWAN_EVENT",
  "MWAN_KIND",
  "MWAN_RESULT",
  "MWAN_FROM",
  "MWAN_TO",
  "MWAN_ACTIVE",
  "MWAN_REASON",
  "MWAN_ERROR",
  "MWAN_TIME",
];
type Told = Record<string, string>;

// A script that writes one line per event (the fields above, tab-separated,
// and whether each of them was set at all) and then waits while the file
// NAME.gate exists, so a test can keep it busy.
function recorder(rig: DaemonRig, name: string): void {
  const r = rig.root;
  const format = FIELDS.map(() => "%s").join("\\t");
  const values = FIELDS.map((f) => `"\${${f}-UNSET}"`).join(" ");
  rig.script(
    `var/ipfire/mwan/events.d/${name}`,
    [
      `export MWAN_STANDIN_ROOT='${r}'`,
      `printf '${format}\\n' ${values} >> '${r}/${name}.out'`,
      `[ -n "\${MWAN_MESSAGE+x}" ] && [ -n "\${MWAN_HOST+x}" ] || echo "MWAN_MESSAGE or MWAN_HOST unset" >> '${r}/${name}.out'`,
      `while [ -e '${r}/${name}.gate' ]; do sleep 0.05; done`,
    ].join("\n"),
  );
}

function told(rig: DaemonRig, name: string): Told[] {
  return (rig.read(`${name}.out`) ?? "")
    .split("\n")
    .filter(Boolean)
    .map((l) => Object.fromEntries(l.split("\t").map((v, i) => [FIELDS[i] ?? `extra${i}`, v])));
}

describe.skipIf(skipNetTests())("events in a total outage", () => {
  let rig: DaemonRig;
  beforeAll(async () => {
    // No failback trial in the way.
    rig = await DaemonRig.create({ settings: { FAILBACK_DELAY: "3600" } });
    recorder(rig, "10-busy");
    recorder(rig, "20-quick");
    // Turned off by the admin (no x bit): logged once, however many events come.
    writeFileSync(rig.path("var/ipfire/mwan/events.d/30-off"), "#!/bin/sh\n# TEST CODE\nexit 0\n", {
      mode: 0o644,
    });
    await rig.start();
  }, 30_000);
  afterAll(async () => {
    rmSync(rig?.path("10-busy.gate"), { force: true });
    await rig?.cleanup();
  });

  // Everything from cable's address dropped upstream too.
  async function cableDead(): Promise<void> {
    const rules = `table inet mwt_cable {\n chain in {\n  type filter hook input priority 0;\n  ip saddr ${CABLE.lease.ip} drop\n }\n}\n`;
    const r = await rig.lab.exec(rig.inet, ["nft", "-f", "-"], rules);
    if (r.code !== 0) throw new Error(`nft failed: ${r.stderr.trim()}`);
  }

  test("the failover is told once it succeeded, with its outcome", async () => {
    writeFileSync(rig.path("10-busy.gate"), ""); // 10-busy stays on this first event
    await rig.blackHole(true);
    await rig.switchedTo(CABLE.name, 0, 10_000);
    await rig.waitFor(() => told(rig, "20-quick").length > 0, 5000, "the failover at 20-quick");
    const [e] = told(rig, "20-quick");
    expect(e).toMatchObject({
      MWAN_SEQ: "1",
      MWAN_EVENT: "failover",
      MWAN_KIND: "failover",
      MWAN_RESULT: "ok",
      MWAN_FROM: PRIMARY.name,
      MWAN_TO: CABLE.name,
      MWAN_ACTIVE: CABLE.name,
      MWAN_ERROR: "",
    });
    expect(e?.MWAN_REASON).toMatch(/^dsl down: /);
    const [h] = rig.history();
    if (!h) throw new Error("no switch in the history");
    // Told after the switch was done, not when it began.
    expect(Date.parse(e?.MWAN_TIME ?? "")).toBeGreaterThanOrEqual(h.at + h.ms - 5);
  }, 20_000);

  test("a script still busy gets the outage after it, in order, with MWAN_FROM", async () => {
    await cableDead();
    await rig.waitLog(/no working uplink/, 15_000);
    expect(told(rig, "10-busy").map((e) => e.MWAN_SEQ)).toEqual(["1"]); // still on the failover
    await rig.waitFor(
      () => told(rig, "20-quick").some((e) => e.MWAN_EVENT === "failure"),
      5000,
      "the outage at 20-quick",
    );
    rmSync(rig.path("10-busy.gate"));
    await rig.waitFor(
      () => told(rig, "10-busy").some((e) => e.MWAN_EVENT === "failure"),
      5000,
      "the outage at 10-busy",
    );
    const busy = told(rig, "10-busy");
    const quick = told(rig, "20-quick");
    // The same events in the same order, none skipped.
    expect(busy.map((e) => e.MWAN_SEQ)).toEqual(busy.map((_, i) => `${i + 1}`));
    expect(quick.slice(0, busy.length)).toEqual(busy);
    const outage = busy.find((e) => e.MWAN_EVENT === "failure");
    expect(outage).toMatchObject({
      MWAN_KIND: "outage",
      MWAN_RESULT: "",
      MWAN_FROM: CABLE.name,
      MWAN_TO: "",
      MWAN_ACTIVE: CABLE.name,
      MWAN_ERROR: "",
    });
    expect(outage?.MWAN_REASON).toMatch(/^no working uplink \(dsl, cable failed\)/);
    for (const e of [...busy, ...quick]) expect(Object.values(e)).not.toContain("UNSET");
    expect(rig.read("10-busy.out")).not.toContain("unset");
    expect(rig.log()).not.toMatch(/still running|dropped the oldest/);
    // 30-off: the events went by it, and the log said why once.
    expect(rig.log().match(/events\.d: \S+\/30-off not run: not executable$/gm)).toHaveLength(1);
  }, 40_000);
});

describe.skipIf(skipNetTests())("events past the queue's bound", () => {
  const GHOST = { name: "usb", device: "eth5", mac: "52:54:00:00:00:cc" };
  let rig: DaemonRig;
  beforeAll(async () => {
    rig = await DaemonRig.create();
    // A backup on a USB NIC, then unplugged: every switch to it is refused
    // at once, RED untouched, and told as a failed switch.
    rig.s.device(GHOST.device, { mac: GHOST.mac });
    await rig.ok("profile", "create", GHOST.name, "--type", "dhcp", "--device", GHOST.device);
    rmSync(rig.path(`sys/class/net/${GHOST.device}`), { recursive: true, force: true });
    recorder(rig, "10-busy");
    await rig.start();
  }, 30_000);
  afterAll(async () => {
    rmSync(rig?.path("10-busy.gate"), { force: true });
    await rig?.cleanup();
  });

  test("a refused switch is told as failed, with why, and RED where it stayed", async () => {
    const r = await rig.mwan("switch", GHOST.name);
    if (r.code !== 1) throw new Error(`exit ${r.code}: ${r.stdout}${r.stderr}\n${rig.logTail()}`);
    await rig.waitFor(() => told(rig, "10-busy").length > 0, 5000, "the event");
    const [e] = told(rig, "10-busy");
    expect(e).toMatchObject({
      MWAN_SEQ: "1",
      MWAN_EVENT: "failover",
      MWAN_KIND: "operator",
      MWAN_RESULT: "failed",
      MWAN_FROM: PRIMARY.name,
      MWAN_TO: GHOST.name,
      MWAN_ACTIVE: PRIMARY.name,
      MWAN_REASON: `operator: switch to ${GHOST.name} and hold`,
    });
    expect(e?.MWAN_ERROR).toMatch(new RegExp(`^profiles/${GHOST.name}: .*; RED stays on ${PRIMARY.name}$`));
  }, 20_000);

  test(`a script kept busy loses only the oldest waiting event past ${QUEUE_LIMIT}, and says so`, async () => {
    writeFileSync(rig.path("10-busy.gate"), "");
    const sent = QUEUE_LIMIT + 2; // one being delivered, 64 waiting, one more
    for (let i = 0; i < sent; i++) expectExit(await rig.mwan("switch", GHOST.name), 1);
    const line = await rig.waitLog(/10-busy: 64 events waiting; dropped the oldest/, 5000);
    const lost = Number(/failover #(\d+) of /.exec(line)?.[1]);
    rmSync(rig.path("10-busy.gate"));
    const last = `${sent + 1}`;
    await rig.waitFor(
      () => told(rig, "10-busy").some((e) => e.MWAN_SEQ === last),
      10_000,
      "the last event at 10-busy",
    );
    const seqs = told(rig, "10-busy").map((e) => Number(e.MWAN_SEQ));
    const all = Array.from({ length: sent + 1 }, (_, i) => i + 1);
    expect(seqs).toEqual(all.filter((n) => n !== lost));
    expect(rig.log().match(/dropped the oldest/g)).toHaveLength(1);
    expect(rig.heldProfile()).toBe(PRIMARY.name);
  }, 90_000);

  test("a stopping daemon waits 2 s for a busy script, then kills it and says what was not delivered", async () => {
    writeFileSync(rig.path("10-busy.gate"), "");
    const before = told(rig, "10-busy").length;
    expectExit(await rig.mwan("switch", GHOST.name), 1);
    expectExit(await rig.mwan("switch", GHOST.name), 1);
    await rig.waitFor(() => told(rig, "10-busy").length > before, 5000, "the script busy");
    const started = performance.now();
    expectExit(await rig.mwan("daemon", "stop"), 0);
    expect(performance.now() - started).toBeLessThan(8000);
    expect(rig.log()).toMatch(
      /events: stopping with 2 event\(s\) not delivered; what runs for them is killed/,
    );
    expect(rig.log()).toMatch(/events\.d: .*10-busy killed: mwan is stopping/);
    expect(eventScriptsRunning(rig.root)).toEqual([]);
  }, 30_000);
});

// Live processes with an event's environment, started for this root.
function eventScriptsRunning(root: string): string[] {
  return readdirSync("/proc").filter((d) => {
    if (!/^\d+$/.test(d) || !alive(Number(d))) return false;
    try {
      const env = readFileSync(`/proc/${d}/environ`, "utf8");
      return env.includes(`MWAN_STANDIN_ROOT=${root}\0`) && env.includes("\0MWAN_SEQ=");
    } catch {
      return false;
    }
  });
}
