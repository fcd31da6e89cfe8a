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
  const child = sys.network("stop");
  started(child.pid);
  let exited = false;
  child.exited.then(() => (exited = true));
  const gone = () => exited && sys.linkDaemons(redDev).length === 0 && !sys.redState().active;
  if (await waitFor(clock, Math.max(0, until - clock.now()), gone)) return { ok: true };
  const left = sys.linkDaemons(redDev);
  return {
    ok: false,
    reason: !exited
      ? `network stop red did not finish within ${ms / 1000} s`
      : left.length > 0
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
  const child = sys.network("start");
  started(child.pid);
  let exitCode: number | undefined;
  child.exited.then((code) => (exitCode = code));
  const up = () => {
    const s = sys.redState();
    return (
      s.active &&
      s.localAddress !== undefined &&
      isIpv4(s.localAddress) &&
      (iface === undefined || s.iface === iface)
    );
  };
  const failedEarly = () => exitCode !== undefined && exitCode !== 0;
  const deadline = clock.now() + ms;
  await waitFor(clock, ms, () => up() || failedEarly());
  if (up()) {
    const s = sys.redState();
    // red/active appears before the red.up hooks have run: the start is done
    // only when the script is, and nothing may run `network` beside it.
    const done = await waitFor(clock, Math.max(0, deadline - clock.now()), () => exitCode !== undefined);
    return {
      ok: true,
      detail: `${s.iface} ${s.localAddress}${done ? "" : "; network start red still running"}`,
    };
  }
  // A start still running at the deadline must not fight what comes next.
  if (exitCode === undefined && sys.networkRuns().some((r) => r.pid === child.pid))
    sys.stop(-child.pid, "SIGTERM");
  return {
    ok: false,
    reason: failedEarly()
      ? `network start red failed (exit ${exitCode}; see state/network-start.log)`
      : `RED did not come up within ${ms / 1000} s`,
  };
}
