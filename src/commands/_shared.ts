// Argument fragments and context shared by commands.

import type { ArgsDef, CommandContext } from "citty";
import { makeOutput, type Output } from "../ui/output.ts";
import type { Paths } from "../adapters/paths.ts";

export const jsonArg = {
  json: { type: "boolean", description: "Print machine-readable JSON" },
} as const satisfies ArgsDef;

export const profileNameArg = {
  name: {
    type: "positional",
    description: "Profile name",
    valueHint: "NAME",
    required: true,
  },
} as const satisfies ArgsDef;

// What cli.ts hands every command through citty's `data`.
export interface CommandData {
  root: string;
  paths: Paths;
}

export interface Env {
  paths: Paths;
  out: Output;
}

export function env<T extends ArgsDef>(ctx: CommandContext<T>, json = false): Env {
  const data = ctx.data as CommandData;
  return { paths: data.paths, out: makeOutput(json) };
}
