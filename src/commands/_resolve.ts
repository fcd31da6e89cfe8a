// Finds which command a command line names, and rejects options and arguments
// that command does not take, in mwan's words: citty alone accepts unknown
// flags silently and answers a missing argument in its own style.

import type { ArgsDef, CommandDef, Resolvable } from "citty";
import { UsageError } from "../core/errors.ts";
import { didYouMean } from "../core/text/nearest.ts";
import { shellWord } from "../core/text/wrap.ts";

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
  path: string; // e.g. "profile create"; empty for mwan itself
  rest: string[]; // the arguments after the command words
  // Options that stood before a command word ("mwan --help profile"), with
  // the command they were given to.
  early: { token: string; path: string }[];
}

const HELP = new Set(["--help", "-h"]);
// A negative number ("config set FAILBACK_DELAY -5") is a value, not an option.
const isOption = (token: string) => token.startsWith("-") && token !== "-" && !/^-[0-9]/.test(token);
const usageOf = (path: string) => `mwan ${path}`.trim();
// Options every command line takes: --root is taken out by cli.ts wherever it stands.
const EVERYWHERE = ["--help", "--root"];

// The command words a group offers, for "did you mean"; hidden ones are not offered.
async function visibleNames(subs: Record<string, Resolvable<CommandDef<ArgsDef>>>): Promise<string[]> {
  const names: string[] = [];
  for (const [name, sub] of Object.entries(subs)) {
    const meta = await resolve((await resolve(sub))?.meta);
    if (!meta?.hidden) names.push(name);
  }
  return names;
}

function unknownOption(path: string, token: string, known: readonly string[]): CommandLineError {
  const flag = token.split("=")[0] as string;
  return new CommandLineError(
    `${prefix(path)}unknown option ${flag}${didYouMean(flag, known)}`,
    usageOf(path),
  );
}

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
    if (!sub) {
      // Mistakes are named left to right: in `mwan --roo /x status` the
      // option is wrong, and "/x" is only its value.
      const option = early.find((e) => !HELP.has(e.token));
      if (option) throw unknownOption(option.path, option.token, EVERYWHERE);
      throw new CommandLineError(
        `${prefix(found.path)}unknown command ${JSON.stringify(word)}${didYouMean(word, await visibleNames(subs))}`,
        usageOf(found.path),
      );
    }
    const cmd = (await resolve(sub)) as CommandDef<ArgsDef>;
    found = {
      cmd,
      path: `${found.path} ${word}`.trim(),
      rest: found.rest.slice(at + 1),
      early,
    };
  }
}

const prefix = (path: string) => (path ? `${path}: ` : "");

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

// What a command line holds once read: `argv` is the same line for citty
// with every argument after "--", so none that starts with "-" (a negative
// number) is taken for an option; `words` are those arguments.
export interface CheckedArgs {
  help: boolean;
  argv: string[];
  words: string[];
}

// citty's rule: a positional argument is required unless it says otherwise.
export const isRequired = (def: ArgsDef[string]) => def.required !== false && def.default === undefined;

// The name an argument is shown and asked for by: KEY, VALUE, NAME.
export const argName = (name: string, def: { valueHint?: string }) => def.valueHint ?? name.toUpperCase();

// Reads the command line the way citty's parser (node:util parseArgs) will:
// an option that takes a value takes the next token, whatever it looks like,
// so `--password -h` is a password and not a request for help. Returns
// whether help was asked for, which wins over every other mistake; otherwise
// throws the first mistake.
export async function checkArgs(found: FoundCommand): Promise<CheckedArgs> {
  const defs = (await resolve(found.cmd.args)) ?? {};
  const takesValue = new Set<string>();
  const known = new Set<string>();
  const positionals = Object.entries(defs).filter(([, d]) => d.type === "positional");
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
  const spelled = [...EVERYWHERE, ...[...known].map((n) => (n.length === 1 ? `-${n}` : `--${n}`))];
  let help = false;
  let mistake: CommandLineError | undefined;
  const wrong = (error: CommandLineError) => {
    mistake ??= error;
  };
  const say = (message: string) =>
    new CommandLineError(`${prefix(found.path)}${message}`, usageOf(found.path));
  // Before a command word only --help means anything.
  for (const { token, path } of found.early) {
    if (HELP.has(token)) help = true;
    else wrong(unknownOption(path, token, EVERYWHERE));
  }
  const subs = await resolve(found.cmd.subCommands);
  const dd = found.rest.indexOf("--");
  const tokens = dd < 0 ? found.rest : found.rest.slice(0, dd);
  const extra = dd < 0 ? [] : found.rest.slice(dd + 1);
  const options: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (!isOption(token)) {
      words.push(token);
      continue;
    }
    if (HELP.has(token)) {
      help = true;
      continue;
    }
    options.push(token);
    const flag = token.split("=")[0] as string;
    const name = flag.replace(/^--?/, "");
    if (!known.has(name)) wrong(unknownOption(found.path, token, spelled));
    else if (takesValue.has(name) && !token.includes("=")) {
      if (i + 1 < tokens.length) options.push(tokens[++i] as string);
      // Left empty, the option would silently mean "the default".
      else wrong(say(`${flag} needs a value`));
    }
  }
  words.push(...extra);
  const surplus = words.slice(positionals.length).map((w) => JSON.stringify(w));
  if (!subs && surplus.length > 0) wrong(say(`too many arguments: ${surplus.join(" ")}`));
  if (!subs && words.length < positionals.filter(([, d]) => isRequired(d)).length)
    wrong(missing(found.path, positionals, words));
  if (!help && mistake) throw mistake;
  return { help, argv: [...options, "--", ...words], words };
}

// `config set FAILBACK_DELAY=45` is one word where two are expected: say what
// the command wants, and show the line split where it was probably meant.
function missing(path: string, positionals: [string, ArgsDef[string]][], words: string[]): CommandLineError {
  const names = positionals.map(([name, def]) => argName(name, def));
  const missingNames = positionals
    .slice(words.length)
    .filter(([, def]) => isRequired(def))
    .map(([name, def]) => argName(name, def));
  const split = words.flatMap((w) =>
    /^[^=]+=/.test(w) ? [w.slice(0, w.indexOf("=")), w.slice(w.indexOf("=") + 1)] : [w],
  );
  const message =
    split.length === positionals.length && split.length > words.length
      ? `expected ${names.join(" ")} (did you mean: ${[usageOf(path), ...split.map(shellWord)].join(" ")}?)`
      : `missing ${missingNames.join(" ")}${words.length > 0 ? ` (expected ${names.join(" ")})` : ""}`;
  return new CommandLineError(`${prefix(path)}${message}`, usageOf(path));
}
