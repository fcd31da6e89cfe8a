// In-memory twin of startPingStream (src/adapters/probe/ping-stream.ts) for
// tests of the probe scheduler and the side watch: each "ping" sends one
// request per interval on a timer and answers it at once with a 10 ms RTT,
// unless the test made its target silent; then, as iputils' -O does, it says
// "no answer yet" as the next request goes out. Every start is recorded.

import type { PingStream, PingStreamHandlers } from "../../../src/adapters/probe/ping-stream.ts";

export class PingStreamsTwin {
  readonly started: { iface: string; target: string; intervalMs: number }[] = [];
  readonly silent = new Set<string>();
  running = 0;

  readonly start = (
    _pingPath: string,
    iface: string,
    target: string,
    intervalMs: number,
    on: PingStreamHandlers,
  ): PingStream => {
    this.started.push({ iface, target, intervalMs });
    this.running++;
    let seq = 0;
    let lastLost = false;
    const send = () => {
      seq++;
      const at = Date.now();
      if (lastLost) on.noAnswer(seq - 1, at);
      lastLost = this.silent.has(target);
      if (!lastLost) on.reply(seq, 10, at + 10);
    };
    send();
    const timer = setInterval(send, intervalMs);
    let stopped = false;
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        clearInterval(timer);
        this.running--;
        queueMicrotask(() => on.exited(null));
      },
    };
  };
}
