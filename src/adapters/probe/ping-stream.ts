// One long-running iputils ping per target for the daemon's fast rounds: a
// process per echo would cost more CPU than all the rest of mwan (measured:
// 3 % of a core at 10 echoes a second), a stream costs ping's own few
// microseconds per echo. -I <iface> binds it to RED (SO_BINDTODEVICE); -O
// reports a request that went unanswered when the next one goes out.

import { parsePingLine } from "./ping-line.ts";

export interface PingStreamHandlers {
  reply(seq: number, rttMs: number, at: number): void;
  noAnswer(seq: number, at: number): void;
  // `failure`: why ping could not run or gave up (its first line on stderr,
  // or its exit status); undefined when it was stopped.
  exited(code: number | null, failure?: string): void;
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
      stderr: "pipe",
    });
  } catch (err) {
    const why = `${pingPath} cannot be run: ${err instanceof Error ? err.message : String(err)}`;
    queueMicrotask(() => on.exited(null, why)); // no ping on this system
    return { stop() {} };
  }
  let stopped = false;
  const firstLine = drainFirstLine(proc.stderr as ReadableStream<Uint8Array>);
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
    const code = await proc.exited;
    const said = (await firstLine).trim();
    on.exited(code, stopped ? undefined : `${pingPath}: ${said || `exited with status ${code}`}`);
  })();
  return {
    stop: () => {
      stopped = true;
      proc.kill("SIGTERM");
    },
  };
}

// ping's stderr is read all along (a full pipe would stop ping, and with it
// the probing), keeping only its first line: why it gave up, if it did.
async function drainFirstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let first = "";
  let done = false;
  for await (const chunk of stream) {
    if (done) continue;
    first += decoder.decode(chunk, { stream: true });
    const nl = first.indexOf("\n");
    if (nl >= 0 || first.length > 200) {
      first = first.slice(0, nl >= 0 ? nl : 200);
      done = true;
    }
  }
  return first;
}
