// Running a program mwan does not control (an admin's event script, dma's
// sendmail) so that it cannot hold anything up: in its own process group,
// killed with everything it started when it outlives its timeout or exits
// leaving children behind (a curl to a dead webhook put in the background).

import { signal } from "./processes.ts";

export interface BoundedRun {
  code: number | null; // null: killed at the timeout
  ms: number;
  stderr: string; // its last line, at most 200 characters
  timeoutMs: number;
}

export interface BoundedOptions {
  env: Record<string, string>;
  stdin?: string;
  timeoutMs: number;
}

// PATH fixed: an event must not run whatever a caller's PATH finds first.
export const RUN_PATH = "/usr/local/bin:/usr/local/sbin:/sbin:/usr/sbin:/bin:/usr/bin";

const STDERR_GRACE_MS = 500;

// Rejects only when the program cannot be started at all.
export async function runBounded(argv: string[], opts: BoundedOptions): Promise<BoundedRun> {
  const started = performance.now();
  const child = Bun.spawn(argv, {
    cwd: "/",
    env: { PATH: RUN_PATH, ...opts.env },
    stdin: opts.stdin === undefined ? "ignore" : new Blob([opts.stdin]),
    stdout: "ignore",
    stderr: "pipe",
    detached: true,
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    signal(-child.pid, "SIGKILL");
  }, opts.timeoutMs);
  const stderr = new Response(child.stderr).text().catch(() => "");
  const code = await child.exited;
  clearTimeout(timer);
  signal(-child.pid, "SIGKILL"); // leftovers it put in the background
  const ms = performance.now() - started;
  // A child that left the group may still hold the pipe: its words are not
  // worth waiting for.
  const text = await Promise.race([stderr, Bun.sleep(STDERR_GRACE_MS).then(() => "")]);
  const last = text.trim().split("\n").at(-1)?.slice(0, 200) ?? "";
  return { code: killed ? null : code, ms, stderr: last, timeoutMs: opts.timeoutMs };
}

// One line on how a run ended, for the log and `mwan events test`.
export function runOutcome(r: BoundedRun): string {
  if (r.code === null) return `killed after ${r.timeoutMs / 1000} s`;
  return `exited ${r.code}${r.code !== 0 && r.stderr ? `: ${r.stderr}` : ""}`;
}
