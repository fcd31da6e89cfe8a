// Holding back the signals that would end a command while it switches RED:
// Ctrl-C (SIGINT), a kill (SIGTERM), the ssh session closing (SIGHUP). Killed
// halfway, the command would leave RED down until the next mwan command. The
// switch finishes or rolls back first, as the daemon's does, and the command
// then exits as the signal asked, with 128 + its number.

import { constants } from "node:os";

const HELD = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export interface HeldSignals {
  // The first signal that came, if any.
  received(): NodeJS.Signals | undefined;
  release(): void;
}

export function holdSignals(onFirst: (sig: NodeJS.Signals) => void): HeldSignals {
  let first: NodeJS.Signals | undefined;
  const handlers = HELD.map((sig) => {
    const handler = () => {
      if (first === undefined) {
        first = sig;
        onFirst(sig);
      }
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  return {
    received: () => first,
    release() {
      for (const [sig, handler] of handlers) process.off(sig, handler);
    },
  };
}

export function signalExitCode(sig: NodeJS.Signals): number {
  return 128 + (constants.signals[sig] ?? 0);
}
