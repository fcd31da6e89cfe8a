// Entry point of the one binary: works out what was asked (command line or
// symlink name), owns --help, --version and the exit codes, and runs the
// citty command.

import { statSync } from "node:fs";
import { resolve } from "node:path";
import { type ArgsDef, type CommandDef, renderUsage, runCommand } from "citty";
import { makePaths, rootFromEnv } from "./adapters/paths.ts";
import { EXIT, MwanError, UsageError } from "./core/errors.ts";
import { argvFor, invokedAs } from "./dispatch.ts";
import { COMMAND_NAMES, main } from "./commands/main.ts";
import { CommandLineError, type FoundCommand, checkArgs, findCommand } from "./commands/_resolve.ts";
import type { CommandData } from "./commands/_shared.ts";
import { printableKeepingColour } from "./core/text/printable.ts";
import { colorWanted } from "./ui/output.ts";
import { VERSION } from "./version.ts";

const ANSI = /\u001b\[[0-9;]*m/g;

function say(text: string, stream: NodeJS.WriteStream): void {
  const safe = printableKeepingColour(text);
  const plain = colorWanted(stream.isTTY, process.env) ? safe : safe.replace(ANSI, "");
  stream.write(plain.endsWith("\n") ? plain : `${plain}\n`);
}

// --root may stand anywhere before "--"; it is taken out before citty parses.
function takeRoot(args: string[]): {
  root: string | undefined;
  rest: string[];
} {
  const rest: string[] = [];
  let root: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--") {
      rest.push(...args.slice(i));
      break;
    }
    if (a === "--root") {
      root = args[++i];
      if (root === undefined || root === "") throw new UsageError("--root needs a directory");
    } else if (a.startsWith("--root=")) {
      root = a.slice("--root=".length);
      if (root === "") throw new UsageError("--root needs a directory");
    } else rest.push(a);
  }
  return { root, rest };
}

export async function run(argv: string[]): Promise<number> {
  let usageOf = "mwan";
  try {
    const { root: rootFlag, rest } = takeRoot(argv);
    if (rest.length === 1 && (rest[0] === "--version" || rest[0] === "-v")) {
      process.stdout.write(`mwan ${VERSION}\n`);
      return EXIT.ok;
    }
    const found = await findCommand(main as CommandDef<ArgsDef>, rest);
    usageOf = `mwan ${found.path}`.trim();
    const { help } = await checkArgs(found);
    if (help) {
      say(await usage(found), process.stdout);
      return EXIT.ok;
    }
    if (found.cmd.subCommands) {
      // A command group alone ("mwan profile") is incomplete: show what it offers.
      say(await usage(found), process.stderr);
      return EXIT.usage;
    }
    // Absolute, so a daemon started from / acts on the same tree.
    const given = rootFlag ?? rootFromEnv();
    const root = resolve(given);
    checkRoot(root, rootFlag === undefined ? `MWAN_ROOT=${given}` : `--root ${given}`);
    const data: CommandData = { root, paths: makePaths(root) };
    // Run the command found directly: citty does not pass `data` down to subcommands.
    const { result } = await runCommand(found.cmd, {
      rawArgs: found.rest,
      data,
    });
    return typeof result === "number" ? result : EXIT.ok;
  } catch (err) {
    return report(err, usageOf);
  }
}

// citty names a command after its parent alone ("config set"): hand it a
// parent that carries the whole path, so usage reads "mwan config set".
async function usage(found: FoundCommand): Promise<string> {
  if (!found.parent) return renderUsage(found.cmd);
  const parent = `mwan ${found.path.split(" ").slice(0, -1).join(" ")}`.trim();
  return renderUsage(found.cmd, { meta: { name: parent, version: VERSION } });
}

// A root that is not there would be created by the first write, silently
// building an IPFire tree wherever a typo points.
function checkRoot(root: string, given: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`${given}: no such directory`);
  }
  if (!isDir) throw new UsageError(`${given}: not a directory`);
}

function report(err: unknown, commandPath: string): number {
  if (err instanceof UsageError || (err instanceof Error && err.name === "CLIError")) {
    const message = (err as Error).message.replace(ANSI, "");
    const command = err instanceof CommandLineError ? err.command : commandPath;
    say(`mwan: ${message}\nRun '${command} --help' for usage.`, process.stderr);
    return EXIT.usage;
  }
  if (err instanceof MwanError) {
    say(`mwan: ${err.message}`, process.stderr);
    return err.exitCode;
  }
  say(
    `mwan: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    process.stderr,
  );
  return EXIT.failure;
}

if (import.meta.main) {
  // A terminal that went away (ssh closed, `| head`) makes writes fail; that
  // must not end a command halfway through a switch.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});
  let argv: string[];
  try {
    argv = argvFor(invokedAs(process.argv0, process.argv), process.argv.slice(2), COMMAND_NAMES);
  } catch (err) {
    process.exit(report(err, "mwan"));
  }
  process.exit(await run(argv));
}
