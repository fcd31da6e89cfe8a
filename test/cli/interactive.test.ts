// `profile create` on a terminal asks for each field of the type chosen,
// offers what the system knows (the NIC's MAC) as default, and asks again
// for a value that does not validate.

import { afterEach, describe, expect, test } from "bun:test";
import { EXIT, expectUntouched } from "../helpers/expect-cli.ts";
import { skipWithout } from "../helpers/require.ts";
import { type Exchange, runOnTerminal, scriptAvailable } from "../helpers/terminal.ts";
import { MAC, cleanup, makeRoot, mwanFile, readhash } from "../helpers/temp-root.ts";

afterEach(cleanup);

const ask = (question: string, answer = "", pauseMs?: number): Exchange => ({
  question,
  answer,
  pauseMs,
});

// The DHCP questions after the type and the interface, Enter for defaults.
const DHCP_REST = [
  ask("Kernel driver"),
  ask("Host name sent to the DHCP server"),
  ask("Force this MTU"),
  ask("DHCP rapid commit"),
];
const COMMON_TAIL = (priority: string, description: string) => [
  ask("Priority among backups", priority),
  ask("Paid by volume"),
  ask("Probe targets"),
  ask("Description", description),
];

const noScript = scriptAvailable() ? undefined : "util-linux script is not installed";

describe.skipIf(skipWithout("terminal", noScript))("profile create on a terminal", () => {
  test("asks every DHCP field and offers the NIC's MAC", async () => {
    const root = makeRoot();
    const r = await runOnTerminal(["profile", "create", "cable"], root, [
      ask("Type (dhcp, static, pppoe, vdsl, qmi)", "dhcp"),
      ask("Network interface", "eth1"),
      // The default shown is the MAC read from sys/class/net/eth1.
      ask(`MAC address of that interface [${MAC.eth1}]`),
      ...DHCP_REST,
      ...COMMON_TAIL("2", "cable modem"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.transcript).toContain("profile cable created (DHCP, priority 2)");
    expect(readhash(mwanFile(root, "profiles/cable"))).toEqual({
      TYPE: "DHCP",
      DEVICE: "eth1",
      MACADDR: MAC.eth1,
      PRIORITY: "2",
      DESCRIPTION: "cable modem",
    });
  });

  test("an invalid answer is explained and asked again", async () => {
    const root = makeRoot();
    const r = await runOnTerminal(["profile", "create", "cable"], root, [
      ask("Type (dhcp, static, pppoe, vdsl, qmi)", "dhcp"),
      ask("Network interface", "eth1"),
      ask("MAC address"),
      ...DHCP_REST,
      ...COMMON_TAIL("0", ""),
      ask("Priority among backups", "7"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.transcript).toContain("PRIORITY: must be a whole number");
    expect(readhash(mwanFile(root, "profiles/cable")).PRIORITY).toBe("7");
  });

  test("PPPoE: the password typed is stored exactly", async () => {
    const root = makeRoot();
    const password = "s3cr$t pw!";
    const r = await runOnTerminal(["profile", "create", "dsl", "--type=pppoe", "--device=eth1"], root, [
      ask("MAC address"),
      ask("Kernel driver"),
      ask("Authentication"),
      ask("Username", "dsl@isp.example"),
      ask("Password", password),
      // Typed at a person's pace: an Enter within ~100 ms of the hidden
      // answer's is swallowed and mwan waits forever (reported bug).
      ask("PPPoE service name", "", 250),
      ask("IPTV on its own VLAN"),
      ask("IPTV VLAN"),
      ask("MTU"),
      ask("MRU"),
      ...COMMON_TAIL("", ""),
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(readhash(mwanFile(root, "profiles/dsl"))).toMatchObject({
      TYPE: "PPPOE",
      USERNAME: "dsl@isp.example",
      PASSWORD: password,
    });
  });
});

describe.skipIf(skipWithout("terminal", noScript))("an interrupted prompt", () => {
  test.each([
    ["Ctrl-C", "\u0003"],
    ["Ctrl-D", "\u0004"],
  ])("%s says so in one line, exits 130 and writes nothing", async (_, key) => {
    const root = makeRoot();
    await expectUntouched(root, async () => {
      const r = await runOnTerminal(["profile", "create", "cable"], root, [
        ask("Type", "dhcp"),
        ask("Network interface", `eth${key}`),
      ]);
      expect(r.code).toBe(EXIT.aborted);
      expect(r.transcript).toContain("mwan: aborted, nothing written");
      expect(r.transcript).not.toContain("internal error");
      expect(r.transcript).not.toContain("    at ");
    });
  });
});
