// The command definitions themselves: what citty would otherwise check in
// its own words, and the examples table (_examples.ts) against the commands
// it shows, so an example cannot outlive a renamed command or option.

import { describe, expect, test } from "bun:test";
import type { ArgsDef, CommandDef } from "citty";
import { EXAMPLES } from "../../src/commands/_examples.ts";
import { checkArgs, findCommand, resolve } from "../../src/commands/_resolve.ts";
import { main } from "../../src/commands/main.ts";

const root = main as CommandDef<ArgsDef>;

async function walk(cmd: CommandDef<ArgsDef>, path: string[] = []): Promise<[string, CommandDef<ArgsDef>][]> {
  const subs = (await resolve(cmd.subCommands)) ?? {};
  const below = await Promise.all(
    Object.entries(subs).map(async ([name, sub]) =>
      walk((await resolve(sub)) as CommandDef<ArgsDef>, [...path, name]),
    ),
  );
  return [[path.join(" "), cmd], ...below.flat()];
}

const tree = await walk(root);

// The mwan command lines of an example, as a shell would split them:
// continuation lines joined, `&&` and `|` between commands, quotes removed,
// redirections dropped.
function commandLines(run: string): string[][] {
  const words = run.replace(/\\\n/g, " ").match(/'[^']*'|\S+/g) ?? [];
  const lines: string[][] = [[]];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === "&&" || w === "|") lines.push([]);
    else if (w === "<" || w === ">") i++;
    else if (!/^\d?>/.test(w)) (lines.at(-1) as string[]).push(w.replace(/^'(.*)'$/, "$1"));
  }
  return lines.filter((l) => l[0] === "mwan" || l[0] === "./mwan-x86_64").map((l) => l.slice(1));
}

describe("command definitions", () => {
  test.each(tree.map(([path, cmd]) => [path || "mwan", cmd] as const))("%s", async (_, cmd) => {
    for (const [name, def] of Object.entries((await resolve(cmd.args)) ?? {})) {
      // citty would check these itself and answer in its own words.
      expect(def.type, name).not.toBe("enum");
      if (def.type !== "positional") expect(def.required, name).not.toBe(true);
      const shown =
        def.type === "boolean" && def.default === true ? def.negativeDescription : def.description;
      expect(shown, `${name} has no description`).toBeTruthy();
    }
  });
});

describe("examples", () => {
  test("every command has one, and every entry is a command", () => {
    const paths = tree.map(([path]) => path);
    for (const path of paths) expect(EXAMPLES[path]?.length, `no example for "${path}"`).toBeGreaterThan(0);
    expect(paths).toEqual(expect.arrayContaining(Object.keys(EXAMPLES)));
  });

  test.each(
    Object.entries(EXAMPLES).flatMap(([path, list]) => list.map((e) => [path || "mwan", e.run] as const)),
  )("%s: %s", async (path, run) => {
    const lines = commandLines(run);
    expect(lines.length).toBeGreaterThan(0);
    for (const args of lines) {
      const found = await findCommand(root, args);
      const checked = await checkArgs(found);
      expect(checked.help).toBe(false);
      expect(found.cmd.subCommands).toBeUndefined();
    }
    if (path !== "mwan") expect(lines.some((args) => args.join(" ").startsWith(path))).toBe(true);
  });
});
