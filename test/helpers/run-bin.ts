// Runs the compiled mwan binary the way IPFire and scripts do: no terminal
// anywhere (stdio are pipes or /dev/null, and a new session without a
// controlling TTY), a clean environment, and a deadline, because a command
// that waits for input it will never get is a bug, not a slow test.

import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  // MWAN_ROOT for the child; left unset when undefined.
  root?: string;
  env?: Record<string, string>;
  // Text fed to stdin and then closed; "open" is a pipe that never closes
  // (a script that forgot to close it); default /dev/null.
  stdin?: string | "open";
  // Path to execute instead of the binary (a symlink to it, for dispatch).
  exe?: string;
  // A command that runs the binary, e.g. unshare with a read-only mount.
  prefix?: string[];
  timeoutMs?: number;
  // Working directory (default: the test runner's).
  cwd?: string;
}

// One run is ~20–40 ms; the deadline only has to catch a hang, and comes
// before bun's 5 s per-test limit so the failure says which command hung.
const TIMEOUT_MS = 3000;

let bin: string | undefined;

// The binary under test. A missing MWAN_BIN must fail the suite, not
// silently test something else.
export function mwanBin(): string {
  if (bin) return bin;
  const given = process.env.MWAN_BIN;
  if (!given)
    throw new Error(
      "MWAN_BIN is not set: build first (make build) and run with MWAN_BIN=build/dist/mwan-$(uname -m)",
    );
  const path = isAbsolute(given) ? given : resolve(given);
  if (!existsSync(path)) throw new Error(`MWAN_BIN=${given}: no such file (run make build)`);
  bin = path;
  return path;
}

export async function run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const exe = opts.exe ?? mwanBin();
  const env: Record<string, string> = {
    PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
    // Plain text whatever the stream; cli.ts strips colour off a pipe anyway.
    NO_COLOR: "1",
    ...(opts.root !== undefined ? { MWAN_ROOT: opts.root } : {}),
    ...opts.env,
  };
  const stdin =
    opts.stdin === undefined
      ? Bun.file("/dev/null")
      : opts.stdin === "open"
        ? "pipe"
        : new TextEncoder().encode(opts.stdin);
  const started = performance.now();
  const proc = Bun.spawn([...(opts.prefix ?? []), exe, ...args], {
    cwd: opts.cwd,
    env,
    stdin,
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  let timedOut = false;
  const timeoutMs = opts.timeoutMs ?? TIMEOUT_MS;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, timeoutMs);
  try {
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    if (timedOut)
      throw new Error(
        `mwan ${args.join(" ")} did not exit within ${timeoutMs} ms (waiting for input?)\nstderr: ${stderr}`,
      );
    return { code, stdout, stderr, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    // An "open" stdin is closed only now, after the verdict.
    if (opts.stdin === "open" && typeof proc.stdin === "object") await proc.stdin.end();
  }
}

// Shorthand for the common case: mwan [args] on a root.
export const mwan = (root: string, ...args: string[]): Promise<RunResult> => run(args, { root });

let enable: string[] | undefined;

// `mwan enable` starts the daemon where the binary has one; a test must not
// leave a daemon running on a root it is about to delete, so it turns mwan
// on with --no-start wherever that option exists.
export async function enableArgs(): Promise<string[]> {
  if (!enable) {
    const help = await run(["enable", "--help"]);
    enable = help.stdout.includes("--no-start") ? ["enable", "--no-start"] : ["enable"];
  }
  return enable;
}
