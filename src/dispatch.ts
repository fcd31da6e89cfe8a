// Busybox-style dispatch: the name mwan was started under selects what it does.
// - "mwan": the arguments are a command line as usual.
// - "mwan-<command>" (a symlink): runs that top-level command.
// - "<NN>-<X>-mwan" in red.up/ or red.down/: IPFire's run_subdir calls it with
//   "up" or "down" when the name's second field is U or D (contract §2); with
//   another name it gets no argument, so the directory tells the event.

import { basename, dirname } from "node:path";
import { UsageError } from "./core/errors.ts";

const HOOK_NAME = /^[0-9]+-.*mwan$/;
const EVENTS: Record<string, string> = { "red.up": "up", "red.down": "down" };

export function argvFor(invokedAs: string, args: string[], commands: readonly string[]): string[] {
  const name = basename(invokedAs);
  if (HOOK_NAME.test(name)) {
    const [first, ...rest] = args;
    if (first === "up" || first === "down") return ["hook", first, ...rest];
    const event = EVENTS[basename(dirname(invokedAs))];
    if (!event) throw new UsageError(`invoked as ${name}: cannot tell whether RED went up or down`);
    return ["hook", event, ...args];
  }
  if (name.startsWith("mwan-")) {
    const command = name.slice("mwan-".length);
    if (commands.includes(command)) return [command, ...args];
  }
  return args;
}

// How the process was started: a compiled binary sees the symlink's name in
// argv0 (argv[1] is its embedded entry); under `bun src/cli.ts` it is argv[1].
export function invokedAs(argv0: string, argv: readonly string[]): string {
  return basename(argv0) === "bun" ? (argv[1] ?? "mwan") : argv0;
}
