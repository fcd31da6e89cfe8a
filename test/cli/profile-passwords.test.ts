// Passwords travel from the command line or stdin into a profile, and later
// into ppp/secrets ('user' * 'password', read by pppd) or ppp/settings (read
// by IPFire's shell readhash for QMI). What each reader would mangle is
// refused up front; everything else must come back byte for byte.

import { afterEach, describe, expect, test } from "bun:test";
import { EXIT, expectError, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { type RunResult, enableArgs, mwan, run } from "../helpers/run-bin.ts";
import { configured } from "../helpers/fixtures.ts";
import { cleanup, makeRoot, mwanFile, readhash } from "../helpers/temp-root.ts";

afterEach(cleanup);

const PPPOE = ["--type=pppoe", "--device=eth1", "--username=dsl@isp.example"];
const QMI = ["--type=qmi", "--apn=internet.example", "--auth=chap", "--username=web"];

const storedPassword = (root: string) => readhash(mwanFile(root, "profiles/dsl")).PASSWORD;

describe("PPPoE passwords", () => {
  // Shell metacharacters are harmless: pppd reads secrets, not a shell.
  test.each([
    ["dollar", "pa$$word"],
    ["bang", "hello!world"],
    ["ampersand and semicolon", "a&b;c"],
    ["space", "two words"],
    ["double quote", 'say "hi"'],
    ["all of them", `$!&; "x"`],
    ["leading and trailing space", " padded "],
    ["equals and hash", "a=b#c"],
  ])("%s is stored exactly", async (_, password) => {
    const root = makeRoot();
    expectOk(await mwan(root, "profile", "create", "dsl", ...PPPOE, `--password=${password}`));
    expect(storedPassword(root)).toBe(password);
  });

  // ppp/secrets quotes the password with ' and has no escape for it.
  test.each([
    ["a single quote", "it's"],
    ["a backslash", "back\\slash"],
  ])("%s is refused", async (_, password) => {
    const root = makeRoot();
    await expectUntouched(root, async () =>
      expectError(
        await mwan(root, "profile", "create", "dsl", ...PPPOE, `--password=${password}`),
        EXIT.config,
        "PASSWORD",
        "--password",
      ),
    );
  });

  // /proc/PID/cmdline is readable by every user of the box, nobody included.
  test("--password works but says the prompt and --password-stdin are safer", async () => {
    const root = makeRoot();
    const r = await mwan(root, "profile", "create", "dsl", ...PPPOE, "--password=pw");
    expectOk(r);
    expect(r.stderr).toContain(
      "warning: --password can be read by every user of this box while mwan runs; use the prompt or --password-stdin",
    );
    const quiet = await run(["profile", "create", "dsl2", ...PPPOE, "--password-stdin"], {
      root,
      stdin: "pw\n",
    });
    expectOk(quiet);
    expect(quiet.stderr).not.toContain("--password");
  });

  test("the password is never printed", async () => {
    const root = makeRoot();
    const password = "Sup3rSecretValue";
    const r = await mwan(root, "profile", "create", "dsl", ...PPPOE, `--password=${password}`);
    expectOk(r);
    expect(r.stdout + r.stderr).not.toContain(password);
  });
});

describe("QMI passwords", () => {
  // IPFire's QMI start path reads ppp/settings through shell readhash,
  // which drops a line holding $ silently (contract §0.14).
  test.each([["$"], ["!"], ["&"], ["'"]])("%s is refused", async (c) => {
    const root = makeRoot();
    await expectUntouched(root, async () =>
      expectError(
        await mwan(root, "profile", "create", "dsl", ...QMI, `--password=pa${c}ss`),
        EXIT.config,
        "PASSWORD",
      ),
    );
  });

  // Error lines reach terminals, logs and mails: a message about a password
  // names no character of it, let alone the password.
  test("no message shows any part of a refused password", async () => {
    const password = "Xq7$!pw'";
    const root = makeRoot({
      mwan: {
        ...configured({ static: "office" }),
        "profiles/lte": `TYPE=QMI\nAPN=internet.example\nAUTH=chap\nUSERNAME=web\nPASSWORD=${password}\n`,
      },
    });
    const runs = [
      await mwan(root, "profile", "show", "lte"),
      await mwan(root, "profile", "show", "lte", "--json"),
      await mwan(root, "profile", "list"),
      await mwan(root, "profile", "edit", "lte", "--priority=4"),
      await mwan(root, "config", "check"),
      await mwan(root, "config", "check", "--json"),
      await mwan(root, ...(await enableArgs())),
      await mwan(root, "profile", "create", "dsl", ...QMI, `--password=${password}`),
    ];
    for (const r of runs) {
      const output = r.stdout + r.stderr;
      expect(output).not.toContain("Xq7");
      for (const c of ["$", "!", "'"]) expect(output).not.toContain(JSON.stringify(c));
    }
    expect(runs[4]?.stdout).toContain(
      "profiles/lte: PASSWORD: contains characters IPFire's shell reader drops (allowed: letters, digits, space and = / , . : % _ @ # + -)",
    );
    expectError(runs[7] as RunResult, EXIT.config, "profiles/dsl: PASSWORD: contains characters");
  });

  test("characters readhash keeps are stored exactly", async () => {
    const root = makeRoot();
    const password = "a-b_c.d:e@f#g+h%i/j=l";
    expectOk(await mwan(root, "profile", "create", "dsl", ...QMI, `--password=${password}`));
    expect(storedPassword(root)).toBe(password);
  });

  // qmi_configure_apn joins qmicli's settings with commas after splitting
  // them at spaces: either would turn part of the password into a setting.
  test.each(["j,apn=evil", "two words"])("%j is refused, naming no character of it", async (password) => {
    const root = makeRoot();
    const r = await mwan(root, "profile", "create", "dsl", ...QMI, `--password=${password}`);
    const error = expectError(r, EXIT.config, "PASSWORD: must not contain a space or a comma");
    expect(error).not.toContain(password);
  });
});

describe("--password-stdin", () => {
  const create = (root: string, stdin: string, ...extra: string[]) =>
    run(["profile", "create", "dsl", ...PPPOE, "--password-stdin", ...extra], {
      root,
      stdin,
    });

  test("takes the first line, without its line ending", async () => {
    const root = makeRoot();
    expectOk(await create(root, "pa$$ w0rd!\r\nsecond line\n"));
    expect(storedPassword(root)).toBe("pa$$ w0rd!");
  });

  test("a last line without newline is taken whole", async () => {
    const root = makeRoot();
    expectOk(await create(root, "no-newline"));
    expect(storedPassword(root)).toBe("no-newline");
  });

  test("empty stdin means no password", async () => {
    const root = makeRoot();
    await expectUntouched(root, async () => expectError(await create(root, ""), EXIT.config, "PASSWORD"));
  });

  test("with --password too is a usage error", async () => {
    const root = makeRoot();
    await expectUntouched(root, async () =>
      expectError(await create(root, "x\n", "--password=y"), EXIT.usage, "--password-stdin"),
    );
  });
});
