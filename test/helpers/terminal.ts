// Runs mwan on a pseudo-terminal, as an operator at the console would, and
// answers its questions: util-linux `script` gives the child a pty, and we
// type each answer once its question has appeared in the transcript.

import { mwanBin } from "./run-bin.ts";

export interface Exchange {
  question: string; // text of the prompt to wait for
  answer: string; // typed followed by Enter
  // Wait this long before typing (default: a fast typist's pause).
  pauseMs?: number;
}

export interface TerminalResult {
  code: number;
  transcript: string; // everything the terminal showed, escapes stripped
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
// Below bun's own 5 s test timeout, so a hang reports the transcript.
const TIMEOUT_MS = 4000;
const TYPING_PAUSE_MS = 30;

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function scriptAvailable(): boolean {
  return Bun.which("script") !== null;
}

export async function runOnTerminal(
  args: string[],
  root: string,
  exchanges: Exchange[],
): Promise<TerminalResult> {
  const command = [mwanBin(), ...args].map(shellQuote).join(" ");
  const proc = Bun.spawn(["script", "-qec", command, "/dev/null"], {
    env: {
      PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
      TERM: "vt100",
      NO_COLOR: "1",
      MWAN_ROOT: root,
    },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), TIMEOUT_MS);
  let raw = "";
  let asked = 0; // how far into `raw` questions have been answered
  const pending = [...exchanges];
  const decoder = new TextDecoder();
  try {
    for await (const chunk of proc.stdout) {
      raw += decoder.decode(chunk, { stream: true });
      let next = pending[0];
      while (next) {
        const at = raw.indexOf(next.question, asked);
        if (at < 0) break;
        asked = at + next.question.length;
        await Bun.sleep(next.pauseMs ?? TYPING_PAUSE_MS);
        proc.stdin.write(`${next.answer}\r`);
        await proc.stdin.flush();
        pending.shift();
        next = pending[0];
      }
    }
    const code = await proc.exited;
    const transcript = raw.replace(ANSI, "");
    if (pending.length > 0)
      throw new Error(
        `mwan ${args.join(" ")} exited (${code}) or timed out before asking ${JSON.stringify(pending[0]?.question)}\n${transcript}`,
      );
    return { code, transcript };
  } finally {
    clearTimeout(timer);
    await proc.stdin.end();
  }
}
