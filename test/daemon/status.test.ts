// What `mwan status`, `mwan history` and the log tell the admin, with a
// running daemon against the stand-in IPFire: a hold that outlives restarts
// and shows at once, a first line in plain words, a total outage told once
// and without mwan's internal option names, the whole story of a switch.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, statSync } from "node:fs";
import { EXIT, expectExit, expectOk } from "../helpers/expect-cli.ts";
import { skipNetTests } from "../net/netns.ts";
import { CABLE, DaemonRig, MWAN_BIN, PRIMARY } from "./rig.ts";

const FAILBACK_DELAY_S = 5;
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)/;
const firstLine = (text: string) => text.split("\n")[0] ?? "";

describe.skipIf(skipNetTests())("hold and resume, as the admin meets them", () => {
  let rig: DaemonRig;
  let pid: number;
  beforeAll(async () => {
    rig = await DaemonRig.create({ settings: { FAILBACK_DELAY: `${FAILBACK_DELAY_S}` } });
    pid = await rig.start();
  }, 30_000);
  afterAll(() => rig?.cleanup());

  test("mwan hold: the very next status says so on its first line, and the log in words", async () => {
    const mark = rig.logMark();
    const r = await rig.mwan("hold");
    expectOk(r);
    expect(r.stdout).toBe(`held: RED stays on ${PRIMARY.name} until mwan resume\n`);
    // No sleep: the command returns once the daemon's status shows it.
    const s = await rig.mwan("status");
    expectOk(s);
    expect(firstLine(s.stdout)).toBe(
      `held on ${PRIMARY.name} by the admin (mwan resume to let mwan switch again)`,
    );
    expect(s.stdout).toMatch(
      new RegExp(`^held +by the admin since ${ISO.source} \\(mwan resume ends it\\)$`, "m"),
    );
    expect(rig.log().slice(mark)).toContain(
      `INFO  admin: hold (RED stays on ${PRIMARY.name} until mwan resume)`,
    );
    expect(rig.log()).not.toContain('{"kind"');
  });

  test("mwan switch while held: held on the backup; mwan daemon start says it already runs", async () => {
    expectOk(await rig.mwan("switch", CABLE.name));
    const s = await rig.mwan("status");
    expect(firstLine(s.stdout)).toBe(`held on ${CABLE.name} by the admin (mwan resume to let it fail back)`);
    // RED holds cable's configuration, as mwan believes: no warning.
    expect(s.stdout).not.toContain("warning:");
    const start = await rig.mwan("daemon", "start");
    expectOk(start);
    expect(start.stdout).toBe(`the daemon is already running (pid ${pid})\n`);
  });

  test("the hold outlives mwan daemon restart: no failback trial after it", async () => {
    const hold = rig.path("var/ipfire/mwan/state/hold");
    expect(statSync(hold).uid).toBe(0);
    expect(statSync(hold).mode & 0o022).toBe(0);
    expectOk(await rig.mwan("daemon", "restart"));
    const n = rig.history().length;
    await rig.waitFor(() => rig.snapshot()?.pid === rig.daemonPid(), 5000, "the new daemon's status");
    expect(rig.snapshot()?.hold).toBe(true);
    expect(firstLine((await rig.mwan("status")).stdout)).toMatch(/^held on cable by the admin/);
    await Bun.sleep((FAILBACK_DELAY_S + 3) * 1000);
    expect(rig.history().slice(n)).toEqual([]);
    expect(rig.heldProfile()).toBe(CABLE.name);
  }, 20_000);

  test("mwan config set returns once the daemon re-read it; the reload does not reset 'since'", async () => {
    const before = JSON.parse((await rig.mwan("status", "--json")).stdout).activeSince;
    expect(before).toMatch(ISO);
    await Bun.sleep(1100);
    const mark = rig.logMark();
    const set = await rig.mwan("config", "set", "FAILBACK_DELAY", `${FAILBACK_DELAY_S + 1}`);
    expectOk(set);
    // It returns once the daemon has re-read it: no waiting here.
    expect(set.stderr).toContain("the running daemon re-read its configuration");
    expect(rig.log().slice(mark)).toContain("configuration reloaded");
    expect(JSON.parse((await rig.mwan("status", "--json")).stdout).activeSince).toBe(before);
  });

  test("mwan resume: the hold is gone at once, and mwan fails back on its own", async () => {
    const n = rig.history().length;
    const r = await rig.mwan("resume");
    expectOk(r);
    expect(r.stdout).toBe("resumed: mwan switches RED automatically again\n");
    expect(firstLine((await rig.mwan("status")).stdout)).not.toMatch(/held/);
    expect(existsSync(rig.path("var/ipfire/mwan/state/hold"))).toBe(false);
    await rig.switchedTo(PRIMARY.name, n, (FAILBACK_DELAY_S + 10) * 1000);
  }, 20_000);

  test("mwan hold while a switch runs: refused, saying why in words", async () => {
    rig.s.configure({ delay: 2 });
    const switching = rig.mwan("switch", CABLE.name);
    await rig.waitFor(() => (rig.snapshot()?.inFlight ?? null) !== null, 5000, "the switch under way");
    const r = await rig.mwan("hold");
    expectExit(r, EXIT.failure);
    expect(r.stderr).toBe("mwan: hold refused: a switch is in progress\n");
    expectOk(await switching);
    rig.s.configure({ delay: 0.1 });
  }, 20_000);

  test("the daemon stopped while mwan is enabled: status warns and exits 3", async () => {
    expectOk(await rig.mwan("daemon", "stop"));
    const s = await rig.mwan("status");
    expectExit(s, EXIT.config);
    expect(firstLine(s.stdout)).toBe(
      "the daemon is not running: nothing will fail over or back (mwan daemon start)",
    );
  });
});

