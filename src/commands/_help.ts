// Help as mwan prints it for --help and `mwan help`: fitted to an 80-column
// console (citty pads its tables to the terminal's width, or 125 columns off
// one), every option described, arguments named the way they are typed, and
// the command's examples (_examples.ts) at the end.

import type { ArgDef, ArgsDef, CommandDef } from "citty";
import { wrap } from "../core/text/wrap.ts";
import { EXAMPLES } from "./_examples.ts";
import { type FoundCommand, argName, isRequired, resolve } from "./_resolve.ts";

export const WIDTH = 80;
const INDENT = "  ";
// A name wider than this puts its description on the next line.
const NAME_COLUMN = 24;

type Row = [name: string, description: string];

// The option lines an argument shows: an option that is on by default shows
// only the --no- spelling that turns it off.
function optionRows(name: string, def: ArgDef): Row[] {
  if (def.type === "boolean") {
    const rows: Row[] = [];
    const negative = "negativeDescription" in def ? def.negativeDescription : undefined;
    if (def.default !== true) rows.push([`--${name}`, def.description ?? ""]);
    if (def.default === true || negative) rows.push([`--no-${name}`, negative ?? def.description ?? ""]);
    return rows;
  }
  const shown = def.default === undefined ? "" : ` (default ${def.default})`;
  return [[`--${name} ${argName(name, def)}`, `${def.description ?? ""}${shown}`]];
}

function columns(rows: Row[]): string[] {
  if (rows.length === 0) return [];
  const width = Math.min(NAME_COLUMN, Math.max(...rows.map(([n]) => n.length)));
  const hanging = INDENT + " ".repeat(width + 2);
  const lines: string[] = [];
  for (const [name, description] of rows) {
    const text = wrap(description, WIDTH - hanging.length);
    if (name.length > width) lines.push(INDENT + name);
    else lines.push(`${INDENT}${name.padEnd(width)}  ${text.shift() ?? ""}`.trimEnd());
    for (const line of text) lines.push(hanging + line);
  }
  return lines;
}

export async function renderHelp(
  found: Pick<FoundCommand, "cmd" | "path">,
  version: string,
): Promise<string> {
  const { cmd, path } = found;
  const meta = (await resolve(cmd.meta)) ?? {};
  const args: ArgsDef = (await resolve(cmd.args)) ?? {};
  const subs = await resolve(cmd.subCommands);
  const entries = Object.entries(args);
  const positional = entries.filter(([, d]) => d.type === "positional");
  const options = entries.filter(([, d]) => d.type !== "positional").flatMap(([n, d]) => optionRows(n, d));

  const usage = [`mwan ${path}`.trim()];
  if (options.length > 0) usage.push("[OPTIONS]");
  for (const [name, def] of positional)
    usage.push(isRequired(def) ? argName(name, def) : `[${argName(name, def)}]`);
  if (subs) usage.push("COMMAND");

  const title = path === "" ? `${meta.description ?? ""} (mwan ${version})` : (meta.description ?? "");
  const out: string[] = [...wrap(title, WIDTH), "", `USAGE ${usage.join(" ")}`];
  const section = (heading: string, lines: string[]) => {
    if (lines.length > 0) out.push("", heading, ...lines);
  };
  section("ARGUMENTS", columns(positional.map(([name, def]) => [argName(name, def), def.description ?? ""])));
  section("OPTIONS", columns(options));
  if (subs) {
    const rows: Row[] = [];
    for (const [name, sub] of Object.entries(subs)) {
      const subMeta = await resolve((await resolve(sub as CommandDef<ArgsDef>))?.meta);
      if (!subMeta?.hidden) rows.push([name, subMeta?.description ?? ""]);
    }
    section("COMMANDS", columns(rows));
  }
  section(
    "EXAMPLES",
    (EXAMPLES[path] ?? []).flatMap((e) => [
      ...wrap(e.what, WIDTH - 4).map((l) => `${INDENT}# ${l}`),
      ...e.run.split("\n").map((l) => INDENT + l),
    ]),
  );
  if (subs) {
    const more = `mwan help ${path} COMMAND`.replace("  ", " ");
    out.push("", ...wrap(`'${more}' shows the options of a command.`, WIDTH));
  }
  return out.join("\n");
}
