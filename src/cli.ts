// Entry point of the one binary: works out what was asked (command line or
// symlink name), owns --help, --version and the exit codes, and runs the
// citty command.

import { statSync } from "node:fs";
import { resolve } from "node:path";
import { type ArgsDef, type CommandDef, runCommand } from "citty";
import { makePaths, rootFromEnv } from "./adapters/paths.ts";
import { EXIT, MwanError, UsageError } from "./core/errors.ts";
import { argvFor, invokedAs } from "./dispatch.ts";
import { isSideHook, runSideHook } from "./adapters/side/dhcp-hook.ts";
import { COMMAND_NAMES, main } from "./commands/main.ts";
import {
  CommandLineError,
  type FoundCommand,
  checkArgs,
  findCommand,
  resolve as resolved,
} from "./commands/_resolve.ts";
import { renderHelp } from "./commands/_help.ts";
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
  let json = asksJson(argv);
  try {
    const { root: rootFlag, rest } = takeRoot(argv);
    if (rest.length === 1 && (rest[0] === "--version" || rest[0] === "-v")) {
      process.stdout.write(`mwan ${VERSION}\n`);
      return EXIT.ok;
    }
    const tree = main as CommandDef<ArgsDef>;
    const found = await findCommand(tree, rest);
    usageOf = `mwan ${found.path}`.trim();
    json = asksJson(found.rest) && (await takesJson(found));
    const { help, argv: parsed, words } = await checkArgs(found);
    if (help) {
      say(await renderHelp(found, VERSION), process.stdout);
      return EXIT.ok;
    }
    if (found.path === "help") {
      say(await renderHelp(await findCommand(tree, words), VERSION), process.stdout);
      return EXIT.ok;
    }
    if (found.cmd.subCommands) {
      // A command group alone ("mwan profile") is incomplete: show what it offers.
      say(await renderHelp(found, VERSION), process.stderr);
      return EXIT.usage;
    }
    // Absolute, so a daemon started from / acts on the same tree.
    const given = rootFlag ?? rootFromEnv();
    const root = resolve(given);
    checkRoot(root, rootFlag === undefined ? `MWAN_ROOT=${given}` : `--root ${given}`);
    const data: CommandData = { root, paths: makePaths(root) };
    // Run the command found directly: citty does not pass `data` down to subcommands.
    const { result } = await runCommand(found.cmd, {
      rawArgs: parsed,
      data,
    });
    return typeof result === "number" ? result : EXIT.ok;
  } catch (err) {
    return report(err, usageOf, json);
  }
}

// A script that asked for JSON gets its errors as JSON too (report below).
const asksJson = (args: string[]) =>
  args.slice(0, args.includes("--") ? args.indexOf("--") : undefined).includes("--json");
const takesJson = async (found: FoundCommand) => "json" in ((await resolved(found.cmd.args)) ?? {});

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

// Every error is one line on stderr, "mwan: …" (a usage error adds where to
// read more). Under --json it is one object on stdout instead, where the
// script reads the result: {"error":{"message":"…","exit":N}}.
function report(err: unknown, commandPath: string, json = false): number {
  const usage = err instanceof UsageError || (err instanceof Error && err.name === "CLIError");
  const exit = usage ? EXIT.usage : err instanceof MwanError ? err.exitCode : EXIT.failure;
  const asJson = (message: string) =>
    void process.stdout.write(`${JSON.stringify({ error: { message, exit } })}\n`);
  if (!usage && !(err instanceof MwanError)) {
    // A bug: its stack trace is for the bug report, so on stderr under --json too.
    say(
      `mwan: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      process.stderr,
    );
    if (json) asJson(`internal error: ${err instanceof Error ? err.message : String(err)}`);
    return exit;
  }
  const message = (err as Error).message.replace(ANSI, "");
  // Several problems: each on a line of its own, which an 80-column console
  // can read; under --json the message joins them and `errors` lists them.
  const problems = err instanceof MwanError ? err.problems.map((p) => p.replace(ANSI, "")) : [message];
  if (json && problems.length > 1)
    void process.stdout.write(`${JSON.stringify({ error: { message, exit, errors: problems } })}\n`);
  else if (json) asJson(message);
  else if (usage) {
    const command = err instanceof CommandLineError ? err.command : commandPath;
    say(`mwan: ${message}\nRun '${command} --help' for usage.`, process.stderr);
  } else say(problems.map((p) => `mwan: ${p}`).join("\n"), process.stderr);
  return exit;
}

if (import.meta.main) {
  // A terminal that went away (ssh closed, `| head`) makes writes fail; that
  // must not end a command halfway through a switch.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});
  const as = invokedAs(process.argv0, process.argv);
  // mwan's side dhcpcd runs mwan as its script (adapters/side/dhcp-hook.ts).
  if (isSideHook(as)) process.exit(runSideHook(as, process.env));
  let argv: string[];
  try {
    argv = argvFor(as, process.argv.slice(2), COMMAND_NAMES);
  } catch (err) {
    process.exit(report(err, "mwan"));
  }
  process.exit(await run(argv));
}
