// Questions on a terminal. Without a terminal on both ends mwan never waits for
// input (hooks, scripts, ssh without -t): callers get no prompter and must
// take everything from options.
//
// Lines are read in raw mode by this one reader (no readline beside it), so
// a password is never echoed, and what is typed ahead — even several answers
// at once — is kept for the next question instead of being lost. Raw mode
// also turns Ctrl-C and Ctrl-D into keys: either ends the prompt with
// AbortedError before anything is written (exit 130, no stack trace).

import { AbortedError } from "../core/errors.ts";
import { printable } from "../core/text/printable.ts";

export interface Prompter {
  ask(question: string, opts?: { default?: string; secret?: boolean }): Promise<string>;
  // A line between the questions (a choice list, why an answer was refused).
  say(line: string): void;
  close(): void;
}

export function terminalPrompter(): Prompter | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const stdin = process.stdin;
  let typedAhead = "";
  let waiting: ((chunk: string) => void) | undefined;
  // The terminal went away (ssh closed): no answer will ever come.
  let ended = false;
  const onData = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    if (waiting) waiting(text);
    else typedAhead += text;
  };
  const onEnd = () => {
    ended = true;
    waiting?.("\u0004");
  };
  stdin.setRawMode(true);
  stdin.on("data", onData);
  stdin.on("end", onEnd);
  stdin.resume();

  const readLine = (secret: boolean) =>
    new Promise<string>((resolve, reject) => {
      let line = "";
      const feed = (text: string) => {
        for (let i = 0; i < text.length; i++) {
          const ch = text[i] as string;
          if (ch === "\r" || ch === "\n") {
            if (ch === "\r" && text[i + 1] === "\n") i++;
            typedAhead = text.slice(i + 1);
            waiting = undefined;
            process.stdout.write("\r\n");
            return resolve(line);
          }
          if (ch === "\u0003" || ch === "\u0004") {
            waiting = undefined;
            process.stdout.write("\r\n");
            return reject(new AbortedError());
          }
          if (ch === "\u007f" || ch === "\b") {
            if (line.length > 0 && !secret) process.stdout.write("\b \b");
            line = line.slice(0, -1);
          } else if (ch >= " ") {
            line += ch;
            if (!secret) process.stdout.write(ch);
          }
        }
      };
      waiting = feed;
      const ahead = ended ? `${typedAhead}\u0004` : typedAhead;
      typedAhead = "";
      if (ahead) feed(ahead);
    });

  return {
    async ask(question, opts = {}) {
      const shown = opts.default ? ` [${opts.secret ? "unchanged" : opts.default}]` : "";
      // A yes/no question carries its answers in brackets and needs no colon.
      process.stdout.write(`${question}${shown}${question.endsWith("]") ? " " : ": "}`);
      const answer = (await readLine(opts.secret === true)).trim();
      return answer === "" ? (opts.default ?? "") : answer;
    },
    say(line) {
      process.stdout.write(`${printable(line)}\r\n`);
    },
    close() {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.setRawMode(false);
      stdin.pause();
    },
  };
}

// The first line of standard input (for --password-stdin): reading stops at
// the first newline, so a pipe that stays open does not keep mwan waiting.
export async function readStdinLine(): Promise<string> {
  const reader = Bun.stdin.stream().getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (text.includes("\n")) break;
    }
  } finally {
    reader.releaseLock();
  }
  return text.split("\n")[0]?.replace(/\r$/, "") ?? "";
}
