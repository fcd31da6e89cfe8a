import { killedVerdict, lastLine, runCommand, toolMissing } from "./command.ts";
import { type ProbeOptions, type ProbeTarget, stamp, type Verdict, type Via } from "./types.ts";
import { isIfaceName } from "./validate.ts";

export type HttpOptions = {
  curlPath?: string;
  wrap?: string[];
  slackMs?: number;
  now?: () => number;
};

// An HTTP(S) request bound to RED with curl (IPFire ships it; fetch() cannot
// bind to a device). Any HTTP status proves the path: a 404 came back through
// RED as surely as a 200. A TLS failure does not count: a captive portal that
// intercepts HTTPS is exactly the "link up, Internet not" case.
//
// A URL with a host name is resolved through the firewall's own resolver, so
// this probe then also depends on local DNS. Use an address, or pair it with a
// DNS probe to tell the two apart.
export function httpProber(opts: HttpOptions = {}) {
  const curlPath = opts.curlPath ?? "/usr/bin/curl";
  const wrap = opts.wrap ?? [];
  const slackMs = opts.slackMs ?? 500;
  const now = opts.now ?? Date.now;

  return async (target: ProbeTarget, via: Via, { timeoutMs, signal }: ProbeOptions) => {
    const at = now();
    const result = stamp(target, at);
    const local = (error: string) => result({ ok: false, fault: "local", error });

    if (!isIfaceName(via.iface)) return local(`invalid interface name ${JSON.stringify(via.iface)}`);
    if (!/^https?:\/\/[^\s]+$/.test(target.target))
      return local(`not an http(s) URL: ${JSON.stringify(target.target)}`);
    const missing = toolMissing(curlPath);
    if (missing) return local(`${missing}: the HTTP probe needs curl`);

    const argv = [
      ...wrap,
      curlPath,
      "-q", // first: ignore root's ~/.curlrc
      "-sS",
      "--noproxy",
      "*", // a proxy from the environment would test the proxy, not RED
      "--proto",
      "=http,https",
      // "if!" makes curl treat the value as a device name only (SO_BINDTODEVICE),
      // never as a host or address to look up.
      "--interface",
      `if!${via.iface}`,
      "-o",
      "/dev/null",
      "-w",
      "%{http_code} %{time_total}",
      "--max-time",
      (timeoutMs / 1000).toFixed(3),
      "--",
      target.target,
    ];
    const out = await runCommand(argv, timeoutMs + slackMs, signal);
    switch (out.kind) {
      case "not-started":
        return local(out.error);
      case "killed":
        return result(killedVerdict("curl", out, timeoutMs + slackMs));
      case "exited":
        return result(classifyCurl(out.code, out.stdout, out.stderr, via.iface, timeoutMs));
    }
  };
}

// curl's exit codes (man curl, EXIT CODES) that say something about the path.
export function classifyCurl(
  code: number,
  stdout: string,
  stderr: string,
  iface: string,
  timeoutMs: number,
): Verdict {
  const [status = "000", total = ""] = stdout.trim().split(" ");
  if (code === 0 && status !== "000") {
    const rtt = Number(total) * 1000;
    return Number.isFinite(rtt) && total !== ""
      ? { ok: true, rttMs: Math.round(rtt * 1000) / 1000 }
      : { ok: true };
  }
  const why = lastLine(stderr) || `curl exited with ${code}`;
  switch (code) {
    case 28:
      return {
        ok: false,
        fault: "timeout",
        error: `no HTTP response within ${timeoutMs} ms`,
      };
    case 7:
      return { ok: false, fault: "unreachable", error: why };
    case 45:
      return {
        ok: false,
        fault: "local",
        error: `cannot bind to interface ${iface} (${why})`,
      };
    case 6:
      return {
        ok: false,
        fault: "error",
        error: `host name lookup failed (local resolver): ${why}`,
      };
    default:
      return { ok: false, fault: "error", error: why };
  }
}
