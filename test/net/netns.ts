// Throwaway network namespaces for tests that need real packets. Every
// namespace is named mwt<pid>-<counter>-<label>, so parallel runs and leftovers
// of a crashed run never collide, and cleanup only ever touches what this
// process made: its namespaces (with the veths inside) and the processes it
// started in them, killed by pid.

import type { Subprocess } from "bun";

export type NetnsSupport = { ok: true } | { ok: false; reason: string };

let support: NetnsSupport | undefined;

// Whether this machine can run the network tests: root and a working
// `ip netns`. Checked once, by making and deleting a namespace. With
// MWAN_REQUIRE_NETNS=1 (CI) a missing capability is an error, not a skip.
export function netnsSupport(): NetnsSupport {
  support ??= detect();
  if (!support.ok && process.env.MWAN_REQUIRE_NETNS === "1")
    throw new Error(`network tests required (MWAN_REQUIRE_NETNS=1) but ${support.reason}`);
  return support;
}

function detect(): NetnsSupport {
  if (process.getuid?.() !== 0) return { ok: false, reason: "not running as root" };
  if (Bun.which("ip") === null) return { ok: false, reason: "`ip` (iproute2) is not installed" };
  const name = `mwt${process.pid}-check`;
  const add = Bun.spawnSync(["ip", "netns", "add", name], { stderr: "pipe" });
  if (add.exitCode !== 0)
    return {
      ok: false,
      reason: `\`ip netns add\` failed: ${add.stderr.toString().trim()}`,
    };
  Bun.spawnSync(["ip", "netns", "del", name]);
  return { ok: true };
}

// For describe.skipIf: says once why the tests are skipped.
export function skipNetTests(): boolean {
  const s = netnsSupport();
  if (!s.ok) console.warn(`skipping network namespace tests: ${s.reason}`);
  return !s.ok;
}

export type RunResult = { code: number; stdout: string; stderr: string };

let counter = 0;
// Namespaces not yet deleted, across all labs: the exit hook's safety net.
const live = new Set<string>();
let exitHookInstalled = false;

export class Lab {
  private readonly namespaces: string[] = [];
  private readonly processes: Subprocess[] = [];

  // Creates a namespace with lo up and returns its name.
  async ns(label: string): Promise<string> {
    const name = `mwt${process.pid}-${++counter}-${label}`;
    installExitHook();
    await run(["ip", "netns", "add", name]);
    this.namespaces.push(name);
    live.add(name);
    await this.ip(name, "link", "set", "lo", "up");
    return name;
  }

  // A veth pair created directly inside the two namespaces, so its ends can
  // carry fixed names (red0) without clashing with the host or other labs.
  async veth(a: End, b: End): Promise<void> {
    await this.ip(a.ns, "link", "add", a.name, "type", "veth", "peer", "name", b.name, "netns", b.ns);
    for (const end of [a, b]) {
      if (end.address) await this.ip(end.ns, "addr", "add", end.address, "dev", end.name);
      await this.ip(end.ns, "link", "set", end.name, "up");
    }
  }

  // `ip -n <ns> …`, failing the test on a non-zero exit.
  ip(ns: string, ...args: string[]): Promise<RunResult> {
    return run(["ip", "-n", ns, ...args]);
  }

  // The argv prefix that runs a command inside a namespace.
  wrap(ns: string): string[] {
    return ["ip", "netns", "exec", ns];
  }

  // Runs a command to completion inside a namespace; the caller judges the exit code.
  exec(ns: string, argv: string[], stdin?: string): Promise<RunResult> {
    return run([...this.wrap(ns), ...argv], { check: false, stdin });
  }

  // Starts a long-running process (a server) inside a namespace; cleanup kills it.
  spawn(ns: string, argv: string[]): Subprocess {
    const proc = Bun.spawn([...this.wrap(ns), ...argv], {
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    });
    this.processes.push(proc);
    return proc;
  }

  // Kills this lab's processes, then deletes its namespaces (which removes the
  // veths in them). Safe to call twice and after a failed setup.
  async cleanup(): Promise<void> {
    for (const proc of this.processes.splice(0)) {
      proc.kill("SIGTERM");
      const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(2000).then(() => false)]);
      if (!exited) {
        proc.kill("SIGKILL");
        await proc.exited;
      }
    }
    for (const name of this.namespaces.splice(0)) {
      await run(["ip", "netns", "del", name], { check: false });
      live.delete(name);
    }
  }
}

export type End = { ns: string; name: string; address?: string };

async function run(argv: string[], opts: { check?: boolean; stdin?: string } = {}): Promise<RunResult> {
  const proc = Bun.spawn(argv, {
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (opts.check !== false && code !== 0)
    throw new Error(`${argv.join(" ")} failed (${code}): ${stderr.trim()}`);
  return { code, stdout, stderr };
}

// afterAll does not run when the test process dies on its own; this deletes
// whatever namespaces are left so no run litters the host.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const name of live) Bun.spawnSync(["ip", "netns", "del", name]);
  });
}
