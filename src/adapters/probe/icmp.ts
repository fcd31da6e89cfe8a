import { killedVerdict, lastLine, runCommand, toolMissing } from "./command.ts";
import { type ProbeOptions, type ProbeTarget, stamp, type Verdict, type Via } from "./types.ts";
import { isIfaceName, isIpv4 } from "./validate.ts";

export type IcmpOptions = {
  // /bin/ping is iputils on IPFire and, through the merged /usr, on Debian too.
  pingPath?: string;
  // Prepended to the argv, e.g. ["ip", "netns", "exec", ns] in tests.
  wrap?: string[];
  // Time allowed on top of the probe timeout for ping to start and exit before
  // it is killed. ping's own -W normally ends it well before that.
  slackMs?: number;
  now?: () => number;
};

// One echo request through RED. iputils' -I <iface> sets SO_BINDTODEVICE, so
// the request can only leave through RED whatever the routing table says.
// (-I <address> would only set the source and let the default route pick the
// way out.) The route itself must be on RED, as IPFire's default route is:
// with none there, the kernel treats the target as on-link and ARPs for it on
// RED, which no ISP router answers, so the probe times out.
export function icmpProber(opts: IcmpOptions = {}) {
  const pingPath = opts.pingPath ?? "/bin/ping";
  const wrap = opts.wrap ?? [];
  const slackMs = opts.slackMs ?? 500;
  const now = opts.now ?? Date.now;

  return async (target: ProbeTarget, via: Via, { timeoutMs, signal }: ProbeOptions) => {
    const at = now();
    const result = stamp(target, at);
    const local = (error: string) => result({ ok: false, fault: "local", error });

    if (!isIfaceName(via.iface)) return local(`invalid interface name ${JSON.stringify(via.iface)}`);
    // Only literal addresses: a name would be resolved through the firewall's
    // own resolver, which is exactly the dependency the probe must not have.
    if (!isIpv4(target.target)) return local(`not an IPv4 address: ${JSON.stringify(target.target)}`);
    const missing = toolMissing(pingPath);
    if (missing) return local(missing);

    // A single echo and -W to wait for it. No -w: with a deadline iputils keeps
    // re-sending every second until one answer arrives, which would turn one
    // probe into several and hide the loss the engine is trying to count.
    const argv = [
      ...wrap,
      pingPath,
      "-n",
      "-c",
      "1",
      "-W",
      (timeoutMs / 1000).toFixed(3),
      "-I",
      via.iface,
      target.target,
    ];
    const out = await runCommand(argv, timeoutMs + slackMs, signal);
    switch (out.kind) {
      case "not-started":
        return local(out.error);
      case "killed":
        return result(killedVerdict("ping", out, timeoutMs + slackMs));
      case "exited":
        return result(classifyPing(out.code, out.stdout, out.stderr, via.iface, timeoutMs));
    }
  };
}

// iputils exit codes: 0 = a reply came, 1 = no reply (possibly with ICMP errors
// on stdout), 2 = it could not send at all (the reason is on stderr).
export function classifyPing(
  code: number,
  stdout: string,
  stderr: string,
  iface: string,
  timeoutMs: number,
): Verdict {
  if (code === 0) {
    const rtt = /time[=<]([0-9.]+) ?ms/.exec(stdout)?.[1];
    return rtt === undefined ? { ok: true } : { ok: true, rttMs: Number(rtt) };
  }
  if (code === 1) {
    // "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable": a router answered for the target.
    const icmpError = stdout.split("\n").find((l) => /^From .*(Unreachable|Prohibited|exceeded)/i.test(l));
    return icmpError
      ? { ok: false, fault: "unreachable", error: icmpError.trim() }
      : {
          ok: false,
          fault: "timeout",
          error: `no reply within ${timeoutMs} ms`,
        };
  }
  const why = lastLine(stderr) || `ping exited with ${code}`;
  // "ping: SO_BINDTODEVICE red0: No such device"
  if (/No such device/.test(why))
    return {
      ok: false,
      fault: "local",
      error: `interface ${iface} does not exist (${why})`,
    };
  // "ping: connect: Network is unreachable": RED is down or has no route.
  if (/unreachable|No route/i.test(why)) return { ok: false, fault: "unreachable", error: why };
  return { ok: false, fault: "error", error: why };
}
