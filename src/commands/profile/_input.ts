// Options → keys, including a password read from standard input.

import { UsageError } from "../../core/errors.ts";
import { readStdinLine } from "../../adapters/prompt.ts";
import { changesFromArgs } from "./_fields.ts";

export async function givenKeys(
  args: Record<string, unknown>,
  warn: (message: string) => void,
): Promise<Record<string, string>> {
  const given = changesFromArgs(args);
  // Every user of the box can read another's command line (ps, /proc/PID/cmdline).
  if (given.PASSWORD !== undefined && given.PASSWORD !== "")
    warn(
      "--password can be read by every user of this box while mwan runs; use the prompt or --password-stdin",
    );
  if (args["password-stdin"] === true) {
    if (given.PASSWORD !== undefined)
      throw new UsageError("use either --password or --password-stdin, not both");
    given.PASSWORD = await readStdinLine();
  }
  return given;
}

// Keys to write so the file ends up holding exactly `final`.
export function diff(
  base: Record<string, string>,
  final: Record<string, string>,
): Record<string, string | undefined> {
  const changes: Record<string, string | undefined> = { ...final };
  for (const k of Object.keys(base)) if (!(k in final)) changes[k] = undefined;
  return changes;
}
