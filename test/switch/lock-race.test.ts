// Taking over a stale switch lock is race-free (src/switching/lock.ts): with
// many takers at once, never two hold it, and every one gets it in turn.
// Each taker is a real process (lock-taker.ts) racing on a real directory.

import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { cleanup, makeTempDir } from "../helpers/temp-root.ts";

afterEach(cleanup);

const TAKERS = 24;
const TAKER = join(import.meta.dir, "lock-taker.ts");

function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] as string;
}

async function deadPid(): Promise<number> {
  const p = Bun.spawn(["true"]);
  await p.exited;
  return p.pid;
}

// Starts the takers, lets them go at once, and returns the log once all ended.
async function race(root: string, n: number, before?: (pids: number[]) => void): Promise<string[]> {
  const log = join(root, "log");
  const go = join(root, "go");
  writeFileSync(log, "");
  const takers = Array.from({ length: n }, () =>
    Bun.spawn([process.execPath, TAKER, root, log, go], { stdout: "ignore", stderr: "pipe" }),
  );
  await Bun.sleep(300); // all are waiting for GO
  before?.(takers.map((t) => t.pid));
  writeFileSync(go, "");
  const codes = await Promise.all(takers.map((t) => t.exited));
  expect(codes.every((c) => c === 0)).toBe(true);
  return readFileSync(log, "utf8").trimEnd().split("\n");
}

// Holds when the log is n clean turns: "in P" always followed by "out P".
function turnProblems(lines: string[], n: number): string[] {
  const problems = lines.filter((l) => l.startsWith("error")).slice(0, 3);
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [inn, out] = [lines[i] as string, lines[i + 1] as string];
    if (!inn.startsWith("in ") || out !== `out ${inn.slice(3)}`) {
      problems.push(`two held it at once: ${lines.slice(i, i + 3).join(", ")}`);
      break;
    }
  }
  if (lines.length !== 2 * n) problems.push(`${lines.length / 2} turns instead of ${n}`);
  return problems;
}

function stateDir(root: string): string {
  const dir = join(root, "var/ipfire/mwan/state");
  mkdirSync(dir, { recursive: true });
  return dir;
}

test(`${TAKERS} takers of a stale lock, 8 times: one at a time, each in turn, nothing left behind`, async () => {
  for (let trial = 0; trial < 8; trial++) {
    const root = makeTempDir();
    writeFileSync(join(stateDir(root), "lock"), `${await deadPid()} 1\n`);
    expect(turnProblems(await race(root, TAKERS), TAKERS)).toEqual([]);
    expect(readdirSync(stateDir(root))).toEqual([]);
  }
}, 120_000);

test("a taker that died while taking the lock over does not block the others", async () => {
  const root = makeTempDir();
  const stale = `${await deadPid()} 1\n`;
  writeFileSync(join(stateDir(root), "lock"), stale);
  const digest = createHash("sha256").update(stale).digest("hex").slice(0, 16);
  writeFileSync(join(stateDir(root), `lock.stale-${digest}`), `${await deadPid()} 1 - x\n`);
  expect(turnProblems(await race(root, 6), 6)).toEqual([]);
  expect(readdirSync(stateDir(root))).toEqual([]);
});

test("a lock that names the taker itself is no lock it holds: it is taken over", async () => {
  const root = makeTempDir();
  const lines = await race(root, 1, ([pid]) => {
    // What a forged lock naming the daemon looks like to the daemon.
    writeFileSync(join(stateDir(root), "lock"), `${pid} ${startTime(pid as number)}\n`);
  });
  expect(turnProblems(lines, 1)).toEqual([]);
  expect(existsSync(join(stateDir(root), "lock"))).toBe(false);
});
