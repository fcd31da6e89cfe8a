// Runs one short-lived probe tool (ping, curl) with a hard deadline. The tool's
// own timeout flags are the first line of defence; this kill is the second, for
// a tool that hangs (a stuck name lookup, a wedged driver) so that a probe can
// never outlive its slot and pile up behind the next round.

export type CommandOutcome =
  | { kind: "exited"; code: number; stdout: string; stderr: string }
  | { kind: "killed"; by: "timeout" | "abort" | "signal"; signal: string }
  | { kind: "not-started"; error: string };

export async function runCommand(
  argv: string[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<CommandOutcome> {
  if (signal?.aborted) return { kind: "killed", by: "abort", signal: "" };
  const started = performance.now();
  let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  try {
    // Bun owns the timer behind `timeout` and drops it when the child exits,
    // so no timer outlives the probe. SIGKILL: a hung tool may ignore SIGTERM.
    proc = Bun.spawn(argv, {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      timeout: Math.max(1, Math.round(timeoutMs)),
      killSignal: "SIGKILL",
      signal,
    });
  } catch (e) {
    // A missing executable throws here, synchronously, rather than exiting 127.
    return {
      kind: "not-started",
      error: e instanceof Error ? e.message : String(e),
    };
  }
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (proc.signalCode !== null) {
    const by = signal?.aborted ? "abort" : performance.now() - started >= timeoutMs ? "timeout" : "signal";
    return { kind: "killed", by, signal: String(proc.signalCode) };
  }
  return { kind: "exited", code, stdout, stderr };
}

// How a killed probe tool reads in a result: our deadline is a timeout, the
// daemon shutting down is an abort, anything else killed it from outside.
export function killedVerdict(
  tool: string,
  out: Extract<CommandOutcome, { kind: "killed" }>,
  limitMs: number,
): { ok: false; fault: "timeout" | "error"; error: string } {
  switch (out.by) {
    case "timeout":
      return {
        ok: false,
        fault: "timeout",
        error: `${tool} hung; killed after ${limitMs} ms`,
      };
    case "abort":
      return { ok: false, fault: "error", error: "aborted" };
    case "signal":
      return {
        ok: false,
        fault: "error",
        error: `${tool} killed by ${out.signal}`,
      };
  }
}

// The last non-empty line of a tool's stderr: where ping and curl put the reason.
export function lastLine(text: string): string {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  return (lines[lines.length - 1] ?? "").trim();
}

// A configured tool that is not there is a setup problem worth saying plainly,
// not a network failure. Bun.which accepts both bare names and absolute paths.
export function toolMissing(tool: string): string | null {
  return Bun.which(tool) === null ? `${tool} not found or not executable` : null;
}
