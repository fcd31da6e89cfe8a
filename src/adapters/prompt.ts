// Questions on a terminal. Without a terminal on both ends mwan never waits for
// input (hooks, scripts, ssh without -t): callers get no prompter and must
// take everything from options.

import { createInterface } from "node:readline/promises";

export interface Prompter {
  ask(
    question: string,
    opts?: { default?: string; secret?: boolean },
  ): Promise<string>;
  close(): void;
}

export function terminalPrompter(): Prompter | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
  });
  return {
    async ask(question, opts = {}) {
      const suffix = opts.default
        ? ` [${opts.secret ? "unchanged" : opts.default}]`
        : "";
      const answer = opts.secret
        ? await askHidden(`${question}${suffix}: `)
        : await rl.question(`${question}${suffix}: `);
      return answer.trim() === "" ? (opts.default ?? "") : answer.trim();
    },
    close: () => rl.close(),
  };
}

// Reads a line in raw mode without echoing it, so a password never appears on
// screen or in a terminal log.
function askHidden(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = "";
    const stdin = process.stdin;
    const done = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.off("data", onData);
      process.stdout.write("\n");
      fn();
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(() => resolve(typed));
        if (ch === "\u0003")
          return done(() => reject(new Error("interrupted")));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.on("data", onData);
  });
}

// The first line of standard input (for --password-stdin).
export async function readStdinLine(): Promise<string> {
  const text = await new Response(Bun.stdin.stream()).text();
  return text.split("\n")[0]?.replace(/\r$/, "") ?? "";
}
