// One long-running iputils ping per target for the daemon's fast rounds: a
// process per echo would cost more CPU than all the rest of mwan (measured:
// 3 % of a core at 10 echoes a second), a stream costs ping's own few
// microseconds per echo. -I <iface> binds it to RED (SO_BINDTODEVICE); -O
// reports a request that went unanswered when the next one goes out.

import { parsePingLine } from "./ping-line.ts";

export interface PingStreamHandlers {
  reply(seq: number, rttMs: number, at: number): void;
  noAnswer(seq: number, at: number): void;
  exited(code: number | null): void;
}

export interface PingStream {
  stop(): void;
}

export function startPingStream(
  pingPath: string,
  iface: string,
  target: string,
  intervalMs: number,
  on: PingStreamHandlers,
): PingStream {
  let proc: ReturnType<typeof Bun.spawn>;
  try {
    proc = Bun.spawn([pingPath, "-n", "-O", "-i", (intervalMs / 1000).toFixed(3), "-I", iface, target], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "ignore",
    });
  } catch {
    queueMicrotask(() => on.exited(null)); // no ping on this system
    return { stop() {} };
  }
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const line = parsePingLine(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf("\n");
        if (line?.kind === "reply") on.reply(line.seq, line.rttMs, Date.now());
        else if (line?.kind === "no-answer") on.noAnswer(line.seq, Date.now());
      }
    }
    on.exited(await proc.exited);
  })();
  return { stop: () => proc.kill("SIGTERM") };
}
