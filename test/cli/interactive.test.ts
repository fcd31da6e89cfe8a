// `profile create` and `profile edit` on a terminal: each question shows its
// choices and default, the NICs of the box are offered, an answer is checked
// at once and asked again with the reason, a password is typed twice, and
// the profile is shown before it is saved.

import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { EXIT, expectUntouched } from "../helpers/expect-cli.ts";
import { skipWithout } from "../helpers/require.ts";
import { type Exchange, runOnTerminal, scriptAvailable } from "../helpers/terminal.ts";
import { configured } from "../helpers/fixtures.ts";
import { MAC, cleanup, makeRoot, mwanFile, put, readhash, snapshot } from "../helpers/temp-root.ts";

afterEach(cleanup);

const ask = (question: string, answer = "", pauseMs?: number): Exchange => ({
  question,
  answer,
  pauseMs,
});

const TYPE = "Type (dhcp/static/pppoe/vdsl/qmi)";
const NIC = "Network interface (number or name)";
// The DHCP questions after the type and the interface, Enter for defaults.
const DHCP_REST = [
  ask("Kernel driver"),
  ask("Host name sent to the DHCP server"),
  ask("Force this MTU"),
  ask("DHCP rapid commit (on/off) [on]"),
];
const COMMON_TAIL = (priority: string, description: string) => [
  ask("Priority among backups", priority),
  ask("Paid by volume"),
  ask("Probe targets"),
  ask("Description", description),
];
const SAVE = (name: string, answer = "") => ask(`Save profile ${name}? [Y/n]`, answer);

// Where the lines first appear one right after the other in the transcript
// (after `from`), failing the test if they do not.
function at(transcript: string, lines: string[], from = 0): number {
  const escaped = lines.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const i = transcript.slice(from).search(new RegExp(escaped.join("\\s*\\n")));
  if (i < 0) throw new Error(`${JSON.stringify(lines)} not shown after offset ${from}:\n${transcript}`);
  return from + i;
}

const noScript = scriptAvailable() ? undefined : "util-linux script is not installed";

