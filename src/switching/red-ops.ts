// Taking RED down and bringing it up through IPFire's own initscript, with
// every wait bounded: IPFire has no timeouts of its own (contract §1, §3).

import { MwanError } from "../core/errors.ts";
import type { IpfireSystem } from "../adapters/ipfire-system.ts";
import { isIpv4 } from "../adapters/probe/validate.ts";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const POLL_MS = 50;

// IPFire's shutdown takes RED down itself (K80network): mwan stays out of it.
export function refuseDuringShutdown(sys: IpfireSystem): void {
  const runlevel = sys.runlevel();
  if (runlevel === "0" || runlevel === "6") {
    throw new MwanError(`the system is shutting down (runlevel ${runlevel}); RED is left as it is`);
  }
}

export type OpResult = { ok: true; detail?: string } | { ok: false; reason: string };

// Polls `done` until it holds or `ms` have passed.
async function waitFor(clock: Clock, ms: number, done: () => boolean): Promise<boolean> {
  const until = clock.now() + ms;
  for (;;) {
    if (done()) return true;
    if (clock.now() >= until) return false;
    await clock.sleep(POLL_MS);
  }
}

// Every running connectd, by PID after checking it is connectd: it would
// restart RED or copy another PPP profile over ppp/settings mid-switch (§3).
export async function stopConnectd(sys: IpfireSystem, clock: Clock): Promise<OpResult> {
  const pids = sys.connectdPids();
  if (pids.length === 0) return { ok: true, detail: "none running" };
  for (const pid of pids) sys.stop(pid, "SIGTERM");
  if (!(await waitFor(clock, 2000, () => pids.every((p) => !sys.isAlive(p))))) {
    for (const pid of pids) if (sys.isAlive(pid)) sys.stop(pid, "SIGKILL");
  }
  return { ok: true, detail: `stopped pid ${pids.join(", ")}` };
}

// IPFire has no lock of its own (contract §0.9): a `network` run mwan did not
// start (rc's S20network at boot, redctrl from the web UI, connectd's restart)
// must end before mwan runs its own. connectd is stopped on every poll, since
// a PPP `red start` starts a new one and would otherwise wait for it. A run
// still going after `ms` (a red.up hook that hangs) does not stop a failover
// for ever: the switch goes on and says so.
export async function awaitNetworkRuns(sys: IpfireSystem, clock: Clock, ms: number): Promise<OpResult> {
  const first = sys.networkRuns().map((r) => r.pid);
  if (first.length === 0) return { ok: true, detail: "none running" };
  const ended = await waitFor(clock, ms, () => {
    for (const pid of sys.connectdPids()) sys.stop(pid, "SIGTERM");
    return sys.networkRuns().length === 0;
  });
  const left = sys.networkRuns().map((r) => r.pid);
  return {
    ok: true,
    detail: ended
      ? `waited for pid ${first.join(", ")}`
      : `pid ${left.join(", ")} still running after ${ms / 1000} s; going on`,
  };
}

// A run of mwan's that outlived its time is ended, with all it started in
// its process group (the red script, the hooks it runs), and waited for: a
// leftover `network stop` that goes on would take down what comes next.
async function endRun(sys: IpfireSystem, clock: Clock, pid: number, gone: () => boolean): Promise<boolean> {
  for (const sig of ["SIGTERM", "SIGKILL"] as const) {
    sys.stop(-pid, sig);
    sys.stop(pid, sig);
    if (await waitFor(clock, sig === "SIGTERM" ? 2000 : 5000, gone)) return true;
  }
  return false;
}

// Runs of mwan's own still going (a switch killed before it could end them)
// end before mwan starts another: never two `network` runs at once.
async function endLeftovers(sys: IpfireSystem, clock: Clock): Promise<void> {
  for (const run of sys.networkRuns().filter((r) => r.ours))
    await endRun(sys, clock, run.pid, () => !sys.isAlive(run.pid));
}

// Starts `network <action> red`; `done()` says whether it has exited.
async function startRun(
  sys: IpfireSystem,
  clock: Clock,
  action: "start" | "stop",
  started: (pid: number) => void,
): Promise<{ pid: number; done: () => boolean; code: () => number | undefined }> {
  await endLeftovers(sys, clock);
  const child = sys.network(action);
  started(child.pid);
  let code: number | undefined;
  child.exited.then((c) => (code = c));
  return { pid: child.pid, done: () => code !== undefined, code: () => code };
}

// `network stop red` with the settings still in place, then until dhcpcd or
// pppd are gone and red/active is absent.
export async function stopRed(
  sys: IpfireSystem,
  clock: Clock,
  redDev: string | undefined,
  ms: number,
  started: (pid: number) => void,
): Promise<OpResult> {
  const until = clock.now() + ms;
  const run = await startRun(sys, clock, "stop", started);
  const gone = () => run.done() && sys.linkDaemons(redDev).length === 0 && !sys.redState().active;
  if (await waitFor(clock, Math.max(0, until - clock.now()), gone)) return { ok: true };
  if (!run.done()) {
    const ended = await endRun(sys, clock, run.pid, run.done);
    return {
      ok: false,
      reason: `network stop red did not finish within ${ms / 1000} s (${ended ? "killed" : `pid ${run.pid} could not be killed`})`,
    };
  }
  const left = sys.linkDaemons(redDev);
  return {
    ok: false,
    reason:
      left.length > 0
        ? `pid ${left.join(", ")} (dhcpcd/pppd) still running ${ms / 1000} s after network stop red`
        : `red/active still present ${ms / 1000} s after network stop red`,
  };
}

// `network start red` in the background (PPP blocks in connectd, DHCP up to a
// minute), then until red/active exists and RED's interface has an address.
export async function startRed(
  sys: IpfireSystem,
  clock: Clock,
  iface: string | undefined,
  ms: number,
  started: (pid: number) => void,
): Promise<OpResult> {
  const deadline = clock.now() + ms;
  const run = await startRun(sys, clock, "start", started);
  const up = () => {
    const s = sys.redState();
    return (
      s.active &&
      s.localAddress !== undefined &&
      isIpv4(s.localAddress) &&
      (iface === undefined || s.iface === iface)
    );
  };
  const failedEarly = () => run.code() !== undefined && run.code() !== 0;
  await waitFor(clock, Math.max(0, deadline - clock.now()), () => up() || failedEarly());
  if (up()) {
    const s = sys.redState();
    // red/active appears before the red.up hooks have run: the start is done
    // only when the script is, and nothing may run `network` beside it.
    const done = await waitFor(clock, Math.max(0, deadline - clock.now()), run.done);
    return {
      ok: true,
      detail: `${s.iface} ${s.localAddress}${done ? "" : "; network start red still running"}`,
    };
  }
  // Judged before the kill below, whose exit code is mwan's doing, not IPFire's.
  const failed = failedEarly();
  // A start still running at the deadline must not fight what comes next.
  if (!run.done()) await endRun(sys, clock, run.pid, run.done);
  return {
    ok: false,
    reason: failed
      ? `network start red failed (exit ${run.code()}; see state/network-start.log)`
      : `RED did not come up within ${ms / 1000} s`,
  };
}
