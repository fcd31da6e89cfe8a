import { describe, expect, test } from "bun:test";
import { type Journal, parseJournal, recoveryFor } from "../../../src/core/switch/journal.ts";
import { findDevice, identityOf, type NetInterface, rememberNics } from "../../../src/core/switch/device.ts";
import { validateProfile, type ProfileData } from "../../../src/core/schema/profile.ts";

const journal = (phase: Journal["phase"]): Journal => ({
  version: 1,
  from: "dsl",
  to: "lte",
  reason: "test",
  startedAt: 0,
  phase,
  original: { ethernet: "A=1\n", ppp: undefined, secrets: undefined },
  target: { ethernet: "A=2\n", ppp: "TYPE=qmi\n", secrets: undefined },
  children: [],
});

describe("recoveryFor", () => {
  test.each(["begun", "writing"] as const)("a switch interrupted while %s is rolled back", (phase) => {
    expect(recoveryFor(journal(phase))).toEqual({
      files: journal(phase).original,
      profile: "dsl",
      outcome: "rolled back",
    });
  });

  test("a switch whose files were all written is completed", () => {
    expect(recoveryFor(journal("written"))).toEqual({
      files: journal("written").target,
      profile: "lte",
      outcome: "completed",
    });
  });

  test("parseJournal refuses anything but a whole journal", () => {
    expect(parseJournal(JSON.stringify(journal("begun")))).toEqual(journal("begun"));
    expect(parseJournal("{")).toBeUndefined();
    expect(parseJournal('{"version":2}')).toBeUndefined();
  });

  // Recovery at boot writes what the journal says: nothing in it may become
  // a path outside IPFire's ppp directory or a name that is not a profile's.
  test.each<[string, (j: Record<string, unknown>) => void]>([
    ["a pppLink out of ppp/", (j) => ((j.original as Record<string, unknown>).pppLink = "../../../x")],
    ["a pppLink to another file of ppp/", (j) => ((j.target as Record<string, unknown>).pppLink = "secrets")],
    ["a target that is not a profile name", (j) => (j.to = "../lte")],
    ["a source that is not a profile name", (j) => (j.from = "Dsl")],
    ["an unknown phase", (j) => (j.phase = "done")],
    ["a child that is not a PID", (j) => (j.children = [-1])],
  ])("parseJournal refuses %s", (_, spoil) => {
    const j = JSON.parse(JSON.stringify(journal("begun")));
    spoil(j);
    expect(parseJournal(JSON.stringify(j))).toBeUndefined();
  });

  test("parseJournal refuses a key it does not know, __proto__ too", () => {
    const text = JSON.stringify(journal("begun")).replace(/^\{/, '{"__proto__":{"phase":"written"},');
    expect(parseJournal(text)).toBeUndefined();
  });

  test("parseJournal takes each of the web interface's dial profiles as a pppLink", () => {
    for (const n of [1, 2, 3, 4, 5]) {
      const j = { ...journal("written"), target: { ...journal("written").target, pppLink: `settings-${n}` } };
      expect(parseJournal(JSON.stringify(j))?.target.pppLink).toBe(`settings-${n}`);
    }
  });
});

function profile(raw: Record<string, string>): ProfileData {
  const r = validateProfile(raw, "profiles/t");
  if (!r.ok) throw new Error(r.errors.join("; "));
  return r.value;
}

describe("findDevice", () => {
  const nics: NetInterface[] = [
    { ifname: "red0", mac: "52:54:00:00:00:02", qmi: false },
    { ifname: "eth1", mac: "52:54:00:00:00:01", qmi: false },
    { ifname: "wwan0", mac: "02:ff:ff:ff:ff:00", qmi: true },
  ];

  test("by MAC, whatever the profile's DEVICE says (names change with the boot profile)", () => {
    const p = profile({
      TYPE: "DHCP",
      DEVICE: "red0",
      MACADDR: "52:54:00:00:00:01",
    });
    expect(findDevice(p, nics)).toEqual({
      ok: true,
      device: { ifname: "eth1", mac: "52:54:00:00:00:01" },
    });
  });

  test("an absent NIC is reported", () => {
    const p = profile({
      TYPE: "DHCP",
      DEVICE: "eth9",
      MACADDR: "52:54:00:00:00:99",
    });
    expect(findDevice(p, nics)).toEqual({
      ok: false,
      reason: "no interface has MAC 52:54:00:00:00:99 (is the network card plugged in?)",
    });
  });

  test("a QMI profile without MAC takes the only modem", () => {
    expect(findDevice(profile({ TYPE: "QMI", APN: "a.b" }), nics)).toEqual({
      ok: true,
      device: { ifname: "wwan0", mac: "02:ff:ff:ff:ff:00" },
    });
    expect(findDevice(profile({ TYPE: "QMI", APN: "a.b" }), nics.slice(0, 2))).toMatchObject({ ok: false });
  });
});

// IPFire's red start puts the spoofed MAC of mac/settings on every NIC that
// becomes RED and red stop leaves it (contract §0a.1); raw-IP mode empties a
// modem's address (§0a.2). The NIC must still be found.
describe("findDevice when addresses have changed", () => {
  const SPOOF = "02:aa:bb:cc:dd:ee";
  const dsl = (mac: string) => profile({ TYPE: "DHCP", DEVICE: "red0", MACADDR: mac });

  test("a real NIC by its permanent address, whatever address it has now", () => {
    const nics: NetInterface[] = [
      { ifname: "red0", mac: SPOOF, permanent: "52:54:00:00:00:02", qmi: false },
      { ifname: "eth1", mac: SPOOF, permanent: "52:54:00:00:00:01", qmi: false },
    ];
    expect(findDevice(dsl("52:54:00:00:00:02"), nics)).toMatchObject({
      ok: true,
      device: { ifname: "red0" },
    });
    expect(findDevice(dsl("52:54:00:00:00:01"), nics)).toMatchObject({
      ok: true,
      device: { ifname: "eth1" },
    });
  });

  test("a NIC without a permanent address (veth) by the name it had this boot", () => {
    const nics: NetInterface[] = [
      { ifname: "red0", mac: SPOOF, qmi: false },
      { ifname: "eth1", mac: SPOOF, qmi: false },
    ];
    const known = [
      { ifname: "eth1", mac: "52:54:00:00:00:01" }, // ethernet/settings' RED_DEV and RED_MACADDR
      { ifname: "red0", mac: "52:54:00:00:00:02" }, // recorded when RED left it
    ];
    expect(findDevice(dsl("52:54:00:00:00:02"), nics, known)).toMatchObject({
      ok: true,
      device: { ifname: "red0" },
    });
    expect(findDevice(dsl("52:54:00:00:00:02"), nics)).toMatchObject({ ok: false });
  });

  test("a name is no proof for a NIC that has a permanent address of its own", () => {
    const nics: NetInterface[] = [{ ifname: "red0", mac: SPOOF, permanent: "52:54:00:00:00:09", qmi: false }];
    const known = [{ ifname: "red0", mac: "52:54:00:00:00:02" }];
    expect(findDevice(dsl("52:54:00:00:00:02"), nics, known)).toMatchObject({ ok: false });
  });

  test("a QMI modem in raw-IP mode (no address) by its control channel's number", () => {
    const nics: NetInterface[] = [{ ifname: "wwan0", mac: "", qmi: true, wdm: 1 }];
    const lte = profile({ TYPE: "QMI", APN: "a.b", MACADDR: "02:ff:ff:ff:ff:01" });
    expect(findDevice(lte, nics)).toEqual({
      ok: true,
      device: { ifname: "wwan0", mac: "02:ff:ff:ff:ff:01" },
    });
    expect(identityOf({ ifname: "wwan0", mac: "", qmi: true, wdm: 12 })).toBe("02:ff:ff:ff:ff:0c");
  });

  test("what is remembered: newest first, one entry per name and per address", () => {
    const old = [
      { ifname: "red0", mac: "52:54:00:00:00:02" },
      { ifname: "eth1", mac: "52:54:00:00:00:01" },
    ];
    expect(rememberNics(old, [{ ifname: "red0", mac: "52:54:00:00:00:07" }])).toEqual([
      { ifname: "red0", mac: "52:54:00:00:00:07" },
      { ifname: "eth1", mac: "52:54:00:00:00:01" },
    ]);
  });
});
