// Bugs found in the CLI and fixed: each test failed against the binary that
// had the bug.

import { afterEach, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { EXIT, expectError, expectOk, expectUntouched } from "../helpers/expect-cli.ts";
import { mwan, mwanBin, run } from "../helpers/run-bin.ts";
import { runOnTerminal } from "../helpers/terminal.ts";
import { MAC, cleanup, makeRoot, makeTempDir, mwanFile, put, readhash } from "../helpers/temp-root.ts";

afterEach(cleanup);

describe("fixed bugs", () => {
  // capture.ts puts RED_DRIVER (qmi_wwan, which IPFire requires for QMI)
  // into DRIVER, but the QMI schema has no DRIVER key.
  test("import-current of a QMI RED", async () => {
    const root = makeRoot({ red: "qmi" });
    expectOk(await mwan(root, "profile", "import-current", "lte"));
    expect(readhash(mwanFile(root, "profiles/lte"))).toMatchObject({
      TYPE: "QMI",
      APN: "internet.provider.example",
      MACADDR: MAC.wwan,
    });
  });

  // prompt.ts askHidden reads the keys itself, but readline still listens
  // on stdin and echoes them.
  test("the password typed on a terminal is not echoed", async () => {
    const root = makeRoot();
    const password = "Sup3rSecret";
    const r = await runOnTerminal(
      ["profile", "create", "dsl", "--type=pppoe", "--device=eth1", "--username=u"],
      root,
      [
        { question: "MAC address", answer: "" },
        { question: "Kernel driver", answer: "" },
        { question: "Authentication", answer: "" },
        { question: "Password", answer: password, pauseMs: 200 },
        { question: "Password again", answer: password, pauseMs: 200 },
        ...[
          "PPPoE service",
          "IPTV on",
          "MTU",
          "MRU",
          "Priority",
          "Paid",
          "Probe",
          "Description",
          "Save profile",
        ].map((question) => ({ question, answer: "", pauseMs: 200 })),
      ],
    );
    expect(r.code).toBe(EXIT.ok);
    expect(r.transcript).not.toContain(password);
  });

  // After the hidden answer, readline saw that Enter too; an Enter within its
  // crlfDelay (100 ms) is dropped and mwan waits forever.
  test("a quick answer after the password is not lost", async () => {
    const root = makeRoot();
    const r = await runOnTerminal(
      ["profile", "create", "dsl", "--type=pppoe", "--device=eth1", "--username=u"],
      root,
      [
        "MAC address",
        "Kernel driver",
        "Authentication",
        "Password",
        "Password again",
        "PPPoE service",
        "IPTV on",
        "MTU",
        "MRU",
        "Priority",
        "Paid",
        "Probe",
        "Description",
        "Save profile",
      ].map((question) => ({
        question,
        answer: question.startsWith("Password") ? "pw" : "",
        pauseMs: 10,
      })),
    );
    expect(r.code).toBe(EXIT.ok);
  });

  // readStdinLine reads to EOF, not to the first newline.
  test("--password-stdin returns once the first line is in", async () => {
    const root = makeRoot();
    const proc = Bun.spawn(
      [
        mwanBin(),
        "profile",
        "create",
        "dsl",
        "--type=pppoe",
        "--device=eth1",
        "--username=u",
        "--password-stdin",
      ],
      {
        env: { MWAN_ROOT: root, NO_COLOR: "1" },
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    proc.stdin.write("pw\n");
    await proc.stdin.flush();
    const code = await Promise.race([proc.exited, Bun.sleep(1500).then(() => "hung")]);
    proc.kill("SIGKILL");
    expect(code).toBe(0);
  });

  // _compose.ts deletes every key the type does not have, including ones
  // given on the command line: the option is dropped without a word.
  test("an option the type does not take is refused", async () => {
    const root = makeRoot();
    const r = await mwan(
      root,
      "profile",
      "create",
      "office",
      "--type=static",
      "--device=eth1",
      "--address=192.0.2.10",
      "--netmask=255.255.255.0",
      "--gateway=192.0.2.1",
      "--dhcp-hostname=fw",
    );
    expect(r.code).not.toBe(EXIT.ok);
    expect(r.stderr).toContain("DHCP_HOSTNAME");
  });

  // The same deletion drops a line the operator added to the profile.
  test("profile edit keeps a key it does not know, or refuses", async () => {
    const root = makeRoot({
      mwan: {
        "profiles/cable": `TYPE=DHCP\nDEVICE=eth1\nMACADDR=${MAC.eth1}\nBANDWIDTH=100\n`,
      },
    });
    const r = await mwan(root, "profile", "edit", "cable", "--priority=4");
    if (r.code === EXIT.ok) expect(mwanFile(root, "profiles/cable")).toContain("BANDWIDTH=100\n");
    else expectError(r, EXIT.config, "BANDWIDTH");
  });

  // cli.ts takeRoot rejects `--root ""` but takes `--root=` as root "", so
  // every path is relative to the current directory.
  test("--root= (empty) is a usage error, like --root ''", async () => {
    const cwd = makeTempDir();
    const proc = Bun.spawn([mwanBin(), "--root=", "config", "set", "LOG_LEVEL", "debug"], {
      cwd,
      env: { NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(EXIT.usage);
    expect(readdirSync(cwd)).toEqual([]);
  });

  // profileExists reads without a display name, so the message shows the
  // host path of the root instead of "profiles/x".
  test("errors name files as they are on the firewall", async () => {
    const root = makeRoot();
    put(root, "var/ipfire/mwan/profiles", "a file, not a directory\n");
    const r = await run(["profile", "create", "x", "--type=dhcp", "--device=eth1"], { root });
    expect(r.stderr).not.toContain(root);
  });

  // failback.ts planned a full restart of RED when RED held the primary's
  // settings but was not up: "RED home -> home (no settings change)",
  // then network stop red / network start red.
  test("failback when RED is already on the primary does nothing, dry or not", async () => {
    const root = makeRoot();
    expectOk(await mwan(root, "profile", "import-current", "home"));
    for (const args of [["failback", "--dry-run"], ["failback"]]) {
      const r = await expectUntouched(root, () => mwan(root, ...args));
      expectOk(r);
      expect(r.stdout).toBe("RED is already on the primary home; nothing to do\n");
      expect(r.stderr).toBe("");
    }
  });

  // switch.ts announced "switching RED to nosuch" on stdout before
  // switchRed found no such profile.
  test("switch to a profile that does not exist says nothing before the error", async () => {
    const root = makeRoot({
      mwan: { settings: "PRIMARY=home\n", "profiles/home": "TYPE=DHCP\nDEVICE=red0\n" },
    });
    const r = await expectUntouched(root, () => mwan(root, "switch", "nosuch"));
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("profiles/nosuch: no such profile");
  });
});
