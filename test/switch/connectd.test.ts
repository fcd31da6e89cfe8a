// TEST CODE: connectd (contract §0.9, §3). A switch away from PPPoE stops the
// root's connectd by PID before `network stop red`; other processes that are
// merely called connectd survive.

import { afterEach, beforeEach, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "bun";
import { isRunning, PPPOE, Rig, STATIC, upProblems } from "./rig.ts";

const SLOW = 30_000;

let rig: Rig;
let decoyDir: string;
const decoys: number[] = [];

beforeEach(async () => {
  // At time scale 1, connectd polls every 5 s: it is still running, in its
  // synchronous `connectd start` loop, when mwan's PPPoE switch returns.
  rig = await Rig.create({ delay: 0.05, timeScale: 1 });
  decoyDir = mkdtempSync(join(tmpdir(), "mwan-decoy-"));
});
afterEach(async () => {
  for (const pid of decoys.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone: that is what a failing test reports
    }
  }
  rmSync(decoyDir, { recursive: true, force: true });
  await rig?.cleanup();
});

// A bash script named connectd (so its comm is "connectd") that just waits.
function decoy(...args: string[]): number {
  const script = join(decoyDir, "connectd");
  const fifo = join(decoyDir, "wait.fifo");
  spawnSync(["mkfifo", fifo]);
  writeFileSync(script, `#!/bin/bash\n# TEST CODE: decoy connectd\nread -r -t 300 _ <>'${fifo}'\n`);
  chmodSync(script, 0o755);
  const p = Bun.spawn([script, ...args], {
    stdio: ["ignore", "ignore", "ignore"],
  });
  decoys.push(p.pid);
  return p.pid;
}

async function commOf(pid: number): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const comm = await Bun.file(`/proc/${pid}/comm`)
      .text()
      .catch(() => "");
    if (comm.trim() === "connectd") return "connectd";
    await Bun.sleep(25);
  }
  return "?";
}

test(
  "a switch away from PPPoE stops connectd by PID, and only it",
  async () => {
    const other = decoy();
    expect(await commOf(other)).toBe("connectd");

    expect((await rig.mwan("switch", PPPOE.name)).code).toBe(0);
    // mwan's switch returns only when `network start red` is done, and by
    // then connectd has seen red/active and left (contract §3), as on IPFire.
    const connectd = rig.s.connectdPids();
    // What pppd's ip-down starts: once pppd is gone it would run
    // `network restart red` behind mwan's back.
    const reconnect = Bun.spawn([rig.s.connectd, "reconnect"], {
      stdio: ["ignore", "ignore", "ignore"],
    });
    expect(await commOf(reconnect.pid)).toBe("connectd");
    await rig.s.waitFor(() => rig.s.connectdPids().includes(reconnect.pid), 2000, "connectd reconnect");

    const runs = rig.networkRuns().length;
    const r = await rig.mwan("switch", STATIC.name);
    expect(r.code).toBe(0);
    for (const pid of [...connectd, reconnect.pid]) {
      expect(r.stdout).toContain(`${pid}`);
      expect(isRunning(pid)).toBe(false);
    }
    expect(isRunning(other)).toBe(true);

    // connectd never got to act: no `network` run but mwan's two.
    await Bun.sleep(500);
    expect(rig.networkRuns(runs).map((x) => x.argv)).toEqual([
      ["stop", "red"],
      ["start", "red"],
    ]);
    expect(upProblems(rig, STATIC, STATIC.ifname)).toEqual([]);
  },
  SLOW,
);