describe.skipIf(skipWithout("terminal", noScript))("profile create on a terminal", () => {
  test("offers the NICs, shows every default, and the profile before saving it", async () => {
    const root = makeRoot();
    // eth1 as the kernel shows a virtio NIC with a cable in.
    put(root, "sys/class/net/eth1/carrier", "1\n");
    mkdirSync(join(root, "sys/class/net/eth1/device"));
    symlinkSync("../../../bus/virtio/drivers/virtio_net", join(root, "sys/class/net/eth1/device/driver"));
    const r = await runOnTerminal(["profile", "create", "cable"], root, [
      ask(TYPE, "dhcp"),
      // Answered by its number in the list (eth1, green0, red0).
      ask(NIC, "4"),
      ask(NIC, "1"),
      // The default shown is the MAC read from sys/class/net/eth1.
      ask(`MAC address of that interface [${MAC.eth1}]`),
      // The driver the NIC list shows, Enter takes it.
      ask("Kernel driver (optional) [virtio_net]"),
      ...DHCP_REST.slice(1),
      ask("Priority among backups (1 is tried first) [10]", "2"),
      ask("Paid by volume, so probed less often (on/off) [off]"),
      ask("Probe targets"),
      ask("Description", "cable modem"),
      SAVE("cable"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.transcript).toMatch(/1\) +eth1 +52:54:00:aa:bb:02 +virtio_net +link\r*\n/);
    expect(r.transcript).toMatch(/2\) +green0 +52:54:00:11:22:33 +- +down\r*\n/);
    at(r.transcript, ["DEVICE: 4 is not in the list (1 to 3, or a name)", NIC]);
    const summary = at(r.transcript, ["profile cable:"]);
    expect(r.transcript.slice(summary)).toMatch(/PRIORITY +2\r*\n/);
    expect(r.transcript.slice(summary)).toMatch(/METERED +off\r*\n/);
    expect(r.transcript).toContain("profile cable created (DHCP, priority 2)");
    // Defaults taken with Enter stay out of the file.
    expect(readhash(mwanFile(root, "profiles/cable"))).toEqual({
      TYPE: "DHCP",
      DEVICE: "eth1",
      MACADDR: MAC.eth1,
      DRIVER: "virtio_net",
      PRIORITY: "2",
      DESCRIPTION: "cable modem",
    });
  });

  test("a wrong answer is refused at once, with the reason, and asked again", async () => {
    const root = makeRoot();
    const r = await runOnTerminal(["profile", "create", "cable"], root, [
      ask(TYPE, "cable"),
      ask(TYPE, "dhcp"),
      ask(NIC, "eth1"),
      ask("MAC address"),
      ...DHCP_REST,
      ask("Priority among backups", "0"),
      ask("Priority among backups", "7"),
      ask("Paid by volume", "maybe"),
      ask("Paid by volume", "on"),
      ask("Probe targets"),
      ask("Description"),
      SAVE("cable"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    at(r.transcript, ["TYPE: must be one of dhcp, static, pppoe, vdsl, qmi", "Type"]);
    // The reason comes right after the answer, before the next question.
    const reason = at(r.transcript, [
      "PRIORITY: must be a whole number from 1 to 99",
      "Priority among backups",
    ]);
    at(r.transcript, ["METERED: must be on or off", "Paid by volume"], reason);
    expect(r.transcript).not.toContain("warning:");
    expect(readhash(mwanFile(root, "profiles/cable"))).toMatchObject({ PRIORITY: "7", METERED: "on" });
  });

  test("PPPoE: the password is typed twice and stored exactly", async () => {
    const root = makeRoot();
    const password = "s3cr$t pw!";
    const r = await runOnTerminal(["profile", "create", "dsl", "--type=pppoe", "--device=eth1"], root, [
      ask("MAC address"),
      ask("Kernel driver"),
      ask("Authentication (pap-or-chap/pap/chap) [pap-or-chap]"),
      ask("Username", "dsl@isp.example"),
      ask("Password:", "first try"),
      ask("Password again", "frist try", 250),
      ask("Password:", password, 250),
      ask("Password again", password, 250),
      // Typed at a person's pace: an Enter within ~100 ms of the hidden
      // answer's is swallowed and mwan waits forever (reported bug).
      ask("PPPoE service name", "", 250),
      ask("IPTV on its own VLAN (on/off) [off]"),
      ask("MTU"),
      ask("MRU"),
      ...COMMON_TAIL("", ""),
      SAVE("dsl"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    at(r.transcript, ["PASSWORD: the two did not match; type it again", "Password:"]);
    // With IPTV off its VLAN is neither asked nor shown.
    expect(r.transcript).not.toContain("IPTV VLAN");
    expect(r.transcript).not.toContain("IPTV_VLAN");
    expect(r.transcript).not.toContain(password);
    expect(r.transcript).toMatch(/PASSWORD +\*{8}\r*\n/);
    expect(readhash(mwanFile(root, "profiles/dsl"))).toMatchObject({
      TYPE: "PPPOE",
      USERNAME: "dsl@isp.example",
      PASSWORD: password,
    });
  });

  test("VDSL with IPTV on asks its VLAN", async () => {
    const root = makeRoot();
    const args = ["--type=vdsl", "--device=eth1", "--username=u", "--password=pw"];
    const r = await runOnTerminal(["profile", "create", "dsl", ...args], root, [
      ask("MAC address"),
      ask("Kernel driver"),
      ask("Authentication"),
      ask("PPPoE service name"),
      ask("VLAN the PPPoE session runs on (INET_VLAN) [7]"),
      ask("IPTV on its own VLAN (on/off) [off]", "on"),
      ask("IPTV VLAN [8]", "20"),
      ask("MTU"),
      ask("MRU"),
      ...COMMON_TAIL("", ""),
      SAVE("dsl"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(readhash(mwanFile(root, "profiles/dsl"))).toMatchObject({ IPTV: "on", IPTV_VLAN: "20" });
  });

  test("an interface the box does not have is refused at once, naming those it has", async () => {
    const root = makeRoot();
    const r = await runOnTerminal(["profile", "create", "cable", "--type=dhcp"], root, [
      ask(NIC, "eth9"),
      ask(NIC, "eth1"),
      ask(`MAC address of that interface [${MAC.eth1}]`),
      ...DHCP_REST,
      ...COMMON_TAIL("", ""),
      SAVE("cable"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    at(r.transcript, ["DEVICE: eth9: no such interface (the box has: eth1, green0, red0)", NIC]);
    expect(readhash(mwanFile(root, "profiles/cable"))).toMatchObject({ DEVICE: "eth1" });
  });

  test("an interface given as an option that the box does not have is refused before any question", async () => {
    const root = makeRoot();
    await expectUntouched(root, async () => {
      const r = await runOnTerminal(["profile", "create", "cable", "--type=dhcp", "--device=eth9"], root, []);
      expect(r.code).toBe(EXIT.config);
      expect(r.transcript).toContain("DEVICE: eth9: no such interface (the box has: eth1, green0, red0)");
      expect(r.transcript).not.toContain("MAC address");
    });
  });

  test("QMI may name a modem that is not plugged in now, with a note", async () => {
    const root = makeRoot();
    const r = await runOnTerminal(["profile", "create", "lte", "--type=qmi"], root, [
      ask("Network interface (number or name, optional)", "wwan1"),
      ask("MAC address"),
      ask("APN", "internet.provider.example"),
      ask("Authentication"),
      ask("Host name"),
      ask("Force this MTU"),
      ask("Priority among backups"),
      ask("Paid by volume"),
      ask("Probe targets"),
      ask("Description"),
      SAVE("lte"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    at(r.transcript, [
      "DEVICE: wwan1 is not on this box now; kept (a modem may be unplugged)",
      "MAC address",
    ]);
    expect(r.transcript).not.toContain("does not exist now");
    expect(readhash(mwanFile(root, "profiles/lte"))).toEqual({
      TYPE: "QMI",
      DEVICE: "wwan1",
      APN: "internet.provider.example",
    });
  });

  test("QMI without an interface is not asked for a MAC", async () => {
    const root = makeRoot();
    const r = await runOnTerminal(["profile", "create", "lte", "--type=qmi"], root, [
      ask("Network interface (number or name, optional)"),
      ask("APN", "internet.provider.example"),
      ask("Authentication (none/PAP/CHAP/pap-or-chap/pap/chap) [none]"),
      ask("Host name"),
      ask("Force this MTU"),
      ask("Priority among backups"),
      ask("Paid by volume, so probed less often (on/off) [on]"),
      ask("Probe targets"),
      ask("Description"),
      SAVE("lte"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.transcript).not.toContain("MAC address");
    // AUTH none hands qmicli no user name or password: not asked.
    expect(r.transcript).not.toContain("Username");
    expect(readhash(mwanFile(root, "profiles/lte"))).toEqual({
      TYPE: "QMI",
      APN: "internet.provider.example",
    });
  });

  test("QMI with PAP asks the user name and password; the priority offered follows the backups'", async () => {
    // dsl has PRIORITY 1, office 2 (home is the primary).
    const root = makeRoot({ mwan: configured({ pppoe: "dsl", static: "office" }) });
    const r = await runOnTerminal(["profile", "create", "lte", "--type=qmi"], root, [
      ask("Network interface (number or name, optional)"),
      ask("APN", "internet.provider.example"),
      ask("Authentication", "PAP"),
      ask("Username", "lte-user"),
      ask("Password:", "pw", 250),
      ask("Password again", "pw", 250),
      ask("Host name", "", 250),
      ask("Force this MTU"),
      ask("Priority among backups (1 is tried first) [3]"),
      ask("Paid by volume"),
      ask("Probe targets"),
      ask("Description"),
      SAVE("lte"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.transcript).toContain("profile lte created (QMI, priority 3)");
    expect(readhash(mwanFile(root, "profiles/lte"))).toMatchObject({
      AUTH: "PAP",
      USERNAME: "lte-user",
      PASSWORD: "pw",
      PRIORITY: "3",
    });
  });

  test("no to the summary writes nothing", async () => {
    const root = makeRoot();
    await expectUntouched(root, async () => {
      const r = await runOnTerminal(["profile", "create", "cable", "--type=dhcp", "--device=eth1"], root, [
        ask("MAC address"),
        ...DHCP_REST,
        ...COMMON_TAIL("", ""),
        SAVE("cable", "n"),
      ]);
      expect(r.code).toBe(EXIT.failure);
      expect(r.transcript).toContain("mwan: aborted, nothing written");
    });
  });
});

describe.skipIf(skipWithout("terminal", noScript))("profile edit on a terminal", () => {
  test("offers the current values and can change the type", async () => {
    const root = makeRoot({
      mwan: {
        "profiles/cable": `TYPE=DHCP\nDEVICE=eth1\nMACADDR=${MAC.eth1}\nDHCP_HOSTNAME=fw\nPRIORITY=4\nDESCRIPTION=old\n`,
      },
    });
    const r = await runOnTerminal(["profile", "edit", "cable"], root, [
      ask(`${TYPE} [dhcp]`, "static"),
      ask(`${NIC} [eth1]`),
      ask(`MAC address of that interface [${MAC.eth1}]`),
      ask("Kernel driver"),
      ask("IPv4 address", "192.0.2.10"),
      ask("Netmask", "255.255.255.0"),
      // Outside the subnet: said as soon as the gateway is typed.
      ask("Gateway", "198.51.100.1"),
      ask("Gateway", "192.0.2.1"),
      ask("MTU"),
      ask("Priority among backups (1 is tried first) [4]"),
      ask("Paid by volume"),
      ask("Probe targets"),
      // "-" clears a value.
      ask("Description (optional) [old]", "-"),
      SAVE("cable"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    at(r.transcript, ["GATEWAY: 198.51.100.1 is not inside 192.0.2.10/255.255.255.0", "Gateway"]);
    at(r.transcript, ["dropped DHCP_HOSTNAME: not used by TYPE=STATIC", "profile cable:"]);
    // DHCP_HOSTNAME is not a STATIC key: it goes with the old type.
    expect(readhash(mwanFile(root, "profiles/cable"))).toEqual({
      TYPE: "STATIC",
      DEVICE: "eth1",
      MACADDR: MAC.eth1,
      ADDRESS: "192.0.2.10",
      NETMASK: "255.255.255.0",
      GATEWAY: "192.0.2.1",
      PRIORITY: "4",
    });
  });
});

describe.skipIf(skipWithout("terminal", noScript))("profile edit of a password", () => {
  test("Enter keeps it, without asking for it again", async () => {
    const root = makeRoot({ mwan: configured({ pppoe: "dsl" }) });
    const before = mwanFile(root, "profiles/dsl");
    const r = await runOnTerminal(["profile", "edit", "dsl"], root, [
      ask(`${TYPE} [pppoe]`),
      ask(`${NIC} [eth1]`),
      ask("MAC address"),
      ask("Kernel driver"),
      ask("Authentication"),
      ask("Username [dsl@isp.example]"),
      ask("Password [unchanged]"),
      ...["PPPoE service", "IPTV on", "MTU", "MRU", "Priority among backups (1 is tried first) [1]"].map(
        (q) => ask(q, "", 150),
      ),
      ...COMMON_TAIL("", "").slice(1),
      SAVE("dsl"),
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.transcript).not.toContain("Password again");
    expect(mwanFile(root, "profiles/dsl")).toBe(before);
  });
});

describe.skipIf(skipWithout("terminal", noScript))("profile delete on a terminal", () => {
  // home (DHCP primary), dsl (PPPoE with a password), office (STATIC).
  const root = () => makeRoot({ mwan: configured({ pppoe: "dsl", static: "office" }) });
  const DSL = "var/ipfire/mwan/profiles/dsl";

  test("asks first; Enter keeps the profile", async () => {
    const r0 = root();
    await expectUntouched(r0, async () => {
      const r = await runOnTerminal(["profile", "delete", "dsl"], r0, [
        ask("Delete profile dsl and its password? [y/N]"),
      ]);
      expect(r.code).toBe(EXIT.failure);
      expect(r.transcript).toContain("mwan: aborted, profile dsl kept");
    });
  });

  test("y deletes it; a profile without a password is asked about as such", async () => {
    const r0 = root();
    const r = await runOnTerminal(["profile", "delete", "dsl"], r0, [ask("[y/N]", "y")]);
    expect(r.code).toBe(EXIT.ok);
    expect(r.transcript).toContain("profile dsl deleted");
    expect(snapshot(r0)[DSL]).toBeUndefined();
    const o = await runOnTerminal(["profile", "delete", "office"], r0, [
      ask("Delete profile office? [y/N]", "yes"),
    ]);
    expect(o.code).toBe(EXIT.ok);
  });

  test("--yes does not ask", async () => {
    const r0 = root();
    const r = await runOnTerminal(["profile", "delete", "dsl", "--yes"], r0, []);
    expect(r.code).toBe(EXIT.ok);
    expect(r.transcript).not.toContain("[y/N]");
    expect(snapshot(r0)[DSL]).toBeUndefined();
  });

  test("the primary and the profile RED is on are refused before any question", async () => {
    const r0 = root();
    put(r0, "var/ipfire/mwan/state/active", "dsl\n");
    await expectUntouched(r0, async () => {
      for (const [name, why] of [
        ["home", "this is the primary"],
        ["dsl", "RED is using this profile now"],
      ] as const) {
        const r = await runOnTerminal(["profile", "delete", name], r0, []);
        expect(r.code).toBe(EXIT.config);
        expect(r.transcript).toContain(why);
        expect(r.transcript).not.toContain("[y/N]");
      }
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
