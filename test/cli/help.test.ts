// Help made for an 80-column ssh console, `mwan help`, "did you mean", and
// every command-line mistake answered in mwan's own words, as plain text or,
// under --json, as one JSON object.

import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { EXIT, expectError, expectExit, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { configured } from "../helpers/fixtures.ts";
import { type RunResult, mwan, run } from "../helpers/run-bin.ts";
import { cleanup, makeRoot, makeTempDir, mwanFile, readhash } from "../helpers/temp-root.ts";

afterEach(cleanup);

// The lines of one section ("OPTIONS") of a help text, without its heading.
function section(help: string, heading: string): string[] {
  const lines = help.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l === "");
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

// Each entry of a two-column section: its name and its description, which
// may stand on the name's line or on the lines indented below it.
function entries(lines: string[]): { name: string; description: string }[] {
  const out: { name: string; description: string }[] = [];
  for (const line of lines) {
    if (/^ {2}\S/.test(line)) {
      const [name, ...rest] = line.trim().split(/ {2,}/);
      out.push({ name: name as string, description: rest.join(" ") });
    } else (out.at(-1) as { description: string }).description += line.trim();
  }
  return out;
}

// Every command mwan's help leads to, found the way an admin finds them:
// from `mwan --help` down through each group's COMMANDS; plus the hidden hook.
async function commandTree(): Promise<string[][]> {
  const found: string[][] = [];
  const walk = async (words: string[]) => {
    found.push(words);
    const help = (await run([...words, "--help"])).stdout;
    for (const { name } of entries(section(help, "COMMANDS"))) await walk([...words, name]);
  };
  await walk([]);
  return [...found, ["hook"]];
}

const tree = await commandTree();
const named = (words: string[]) => `mwan ${words.join(" ")}`.trim();

describe("help on every command", () => {
  test("the tree reaches every level", () => {
    const paths = tree.map((w) => w.join(" "));
    for (const p of ["", "profile create", "config set", "daemon status", "status", "help", "hook"])
      expect(paths).toContain(p);
  });

  test.each(tree.map((w) => [named(w), w] as const))("%s --help", async (_, words) => {
    const r = await run([...words, "--help"]);
    expectOk(r);
    const help = r.stdout;
    for (const line of help.split("\n"))
      expect(line.length, `over 80 columns: ${line}`).toBeLessThanOrEqual(80);
    // A usage line as it is typed, [OPTIONS] only where there are options.
    const usage = help.split("\n").find((l) => l.startsWith("USAGE ")) as string;
    expect(usage).toStartWith(`USAGE ${named(words)}`);
    const options = entries(section(help, "OPTIONS"));
    expect(usage.includes("[OPTIONS]")).toBe(options.length > 0);
    for (const o of options) {
      expect(o.name).toMatch(/^--[a-z]/);
      expect(o.name).not.toContain("=<");
      expect(o.description, `${o.name} has no description`).not.toBe("");
      expect(o.description).not.toMatch(/^Sets [A-Z]|\(Default:/);
    }
    for (const a of entries(section(help, "ARGUMENTS"))) {
      expect(a.name).toMatch(/^[A-Z][A-Z_]*$/);
      expect(a.description, `${a.name} has no description`).not.toBe("");
      expect(usage).toContain(a.name);
    }
    const examples = section(help, "EXAMPLES");
    expect(examples.filter((l) => !l.trimStart().startsWith("#")).length).toBeGreaterThan(0);
  });

  test.each(tree.map((w) => [w.join(" "), w] as const))("mwan help %s equals --help", async (_, words) => {
    const help = await run(["help", ...words]);
    expectOk(help);
    expect(help.stdout).toBe((await run([...words, "--help"])).stdout);
  });

  test("mwan help alone is mwan --help, on stdout, exit 0", async () => {
    const r = await run(["help"]);
    expectOk(r);
    expect(r.stdout).toBe((await run(["--help"])).stdout);
    expect(r.stdout).toContain("  help ");
  });

  test("an option that is on by default shows how to turn it off", async () => {
    const help = (await run(["switch", "--help"])).stdout;
    expect(help).toMatch(/^ {2}--no-rollback {2,}Leave RED/m);
    expect(help).not.toMatch(/^ {2}--rollback/m);
    expect((await run(["enable", "--help"])).stdout).toMatch(/^ {2}--no-start {2,}\S/m);
  });

  test("a profile option names the key it sets and what it is", async () => {
    const help = (await run(["profile", "create", "--help"])).stdout;
    expect(help).toMatch(/^ {2}--device DEVICE {2,}Network interface/m);
    expect(help).toMatch(/^ {2}--mac MACADDR {2,}MAC address/m);
  });

  test("help for a command that does not exist suggests the nearest", async () => {
    expectError(await run(["help", "stauts"]), EXIT.usage, 'unknown command "stauts" (did you mean status?)');
    expectError(await run(["help", "profile", "lst"]), EXIT.usage, "profile: unknown command", "list?");
    expectError(await run(["help", "profile", "create", "x"]), EXIT.usage, "help: too many arguments");
  });
});

describe("did you mean", () => {
  test.each([
    [["stauts"], 'unknown command "stauts" (did you mean status?)', "mwan --help"],
    [["stat"], 'unknown command "stat" (did you mean status?)', "mwan --help"],
    [["profile", "lst"], 'profile: unknown command "lst" (did you mean list?)', "mwan profile --help"],
    [["config", "sho"], 'config: unknown command "sho" (did you mean show?)', "mwan config --help"],
    [["status", "--jsn"], "status: unknown option --jsn (did you mean --json?)", "mwan status --help"],
    [["switch", "x", "--dryrun"], "unknown option --dryrun (did you mean --dry-run?)", "mwan switch --help"],
    [["enable", "--nostart"], "unknown option --nostart (did you mean --no-start?)", "mwan enable --help"],
    ...["set", "get", "unset"].map((c): [string[], string, string] => [
      ["config", c, "FAILBACK_DEL", ...(c === "set" ? ["30"] : [])],
      `config ${c}: FAILBACK_DEL: unknown setting (did you mean FAILBACK_DELAY?)`,
      `mwan config ${c} --help`,
    ]),
    // The option is the mistake; "/x" would have been its value.
    [["--roo", "/x", "status"], "unknown option --roo (did you mean --root?)", "mwan --help"],
    [["--roo=/x", "status"], "unknown option --roo (did you mean --root?)", "mwan --help"],
  ])("mwan %p", async (args, message, hint) => {
    const root = makeRoot({ mwan: configured() });
    await expectUntouched(root, async () => {
      const r = await run(args, { root });
      expectError(r, EXIT.usage, message);
      expect(r.stderr).toContain(`Run '${hint}' for usage.`);
    });
  });

  test("nothing is suggested for a word that is near no command", async () => {
    const error = expectError(await run(["frobnicate"]), EXIT.usage, 'unknown command "frobnicate"');
    expect(error).not.toContain("did you mean");
    // Internal commands are not offered.
    expect(expectError(await run(["hok"]), EXIT.usage, '"hok"')).not.toContain("hook");
  });
});

describe("arguments", () => {
  // A negative number is a value: the setting's own check refuses it.
  test("config set FAILBACK_DELAY -5 is refused by the value check", async () => {
    const root = makeRoot({ mwan: configured() });
    await expectUntouched(root, async () => {
      expectError(
        await mwan(root, "config", "set", "FAILBACK_DELAY", "-5"),
        EXIT.config,
        "FAILBACK_DELAY: must be a whole number",
      );
    });
  });

  test("a negative number after -- or as an option's value is a value too", async () => {
    const root = makeRoot({ mwan: configured() });
    expectError(
      await mwan(root, "config", "set", "FAILBACK_DELAY", "--", "-5"),
      EXIT.config,
      "FAILBACK_DELAY",
    );
    expectError(await mwan(root, "profile", "edit", "office", "--priority", "-5"), EXIT.config, "PRIORITY");
    expectOk(await mwan(root, "config", "set", "FAILBACK_DELAY", "45"));
    expect(readhash(mwanFile(root, "settings")).FAILBACK_DELAY).toBe("45");
  });

  test("KEY=VALUE where KEY VALUE is expected shows the line meant", async () => {
    const root = makeRoot({ mwan: configured() });
    await expectUntouched(root, async () => {
      const r = await mwan(root, "config", "set", "FAILBACK_DELAY=45");
      const error = expectError(r, EXIT.usage);
      expect(error).toBe(
        "mwan: config set: expected KEY VALUE (did you mean: mwan config set FAILBACK_DELAY 45?)",
      );
      expect(r.stderr).not.toContain("positional");
      expectError(
        await mwan(root, "config", "set", "PROBE_TARGETS=9.9.9.9 1.1.1.1"),
        EXIT.usage,
        "(did you mean: mwan config set PROBE_TARGETS '9.9.9.9 1.1.1.1'?)",
      );
    });
  });

  test("a missing argument is named in mwan's words", async () => {
    const root = makeRoot({ mwan: configured() });
    for (const [args, message] of [
      [["config", "set", "PRIMARY"], "config set: missing VALUE (expected KEY VALUE)"],
      [["config", "set"], "config set: missing KEY VALUE"],
      [["profile", "show"], "profile show: missing NAME"],
      [["switch"], "switch: missing NAME"],
    ] as const) {
      const r = await mwan(root, ...args);
      expect(expectError(r, EXIT.usage)).toBe(`mwan: ${message}`);
      expect(r.stderr).not.toMatch(/Missing required|positional/);
    }
  });
});

describe("errors under --json", () => {
  // The same failure without and with --json: the same exit code, and the
  // text's message as {"error":{"message","exit"}} on stdout, alone.
  async function both(root: string | undefined, args: string[]): Promise<RunResult> {
    const text = await run(args, { root });
    const json = await run([...args, "--json"], { root });
    expectExit(json, text.code);
    expect(text.code).not.toBe(EXIT.ok);
    const message = (text.stderr.split("\n").find((l) => l.startsWith("mwan: ")) as string).slice(6);
    expect(JSON.parse(json.stdout)).toEqual({ error: { message, exit: text.code } });
    expect(json.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(json.stderr).toBe("");
    return json;
  }

  test("a usage error", async () => {
    const r = await both(makeRoot(), ["status", "--bogus"]);
    expect(r.code).toBe(EXIT.usage);
    await both(makeRoot(), ["config", "get", "NOPE"]);
    await both(makeRoot(), ["profile", "lst"]);
  });

  test("a command's own error", async () => {
    const root = makeRoot({ mwan: configured() });
    await both(root, ["profile", "show", "nosuch"]);
    const missing = join(makeTempDir(), "nonexistent");
    for (const command of [["status"], ["config", "show"], ["profile", "list"], ["daemon", "status"]])
      expect((await both(missing, command)).code).toBe(EXIT.usage);
  });

  test("a command without --json answers in text even with --json in its values", async () => {
    const root = makeRoot({ mwan: configured() });
    expectError(await mwan(root, "profile", "delete", "--json"), EXIT.usage, "unknown option --json");
  });
});
