// Finds which command a command line names, and rejects options and arguments
// that command does not take: citty alone accepts unknown flags silently.

import type { ArgsDef, CommandDef, Resolvable } from "citty";
import { UsageError } from "../core/errors.ts";

export async function resolve<T>(value: Resolvable<T> | undefined): Promise<T | undefined> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}

export interface FoundCommand {
  cmd: CommandDef<ArgsDef>;
  parent?: CommandDef<ArgsDef>;
  path: string; // e.g. "profile create"; empty for mwan itself
  rest: string[]; // the arguments after the command words
}

export async function findCommand(root: CommandDef<ArgsDef>, args: string[]): Promise<FoundCommand> {
  let found: FoundCommand = { cmd: root, path: "", rest: args };
  for (;;) {
    const subs = await resolve(found.cmd.subCommands);
    if (!subs) return found;
    const at = found.rest.findIndex((a) => !a.startsWith("-"));
    if (at < 0) return found;
    const word = found.rest[at] as string;
    const sub = subs[word];
    if (!sub) throw new UsageError(`${prefix(found.path)}unknown command ${JSON.stringify(word)}`);
    const cmd = (await resolve(sub)) as CommandDef<ArgsDef>;
    found = {
      cmd,
      parent: found.cmd,
      path: `${found.path} ${word}`.trim(),
      rest: found.rest.slice(at + 1),
    };
  }
}

const prefix = (path: string) => (path ? `${path}: ` : "");

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export async function checkArgs(found: FoundCommand): Promise<void> {
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
  const subs = await resolve(found.cmd.subCommands);
  const dd = found.rest.indexOf("--");
  const tokens = dd < 0 ? found.rest : found.rest.slice(0, dd);
  const extra = dd < 0 ? [] : found.rest.slice(dd + 1);
  let words = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token.startsWith("-") && token !== "-") {
      const name = token.replace(/^--?/, "").split("=")[0] as string;
      if (!known.has(name))
        throw new UsageError(`${prefix(found.path)}unknown option ${token.split("=")[0]}`);
      if (takesValue.has(name) && !token.includes("=")) i++;
    } else words++;
  }
  if (!subs && words + extra.length > positionals) {
    throw new UsageError(`${prefix(found.path)}too many arguments`);
  }
}
