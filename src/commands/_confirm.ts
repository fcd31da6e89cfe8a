// Yes/no questions, and the rule for commands that destroy what cannot be
// typed in again (profiles, their passwords): they ask on a terminal, --yes
// answers for the admin, and without a terminal, where nobody can answer,
// they refuse unless --yes was given (as apt-get and git clean do).

import type { ArgsDef } from "citty";
import { MwanError, UsageError } from "../core/errors.ts";
import { type Prompter, terminalPrompter } from "../adapters/prompt.ts";

export const yesArg = {
  yes: { type: "boolean", alias: "y", description: "Do not ask for confirmation" },
} as const satisfies ArgsDef;

export async function confirm(prompter: Prompter, question: string, byDefault: boolean): Promise<boolean> {
  for (;;) {
    const answer = (await prompter.ask(`${question} ${byDefault ? "[Y/n]" : "[y/N]"}`)).toLowerCase();
    if (answer === "") return byDefault;
    if (answer === "y" || answer === "yes") return true;
    if (answer === "n" || answer === "no") return false;
    prompter.say("answer y or n");
  }
}

// Returns when the admin said yes (or gave --yes); `what` completes
// "…needs --yes" and `declined` is the error when they said no.
export async function confirmDestructive(
  question: string,
  opts: { yes: boolean; what: string; declined: string },
): Promise<void> {
  if (opts.yes) return;
  const prompter = terminalPrompter();
  if (!prompter) throw new UsageError(`${opts.what} needs --yes when there is no terminal to ask on`);
  try {
    if (!(await confirm(prompter, question, false))) throw new MwanError(opts.declined);
  } finally {
    prompter.close();
  }
}
