// IPFire's own ip (below the root, as src/adapters/nics.ts calls it) with an
// argument array: no shell ever sees a profile's value. Async, bounded: a
// hung ip must not hold up the side watch.

import type { Paths } from "../paths.ts";

export interface IpResult {
  ok: boolean;
  stdout: string;
  error: string;
}

const IP_TIMEOUT_MS = 3000;

export async function ip(paths: Paths, args: string[]): Promise<IpResult> {
  try {
    const child = Bun.spawn([paths.ip, ...args], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      timeout: IP_TIMEOUT_MS,
      killSignal: "SIGKILL",
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    return { ok: code === 0, stdout, error: stderr.trim().split("\n").at(-1) ?? "" };
  } catch {
    return { ok: false, stdout: "", error: `${paths.display(paths.ip)} is not available` };
  }
}
