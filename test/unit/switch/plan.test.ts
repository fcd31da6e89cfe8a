import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { ConfigError } from "../../../src/core/errors.ts";
import { applyRedKeys, primaryTarget, describeChanges, holds } from "../../../src/core/switch/plan.ts";
import type { RedTexts } from "../../../src/core/switch/red-files.ts";
import { OWNED_ETHERNET, type RedKeys } from "../../../src/core/switch/red-keys.ts";

// Keys a backup's ppp/settings may hold.
const PPP_KEYS = ["TYPE", "USERNAME", "PASSWORD", "AUTH", "MTU", "APN", "INET_VLAN", "IPTV", "IPTV_VLAN"];

const ETH =
  "CONFIG_TYPE=1\nGREEN_DEV=green0\nRED_DESCRIPTION='\"pci: virtio\"'\nRED_TYPE=DHCP\nRED_DEV=red0\nRED_DRIVER=virtio_net\nRED_DHCP_FORCE_MTU=\nFOO=bar\n";
const FILES: RedTexts = {
  ethernet: ETH,
  ppp: "PROFILENAME=gui\nTYPE=pppoe\n",
  secrets: "'a' * 'b'\n",
};
const STATIC: RedKeys = {
  ethernet: {
    RED_TYPE: "STATIC",
    RED_DEV: "eth1",
    RED_DRIVER: undefined,
    RED_ADDRESS: "192.0.2.2",
  },
};

describe("applyRedKeys", () => {
  test("changes only the keys given, in place; unset keys are emptied, not moved", () => {
    const out = applyRedKeys(FILES, STATIC);
    expect(out.ethernet).toBe(
      "CONFIG_TYPE=1\nGREEN_DEV=green0\nRED_DESCRIPTION='\"pci: virtio\"'\nRED_TYPE=STATIC\nRED_DEV=eth1\nRED_DRIVER=\nRED_DHCP_FORCE_MTU=\nFOO=bar\nRED_ADDRESS=192.0.2.2\n",
    );
    expect(out.ppp).toBe(FILES.ppp); // DHCP/STATIC leave ppp alone
    expect(out.secrets).toBe(FILES.secrets);
  });

  test("a key to unset that is absent stays absent", () => {
    const out = applyRedKeys({ ...FILES, ethernet: "A=1\n" }, { ethernet: { RED_MTU: undefined } });
    expect(out.ethernet).toBe("A=1\n");
  });

  test("refuses a value IPFire's shell would drop from ethernet/settings", () => {
    expect(() => applyRedKeys(FILES, { ethernet: { RED_DEV: "eth$1" } })).toThrow(ConfigError);
  });

  test("after applying, the files hold the keys; describeChanges lists exactly them", () => {
    const out = applyRedKeys(FILES, STATIC);
    expect(holds(out, STATIC)).toBe(true);
    expect(holds(FILES, STATIC)).toBe(false);
    expect(describeChanges(FILES, out).map((c) => c.key)).toEqual([
      "RED_TYPE",
      "RED_DEV",
      "RED_DRIVER",
      "RED_ADDRESS",
    ]);
  });
});

describe("primaryTarget", () => {
  const snapshot = { ...FILES, pppLink: "settings-1" };
  const dhcp: RedKeys = {
    ethernet: { RED_TYPE: "DHCP", RED_DEV: "red0", RED_DRIVER: "virtio_net" },
  };

  test("restores the snapshot's bytes, with its ppp link, after any backups", () => {
    const lte: RedKeys = {
      ethernet: { RED_TYPE: "PPPOE", RED_DRIVER: "qmi_wwan", RED_DEV: "wwan0" },
      ppp: { TYPE: "qmi", APN: "a.b" },
    };
    const onBackup = applyRedKeys(applyRedKeys(FILES, STATIC), lte);
    expect(primaryTarget({ ...onBackup, pppLink: undefined }, snapshot, dhcp)).toEqual(snapshot);
  });

  test("keeps the admin's changes made while on a backup", () => {
    const onBackup = applyRedKeys(FILES, STATIC);
    const edited = {
      ...onBackup,
      ethernet: onBackup.ethernet?.replace("FOO=bar", "FOO=changed"),
    };
    const back = primaryTarget(edited, snapshot, dhcp);
    expect(back.ethernet).toContain("FOO=changed");
    expect(holds(back, dhcp)).toBe(true);
  });

  test("property: any sequence of backups, then the primary, gives the primary's exact bytes", () => {
    const value = fc.stringMatching(/^[A-Za-z0-9.:_-]{1,12}$/);
    const ethKeys = fc.dictionary(fc.constantFrom(...OWNED_ETHERNET), fc.option(value, { nil: undefined }));
    const pppKeys = fc.option(fc.dictionary(fc.constantFrom(...PPP_KEYS), value), { nil: undefined });
    const backup = fc.record({
      ethernet: ethKeys,
      ppp: pppKeys,
      secrets: fc.option(value, { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(backup, { maxLength: 6 }), (backups) => {
        const onBackup = backups.reduce<RedTexts>(
          (files, keys) => applyRedKeys(files, keys as RedKeys),
          FILES,
        );
        expect(primaryTarget({ ...onBackup }, snapshot, dhcp)).toEqual(snapshot);
      }),
    );
  });

  test("a backup's ppp/settings holds its keys alone, in writehash's quoting", () => {
    const out = applyRedKeys(FILES, { ethernet: {}, ppp: { TYPE: "pppoe", USERNAME: "u", PASSWORD: "a b" } });
    expect(out.ppp).toBe("TYPE=pppoe\nUSERNAME=u\nPASSWORD='a b'\n");
    expect(out).not.toHaveProperty("pppLink");
  });

  test("the snapshot's ppp/settings comes back when it holds the primary, else the primary's own", () => {
    const pppoe: RedKeys = { ethernet: {}, ppp: { TYPE: "pppoe" }, secrets: "'a' * 'b'\n" };
    expect(primaryTarget({ ...FILES, ppp: "TYPE=qmi\n" }, snapshot, pppoe)).toEqual(snapshot);
    const stale = { ...snapshot, ppp: "TYPE=qmi\nPROFILENAME=gui\n" };
    expect(primaryTarget({ ...FILES, ppp: "TYPE=qmi\n" }, stale, pppoe)).toMatchObject({
      ppp: "TYPE=pppoe\n",
    });
    expect(primaryTarget({ ...FILES, ppp: "TYPE=qmi\n" }, stale, pppoe)).not.toHaveProperty("pppLink");
  });
});
