// SIGHUP: the daemon reads its files again. A broken file (an editor's
// half-saved buffer, a typo) must not take failover down: the daemon says
// which file is wrong and goes on with the configuration it has.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { skipNetTests } from "../net/netns.ts";
import { DaemonRig, ICMP_TARGETS } from "./rig.ts";

describe.skipIf(skipNetTests())("SIGHUP", () => {
  let rig: DaemonRig;
  let pid: number;
  beforeAll(async () => {
    rig = await DaemonRig.create();
    pid = await rig.start();
  });
  afterAll(() => rig?.cleanup());

  // The daemon is alive and still probing: a newer status.json than `since`
  // with more probes sent than `sent`.
  async function stillProbing(): Promise<void> {
    const before = rig.snapshot();
    const sent = before?.targets[0]?.sent ?? 0;
    const since = before?.writtenAt ?? 0;
    await rig.waitFor(
      () => {
        const now = rig.snapshot();
        return (now?.writtenAt ?? 0) > since && (now?.targets[0]?.sent ?? 0) > sent;
      },
      5000,
      "a newer status.json with more probes sent",
    );
    expect(rig.daemonPid()).toBe(pid);
    expect(rig.snapshot()?.health.state).toBe("up");
  }

  const targetsProbed = () => rig.snapshot()?.targets.map((t) => t.target.replace(/^icmp:/, ""));

  for (const [file, display] of [
    ["var/ipfire/mwan/settings", /settings:\d+: not a KEY=VALUE line/],
    ["var/ipfire/mwan/profiles/cable", /profiles\/cable:\d+: not a KEY=VALUE line/],
  ] as const) {
    test(`garbage in ${file.replace("var/ipfire/mwan/", "")}: not reloaded, named, old configuration goes on`, async () => {
      const good = rig.read(file) as string;
      writeFileSync(rig.path(file), `${good}garbage\n`);
      try {
        const mark = rig.logMark();
        process.kill(pid, "SIGHUP");
        const line = await rig.waitLog(/not reloaded/, 3000, mark);
        expect(line).toMatch(/ERROR +configuration not reloaded, the previous one stays in force: /);
        expect(line).toMatch(display);
        await stillProbing();
        expect(targetsProbed()).toEqual(ICMP_TARGETS);
      } finally {
        writeFileSync(rig.path(file), good);
      }
    });
  }

  // The command that changed a file hears why the daemon kept its
  // configuration: a line per problem, for an 80-column console.
  test("a config set the daemon cannot take names each problem on its own line", async () => {
    const file = "var/ipfire/mwan/profiles/cable";
    const good = rig.read(file) as string;
    writeFileSync(rig.path(file), `${good}PRIORITY=0\nFOO=1\n`);
    try {
      const r = await rig.mwan("config", "set", "LOG_LEVEL", "info");
      expect(r.code).toBe(0);
      const lines = r.stderr.trimEnd().split("\n");
      const at = lines.indexOf("mwan: the running daemon keeps its configuration:");
      expect(at).toBeGreaterThanOrEqual(0);
      expect(lines.slice(at + 1)).toEqual([
        expect.stringMatching(/^mwan: profiles\/cable: /),
        expect.stringMatching(/^mwan: profiles\/cable: /),
      ]);
      await stillProbing();
    } finally {
      writeFileSync(rig.path(file), good);
    }
  });

  test("SIGHUP after the fix reloads, and the new settings are in force", async () => {
    // One target fewer, so the reload shows in what is probed.
    await rig.ok("config", "set", "PROBE_TARGETS", ICMP_TARGETS.slice(0, 2).join(","));
    const mark = rig.logMark();
    process.kill(pid, "SIGHUP");
    expect(await rig.waitLog(/configuration reloaded/, 3000, mark)).toMatch(
      /INFO +configuration reloaded: primary dsl, 1 backup\(s\)/,
    );
    await rig.waitFor(
      () => JSON.stringify(targetsProbed()) === JSON.stringify(ICMP_TARGETS.slice(0, 2)),
      5000,
      "the two targets left to be probed",
    );
    await rig.waitLog(/ is up: /, 10_000, mark);
    await stillProbing();
    expect(rig.history()).toEqual([]); // a reload is no reason to switch
  });
});
