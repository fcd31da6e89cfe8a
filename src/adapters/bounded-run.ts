// Running a program mwan does not control (an admin's event script, dma's
// sendmail) so that it cannot hold anything up: in its own process group,
// killed with everything it started when it outlives its timeout or exits
// leaving children behind (a curl to a dead webhook put in the background).

import { signal } from "./processes.ts";

export interface BoundedRun {
  code: number | null; // null: killed (`killed` says why)
  killed?: "timeout" | "stopped";
  ms: number;
  stderr: string; // its last line, at most 200 characters
  timeoutMs: number;
}

export interface BoundedOptions {
  env: Record<string, string>;
  stdin?: string;
  timeoutMs: number;
  // Aborted: killed at once, as at the timeout (the daemon is stopping).
  stop?: AbortSignal;
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
  let killed: BoundedRun["killed"];
  const kill = (why: NonNullable<BoundedRun["killed"]>) => () => {
    killed ??= why;
    signal(-child.pid, "SIGKILL");
  };
  const timer = setTimeout(kill("timeout"), opts.timeoutMs);
  const onStop = kill("stopped");
  if (opts.stop?.aborted) onStop();
  opts.stop?.addEventListener("abort", onStop, { once: true });
  const stderr = new Response(child.stderr).text().catch(() => "");
  const code = await child.exited;
  clearTimeout(timer);
  opts.stop?.removeEventListener("abort", onStop);
  signal(-child.pid, "SIGKILL"); // leftovers it put in the background
  const ms = performance.now() - started;
  // A child that left the group may still hold the pipe: its words are not
  // worth waiting for.
  const text = await Promise.race([stderr, Bun.sleep(STDERR_GRACE_MS).then(() => "")]);
  const last = text.trim().split("\n").at(-1)?.slice(0, 200) ?? "";
  return killed
    ? { code: null, killed, ms, stderr: last, timeoutMs: opts.timeoutMs }
    : { code, ms, stderr: last, timeoutMs: opts.timeoutMs };
}

// One line on how a run ended, for the log and `mwan events test`.
export function runOutcome(r: BoundedRun): string {
  if (r.killed === "stopped") return "killed: mwan is stopping";
  if (r.code === null) return `killed after ${r.timeoutMs / 1000} s`;
  return `exited ${r.code}${r.code !== 0 && r.stderr ? `: ${r.stderr}` : ""}`;
}
