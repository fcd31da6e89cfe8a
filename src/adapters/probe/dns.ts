import dgram from "node:dgram";
import { checkReply, encodeQuery, isQueryName } from "./dns-message.ts";
import {
  type ProbeOptions,
  type ProbeResult,
  type ProbeTarget,
  stamp,
  type Verdict,
  type Via,
} from "./types.ts";
import { isIpv4 } from "./validate.ts";

export type DnsOptions = {
  // The name asked for. Any well-formed answer counts, NXDOMAIN included.
  queryName?: string;
  port?: number;
  now?: () => number;
};

// The same name IPFire's unbound test-resolves after every red.up.
export const DEFAULT_QUERY_NAME = "ping.ipfire.org";

// Asks the target server directly, from RED's local address, so the query
// never touches the firewall's own resolver (unbound on 127.0.0.1).
//
// Binding the source address does not pick the interface: the kernel still
// routes by destination (node:dgram has no SO_BINDTODEVICE). On IPFire that is
// right, because RED carries the one default route. If some other link held a
// default route (a standby uplink brought up by hand), the query would leave
// there with RED's source address and, normally, be dropped by that ISP or by
// rp_filter on the way back, so the probe fails rather than lying. Whoever
// brings up a second uplink must add `ip rule from <RED address> lookup <RED
// table>`, which this socket then follows.
export function dnsProber(opts: DnsOptions = {}) {
  const queryName = opts.queryName ?? DEFAULT_QUERY_NAME;
  const port = opts.port ?? 53;
  const now = opts.now ?? Date.now;

  return (target: ProbeTarget, via: Via, { timeoutMs, signal }: ProbeOptions): Promise<ProbeResult> => {
    const at = now();
    const result = stamp(target, at);
    if (!isIpv4(target.target))
      return Promise.resolve(
        result({
          ok: false,
          fault: "local",
          error: `not an IPv4 address: ${JSON.stringify(target.target)}`,
        }),
      );
    if (!isQueryName(queryName))
      return Promise.resolve(
        result({
          ok: false,
          fault: "local",
          error: `not a DNS name: ${JSON.stringify(queryName)}`,
        }),
      );
    if (via.localAddress === null)
      return Promise.resolve(
        result({
          ok: false,
          fault: "local",
          error: `${via.iface} has no local address`,
        }),
      );
    if (signal?.aborted) return Promise.resolve(result({ ok: false, fault: "error", error: "aborted" }));
    const localAddress = via.localAddress;

    return new Promise<ProbeResult>((resolve) => {
      const id = crypto.getRandomValues(new Uint16Array(1))[0] ?? 0;
      const socket = dgram.createSocket("udp4");
      let sentAt = 0;
      let done = false;

      const finish = (r: Verdict) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        try {
          socket.close();
        } catch {
          // already closed by an error: nothing left to release
        }
        resolve(result(r));
      };
      const onAbort = () => finish({ ok: false, fault: "error", error: "aborted" });
      const timer = setTimeout(
        () =>
          finish({
            ok: false,
            fault: "timeout",
            error: `no DNS reply within ${timeoutMs} ms`,
          }),
        timeoutMs,
      );
      signal?.addEventListener("abort", onAbort, { once: true });

      socket.on("error", (e: NodeJS.ErrnoException) => finish(socketFault(e, localAddress, port)));
      socket.on("message", (msg, from) => {
        // A connected socket only hears its peer; checking anyway costs nothing.
        if (from.address !== target.target || from.port !== port) return;
        const reply = checkReply(id, msg);
        // Stray datagrams (a late reply to someone else) are ignored; the timer decides.
        if (reply.match) finish({ ok: true, rttMs: round3(performance.now() - sentAt) });
      });
      // The callbacks check `done`: the timer or an abort may have closed the
      // socket in the meantime, and sending on a closed socket throws.
      socket.bind({ address: localAddress, port: 0, exclusive: true }, () => {
        if (done) return;
        // Connecting lets the kernel report ICMP port/host unreachable as
        // ECONNREFUSED/EHOSTUNREACH instead of leaving us to time out.
        socket.connect(port, target.target, () => {
          if (done) return;
          // bun calls back even when the connect failed (no route from this
          // address: EINVAL, ENETUNREACH), and a send on the unconnected
          // socket then throws inside the callback, which would end the
          // daemon: a probe must fail, never throw.
          try {
            socket.remoteAddress();
          } catch {
            finish({
              ok: false,
              fault: "unreachable",
              error: `no route from ${localAddress} to ${target.target}`,
            });
            return;
          }
          sentAt = performance.now();
          try {
            socket.send(encodeQuery(id, queryName), (err) => {
              if (err) finish(socketFault(err, localAddress, port));
            });
          } catch (err) {
            finish(socketFault(err as NodeJS.ErrnoException, localAddress, port));
          }
        });
      });
    });
  };
}

const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

function socketFault(e: NodeJS.ErrnoException, localAddress: string, port: number): Verdict {
  switch (e.code) {
    case "EADDRNOTAVAIL":
      return {
        ok: false,
        fault: "local",
        error: `${localAddress} is not an address of this host`,
      };
    case "ECONNREFUSED":
      return {
        ok: false,
        fault: "unreachable",
        error: `port ${port} refused (ICMP port unreachable)`,
      };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return {
        ok: false,
        fault: "unreachable",
        error: `${e.code}: ${e.message}`,
      };
    case "EPERM": // netfilter's OUTPUT chain refused the packet
      return {
        ok: false,
        fault: "local",
        error: `blocked by the local firewall (${e.message})`,
      };
    default:
      return { ok: false, fault: "error", error: e.message };
  }
}
