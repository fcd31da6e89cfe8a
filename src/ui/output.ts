// What commands print. Results go to stdout (plain or --json), messages to
// stderr. Colour only on a terminal, and never when NO_COLOR is set. No
// control character from a file reaches the terminal (core/text/printable).

import { printable, printableKeepingColour } from "../core/text/printable.ts";

export interface Output {
  json: boolean;
  color: boolean;
  line(text?: string): void;
  data(value: unknown): void;
  warn(message: string): void;
  note(message: string): void;
  paint(style: Style, text: string): string;
}

export type Style = "bold" | "dim" | "red" | "green" | "yellow";

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
};

export function colorWanted(isTty: boolean | undefined, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTty === true && env.TERM !== "dumb";
}

export function makeOutput(json: boolean, env: Record<string, string | undefined> = process.env): Output {
  const color = colorWanted(process.stdout.isTTY, env);
  const errColor = colorWanted(process.stderr.isTTY, env);
  const paint = (on: boolean) => (style: Style, text: string) => {
    const [open, close] = CODES[style];
    return on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  };
  return {
    json,
    color,
    line: (text = "") => void process.stdout.write(`${printableKeepingColour(text)}\n`),
    // JSON escapes every control character itself.
    data: (value) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    warn: (message) =>
      void process.stderr.write(`${paint(errColor)("yellow", "warning:")} ${printable(message)}\n`),
    note: (message) => void process.stderr.write(`${printable(message)}\n`),
    paint: paint(color),
  };
}

// Left-aligned columns for tables that must read at a glance in a terminal.
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