describe.skipIf(skipNetTests())("a total outage, as status and history tell it", () => {
  let rig: DaemonRig;
  beforeAll(async () => {
    rig = await DaemonRig.create({ settings: { SWITCH_UP_TIMEOUT: "5" } });
    await rig.start();
    rig.s.configure({ delay: 0.1, fail: ["STATIC"] }); // cable never comes up
    await rig.blackHole(true);
    await rig.waitFor(
      () => (rig.snapshot()?.rescue?.retryAt ?? null) !== null,
      20_000,
      "every profile failed",
    );
  }, 60_000);
  afterAll(() => rig?.cleanup());

  test("status's first line says what is wrong and what mwan does, each reason once, 80 columns", async () => {
    const s = await rig.mwan("status");
    expectOk(s);
    expect(firstLine(s.stdout)).toMatch(/^no working uplink: dsl, cable failed; next attempt in \d+s$/);
    expect(s.stdout).not.toContain("--no-rollback");
    expect(s.stdout).not.toMatch(/^why /m);
    // The switch that failed is told once, whole, on its own lines.
    expect(s.stdout.split("did not come up").length - 1).toBe(1);
    expect(s.stdout.split("\n").filter((l) => l.length > 80)).toEqual([]);
    expect(s.stdout).toMatch(new RegExp(`^  ${ISO.source}  dsl -> cable  FAILED`, "m"));
    expect(rig.log()).not.toContain("--no-rollback");
  });

  test("status --json: one schema, a version, history once, no RED twice", async () => {
    const j = JSON.parse((await rig.mwan("status", "--json")).stdout);
    expect(j.version).toBe(1);
    expect(j.headline).toMatch(/^no working uplink/);
    expect(Object.keys(j)).not.toContain("live");
    expect(Object.keys(j)).not.toContain("history");
    const failed = j.switches.recent.find((x: { ok: boolean }) => !x.ok);
    expect(failed).toMatchObject({ number: 1, from: "dsl", to: "cable", ok: false });
    expect(failed.at).toMatch(ISO);
    expect(j.noUplink.failed).toEqual(["dsl", "cable"]);
    for (const p of j.profiles) expect(typeof p.priority).toBe("number");
  });

  test("mwan history lists every switch with ISO times; mwan history 1 shows its log lines", async () => {
    const h = await rig.mwan("history");
    expectOk(h);
    expect(h.stdout).toMatch(new RegExp(`^  1  ${ISO.source}  dsl -> cable  FAILED`, "m"));
    const one = await rig.mwan("history", "1");
    expectOk(one);
    expect(one.stdout).toContain("failover: dsl -> cable: dsl down:");
    expect(one.stdout).toContain("network start red");
    expect(one.stdout).toMatch(/RED did not come up/);
    expect((await rig.mwan("history", "--switch", "1")).stdout).toBe(one.stdout);
    expectExit(await rig.mwan("history", "99"), EXIT.usage);
  });
});

// iputils ping replaced (in the daemon's own mount namespace) by one that
// cannot open its socket; the daemon run in the foreground on a terminal.
describe.skipIf(skipNetTests())("ping cannot run, and mwan daemon run on a terminal", () => {
  let rig: DaemonRig;
  let terminal: ReturnType<typeof Bun.spawn> | undefined;
  let transcript = "";
  const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  beforeAll(async () => {
    rig = await DaemonRig.create();
    const fake = rig.script("fake-ping", 'echo "ping: socket: Operation not permitted" >&2\nexit 2');
    const daemon = `mount --bind ${q(fake)} /bin/ping && exec ${q(MWAN_BIN)} --root ${q(rig.root)} daemon run`;
    const command = [
      ...rig.lab.wrap(rig.fw),
      "unshare",
      "-m",
      "--propagation",
      "private",
      "sh",
      "-c",
      daemon,
    ];
    terminal = Bun.spawn(["script", "-qec", command.map(q).join(" "), "/dev/null"], {
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", TERM: "vt100", NO_COLOR: "1" },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "ignore",
    });
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of terminal.stdout as ReadableStream<Uint8Array>)
        transcript += decoder.decode(chunk, { stream: true });
    })();
    await rig.waitFor(() => rig.daemonPid() !== undefined, 10_000, "the daemon");
  }, 30_000);
  afterAll(async () => {
    await rig?.mwan("daemon", "stop");
    terminal?.kill("SIGKILL");
    await rig?.cleanup();
  });

  test("the failure is logged once, and status says so instead of a silent 'unproven'", async () => {
    const problem = "probes cannot run: /bin/ping: ping: socket: Operation not permitted";
    await rig.waitLog(new RegExp(problem), 5000);
    await Bun.sleep(3000); // the pings are restarted every second
    expect(rig.log().split(problem).length - 1).toBe(1);
    const j = JSON.parse((await rig.mwan("status", "--json")).stdout);
    expect(j.probeProblem).toBe("/bin/ping: ping: socket: Operation not permitted");
    expect(j.headline).toBe(
      "probes cannot run (/bin/ping: ping: socket: Operation not permitted): mwan cannot tell whether dsl works",
    );
    const s = await rig.mwan("status");
    expect(s.stdout).toMatch(/^probes +cannot run: \/bin\/ping: ping: socket: Operation not permitted$/m);
  }, 15_000);

  test("mwan daemon run on a terminal shows its log lines there", () => {
    expect(transcript).toMatch(/info: started \(pid \d+\); primary dsl/);
    expect(transcript).toContain("probes cannot run");
  });
});
