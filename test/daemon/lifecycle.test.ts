// `mwan daemon start|status|stop` as the init script and a hook-spawned
// start see them. IPFire's WebUI helpers start processes with every signal
// ignored and whatever fds they had open (contract §0.11), so the daemon must
// come out of `start` as a clean process of its own.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { dirname } from "node:path";
import { EXIT, expectExit, expectOk } from "../helpers/expect-cli.ts";
import { run } from "../helpers/run-bin.ts";
import { skipNetTests } from "../net/netns.ts";
import { alive, DaemonRig, eventually, MWAN_BIN } from "./rig.ts";

// Bits of /proc/PID/status SigIgn/SigBlk (bit n-1 is signal n).
const SIGNALS = { HUP: 1, INT: 2, USR1: 10, USR2: 12, TERM: 15 } as const;

function sigMask(pid: number, field: "SigIgn" | "SigBlk"): bigint {
  const m = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return BigInt(`0x${m?.[1] ?? "0"}`);
}

const statField = (pid: number, index: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[index]);
};

describe.skipIf(skipNetTests())("daemon start, status, stop", () => {
  let rig: DaemonRig;
  let pid: number;
  const marker = () => rig.path("tmp/parent-fd-5");

  beforeAll(async () => {
    rig = await DaemonRig.create();
    mkdirSync(dirname(marker()), { recursive: true });
    // logger(1), which the daemon runs for every line: what it starts, seen from inside.
    rig.script(
      "usr/bin/logger",
      `grep -E '^Sig(Ign|Blk):' /proc/self/status >> '${rig.path("logger-masks")}'`,
    );
    // The WebUI's way: a parent with an extra fd open and signals ignored;
    // and, worse, blocked (bash's trap cannot block, so perl does it). The
    // daemon must be stoppable, and what it starts must not inherit either.
    const parent = [
      'exec 5>"$MARKER"',
      "trap '' TERM HUP INT USR1 USR2",
      `exec "${MWAN_BIN}" daemon start`,
    ].join("; ");
    const block =
      "use POSIX; sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGTERM, SIGHUP, SIGUSR1)); exec @ARGV";
    const r = await run(["-e", block, "/bin/bash", "-c", parent], {
      exe: "/usr/bin/perl",
      prefix: rig.lab.wrap(rig.fw),
      root: rig.root,
      env: { MARKER: marker() },
      timeoutMs: 10_000, // also proves start does not keep our stdout/stderr pipes open
    });
    expectOk(r);
    pid = rig.daemonPid() as number;
    expect(r.stdout).toContain(`running (pid ${pid})`);
  });
  afterAll(() => rig?.cleanup());

  test("runs in a session of its own, in /, with only its own fds", () => {
    expect(statField(pid, 3)).toBe(pid); // session id
    expect(readlinkSync(`/proc/${pid}/cwd`)).toBe("/");
    const fds = readdirSync(`/proc/${pid}/fd`).map((fd) => [fd, readlinkSync(`/proc/${pid}/fd/${fd}`)]);
    for (const fd of ["0", "1", "2"]) expect(fds.find(([n]) => n === fd)?.[1]).toBe("/dev/null");
    // The parent's fd 5 did not come along (nor its stdout/stderr pipes:
    // run() would have waited for them to close, see beforeAll).
    expect(fds.filter(([, target]) => target === marker())).toEqual([]);
  });

  // src/daemon/control.ts: the runtime settings that keep its CPU and memory
  // down (README, "Measurements"), and nothing of the parent's environment.
  test("runs with daemon start's environment only", () => {
    const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean).sort();
    expect(env).toEqual([
      "BUN_JSC_useDFGJIT=0",
      "LANG=C",
      "MIMALLOC_PURGE_DELAY=1000",
      "PATH=/usr/local/bin:/usr/local/sbin:/sbin:/usr/sbin:/bin:/usr/bin",
    ]);
  });

  test("no signal it acts on is ignored or blocked, nor in what it starts", () => {
    const masks = (rig.read("logger-masks") ?? "").split("\n").filter(Boolean);
    expect(masks.length).toBeGreaterThan(0);
    for (const line of [`SigIgn: ${sigMask(pid, "SigIgn").toString(16)}`, ...masks]) {
      const mask = BigInt(`0x${line.split(/\s+/)[1]}`);
      const bad = Object.entries(SIGNALS).filter(([, n]) => (mask >> BigInt(n - 1)) & 1n);
      expect({ line, bad }).toEqual({ line, bad: [] });
    }
  });

  test("daemon status exits 0 while it runs", async () => {
    const r = await rig.mwan("daemon", "status");
    expectOk(r);
    expect(r.stdout).toContain(`running (pid ${pid})`);
  });

  test("daemon stop ends it cleanly: log, pid file, status.json, pings", async () => {
    const pings = DaemonRig.children(pid);
    expect(pings.length).toBeGreaterThan(0);
    const mark = rig.logMark();
    const r = await rig.mwan("daemon", "stop");
    expectOk(r);
    expect(r.stdout).toContain(`stopped (pid ${pid})`);
    expect(alive(pid)).toBe(false);
    await rig.waitLog(/ stopped$/, 1000, mark);
    expect(rig.read("var/run/mwan.pid")).toBeUndefined();
    expect(rig.read("var/run/mwan/status.json")).toBeUndefined();
    expect(await eventually(() => !pings.some(alive), 2000)).toBe(true);
  });

  test("daemon status exits 3 once it is stopped", async () => {
    const r = await rig.mwan("daemon", "status");
    expectExit(r, EXIT.config);
    expect(r.stdout).toContain("not running");
  });
});
