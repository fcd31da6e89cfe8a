// Finds which command a command line names, and rejects options and arguments
// that command does not take: citty alone accepts unknown flags silently.

import type { ArgsDef, CommandDef, Resolvable } from "citty";
import { UsageError } from "../core/errors.ts";

export async function resolve<T>(value: Resolvable<T> | undefined): Promise<T | undefined> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

// A usage error that knows which command's --help explains the mistake.
export class CommandLineError extends UsageError {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}

export interface FoundCommand {
  cmd: CommandDef<ArgsDef>;
  parent?: CommandDef<ArgsDef>;
  path: string; // e.g. "profile create"; empty for mwan itself
  rest: string[]; // the arguments after the command words
  // Options that stood before a command word ("mwan --help profile"), with
  // the command they were given to.
  early: { token: string; path: string }[];
}

const HELP = new Set(["--help", "-h"]);
const isOption = (token: string) => token.startsWith("-") && token !== "-";
const usageOf = (path: string) => `mwan ${path}`.trim();

export async function findCommand(root: CommandDef<ArgsDef>, args: string[]): Promise<FoundCommand> {
  let found: FoundCommand = { cmd: root, path: "", rest: args, early: [] };
  for (;;) {
    const subs = await resolve(found.cmd.subCommands);
    if (!subs) return found;
    // Past "--" everything is an argument, so no command word is looked for there.
    const end = found.rest.includes("--") ? found.rest.indexOf("--") : found.rest.length;
    const at = found.rest.slice(0, end).findIndex((a) => !isOption(a));
    const before = found.rest.slice(0, at < 0 ? end : at);
    const early = [...found.early, ...before.map((token) => ({ token, path: found.path }))];
    // A group without its command word: only what stands after "--" is left.
    if (at < 0) return { ...found, rest: found.rest.slice(end), early };
    const word = found.rest[at] as string;
    const sub = subs[word];
    if (!sub)
      throw new CommandLineError(
        `${prefix(found.path)}unknown command ${JSON.stringify(word)}`,
        usageOf(found.path),
      );
    const cmd = (await resolve(sub)) as CommandDef<ArgsDef>;
    found = {
      cmd,
      parent: found.cmd,
      path: `${found.path} ${word}`.trim(),
      rest: found.rest.slice(at + 1),
      early,
    };
  }
}

const prefix = (path: string) => (path ? `${path}: ` : "");

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

// Reads the command line the way citty's parser (node:util parseArgs) will:
// an option that takes a value takes the next token, whatever it looks like,
// so `--password -h` is a password and not a request for help. Returns
// whether help was asked for, which wins over every other mistake; otherwise
// throws the first mistake.
export async function checkArgs(found: FoundCommand): Promise<{ help: boolean }> {
  const defs = (await resolve(found.cmd.args)) ?? {};
  const takesValue = new Set<string>();
  const known = new Set<string>();
  const positionals = Object.values(defs).filter((d) => d.type === "positional").length;
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    const aliases = "alias" in def && def.alias ? [def.alias].flat() : [];
    const names = [name, kebab(name), ...aliases];
    for (const n of names) {
      known.add(n);
      if (def.type === "boolean") known.add(`no-${n}`);
      else takesValue.add(n);
    }
  }
  let help = false;
  let mistake: CommandLineError | undefined;
  const wrong = (path: string, message: string) => {
    mistake ??= new CommandLineError(`${prefix(path)}${message}`, usageOf(path));
  };
  // Before a command word only --help means anything.
  for (const { token, path } of found.early) {
    if (HELP.has(token)) help = true;
    else wrong(path, `unknown option ${token.split("=")[0]}`);
  }
  const subs = await resolve(found.cmd.subCommands);
  const dd = found.rest.indexOf("--");
  const tokens = dd < 0 ? found.rest : found.rest.slice(0, dd);
  const extra = dd < 0 ? [] : found.rest.slice(dd + 1);
  let words = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (!isOption(token)) {
      words++;
      continue;
    }
    if (HELP.has(token)) {
      help = true;
      continue;
    }
    const flag = token.split("=")[0] as string;
    const name = flag.replace(/^--?/, "");
    if (!known.has(name)) wrong(found.path, `unknown option ${flag}`);
    else if (takesValue.has(name) && !token.includes("=")) {
      if (i + 1 < tokens.length) i++;
      // Left empty, the option would silently mean "the default".
      else wrong(found.path, `${flag} needs a value`);
    }
  }
  if (!subs && words + extra.length > positionals) wrong(found.path, "too many arguments");
  if (!help && mistake) throw mistake;
  return { help };
}
