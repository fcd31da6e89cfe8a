// The contents IPFire's RED files get for a switch, computed from what they
// hold now: only the keys in RedKeys change, every other line stays as it is.

import { emptyDoc, parseSettings, serializeSettings, toRecord, withValues } from "../settings/codec.ts";
import { type NetInterface, nicFor } from "./device.ts";
import { type Changes, OWNED_ETHERNET, type RedKeys } from "./red-keys.ts";
import type { RedSnapshot, RedTexts } from "./red-files.ts";

// IPFire's files are read the way IPFire reads them (codec.ts).
const IPFIRE = { ipfire: true } as const;

export const RED_FILES = {
  ethernet: "/var/ipfire/ethernet/settings",
  ppp: "/var/ipfire/ppp/settings",
  secrets: "/var/ipfire/ppp/secrets",
} as const;

export function applyRedKeys(current: RedSnapshot, keys: RedKeys): RedSnapshot {
  const ethernet = rewrite(current.ethernet, keys.ethernet, RED_FILES.ethernet, true);
  const secrets = keys.secrets ?? current.secrets;
  if (!keys.ppp) return withLink({ ethernet, ppp: current.ppp, secrets }, current.pppLink);
  // The web UI's dial profile, linked; or a file of the profile's keys alone.
  if (keys.pppLink) return withLink({ ethernet, ppp: keys.pppLink.text, secrets }, keys.pppLink.name);
  return { ethernet, ppp: pppFile(keys.ppp), secrets };
}

// ppp/settings as writehash writes it: KEY=value lines, a value with a space
// in single quotes. It holds PPPoE's PASSWORD, which IPFire's shell never
// reads (pppd takes it from ppp/secrets); the profile schema checked the rest.
function pppFile(keys: Record<string, string>): string {
  return serializeSettings(withValues(emptyDoc(), keys, { source: RED_FILES.ppp }));
}

function withLink(files: RedTexts, pppLink: string | undefined): RedSnapshot {
  return pppLink === undefined ? files : { ...files, pppLink };
}

function rewrite(
  text: string | undefined,
  changes: Record<string, string | undefined>,
  source: string,
  shellRead: boolean,
): string {
  const doc = parseSettings(text ?? "", source, IPFIRE);
  const have = toRecord(doc);
  // An empty value and a missing key mean the same to IPFire's readers, so a
  // key to unset is emptied where it stands, never moved or removed: lines
  // keep their order, and a later switch back restores the same bytes.
  const needed: Record<string, string> = {};
  for (const [key, want] of Object.entries(changes)) {
    if ((have[key] ?? "") !== (want ?? "")) needed[key] = want ?? "";
  }
  return serializeSettings(withValues(doc, needed, { source, shellRead }));
}

// RED_DEV as this boot names the NIC with RED_MACADDR. Names depend on the
// profile that was active at boot (contract §0.10), so files saved before a
// reboot (a switch's journal) may name a NIC that is called otherwise now.
export function onCurrentDevice(files: RedSnapshot, interfaces: readonly NetInterface[]): RedSnapshot {
  if (files.ethernet === undefined) return files;
  const have = toRecord(parseSettings(files.ethernet, RED_FILES.ethernet, IPFIRE));
  const mac = have.RED_MACADDR?.toLowerCase();
  const nic = mac ? nicFor(mac, interfaces, []) : undefined;
  if (nic === undefined || nic.ifname === have.RED_DEV) return files;
  return { ...files, ethernet: rewrite(files.ethernet, { RED_DEV: nic.ifname }, RED_FILES.ethernet, true) };
}

// Whether the files say what `keys` needs: the test for "IPFire's files hold
// this whole profile".
export function holds(texts: RedTexts, keys: RedKeys): boolean {
  const matches = (text: string | undefined, want: Record<string, string | undefined>, source: string) => {
    const have = toRecord(parseSettings(text ?? "", source, IPFIRE));
    return Object.entries(want).every(([k, v]) => (have[k] ?? "") === (v ?? ""));
  };
  if (!matches(texts.ethernet, keys.ethernet, RED_FILES.ethernet)) return false;
  if (keys.ppp && !matches(texts.ppp, keys.ppp, RED_FILES.ppp)) return false;
  return keys.secrets === undefined || texts.secrets === keys.secrets;
}

export interface KeyChange {
  file: string;
  key: string;
  before: string | undefined;
  after: string | undefined;
}

// Key-by-key differences, for --dry-run and the log.
export function describeChanges(before: RedTexts, after: RedTexts): KeyChange[] {
  const out: KeyChange[] = [];
  for (const name of ["ethernet", "ppp"] as const) {
    const source = RED_FILES[name];
    const a = toRecord(parseSettings(before[name] ?? "", source, IPFIRE));
    const b = toRecord(parseSettings(after[name] ?? "", source, IPFIRE));
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if ((a[key] ?? "") !== (b[key] ?? "")) out.push({ file: source, key, before: a[key], after: b[key] });
    }
  }
  if (before.secrets !== after.secrets) {
    out.push({
      file: RED_FILES.secrets,
      key: "(credentials)",
      before: before.secrets,
      after: after.secrets,
    });
  }
  return out;
}

// Back on the primary, IPFire's files are restored to the bytes they had
// before mwan first left it (key order, quoting, the settings-N link, lines
// IPFire's readers skip). ethernet/settings: mwan's keys the primary's type
// does not use (RED_MTU under DHCP, say) get the snapshot's values back, and
// the snapshot is restored when it says what the primary needs now — the
// admin may have changed other keys meanwhile, and those changes stay.
// ppp/settings and ppp/secrets are the profile's alone: the snapshot's when
// it holds the primary, else what the primary needs; a file the primary does
// not use at all (ppp files under a DHCP primary) comes back as it was.
export function primaryTarget(current: RedSnapshot, snapshot: RedSnapshot, keys: RedKeys): RedSnapshot {
  const was = toRecord(parseSettings(snapshot.ethernet ?? "", RED_FILES.ethernet, IPFIRE));
  const ethernetKeys = { ...Object.fromEntries(OWNED_ETHERNET.map((k) => [k, was[k]])), ...keys.ethernet };
  const target = applyRedKeys(current, { ...keys, ethernet: ethernetKeys });
  const sameEthernet =
    snapshot.ethernet !== undefined &&
    describeChanges({ ...EMPTY, ethernet: target.ethernet }, { ...EMPTY, ethernet: snapshot.ethernet })
      .length === 0;
  const pppHeld = keys.ppp
    ? snapshot.ppp !== undefined && holds({ ...EMPTY, ppp: snapshot.ppp }, { ethernet: {}, ppp: keys.ppp })
    : snapshot.ppp !== undefined;
  const secretsHeld =
    keys.secrets === undefined ? snapshot.secrets !== undefined : snapshot.secrets === keys.secrets;
  return withLink(
    {
      ethernet: sameEthernet ? snapshot.ethernet : target.ethernet,
      ppp: pppHeld ? snapshot.ppp : target.ppp,
      secrets: secretsHeld ? snapshot.secrets : target.secrets,
    },
    pppHeld ? snapshot.pppLink : target.pppLink,
  );
}

const EMPTY: RedTexts = {
  ethernet: undefined,
  ppp: undefined,
  secrets: undefined,
};

// The IPTV VLAN a PPP RED with IPTV=enable has (red 265-312): RED_DEV.IPTV_VLAN
// with a dhcpcd of its own, which `red stop` leaves running (§0a.3) until its
// lease ends and its hook runs red.down under whatever carries RED then.
export function iptvLink(files: RedTexts): string | undefined {
  const e = toRecord(parseSettings(files.ethernet ?? "", RED_FILES.ethernet, IPFIRE));
  const p = toRecord(parseSettings(files.ppp ?? "", RED_FILES.ppp, IPFIRE));
  if (e.RED_TYPE !== "PPPOE" || p.TYPE === "qmi" || p.IPTV !== "enable" || !e.RED_DEV) return undefined;
  const vlan = p.IPTV_VLAN === undefined || p.IPTV_VLAN === "" ? "8" : p.IPTV_VLAN;
  const link = `${e.RED_DEV}.${vlan}`;
  return /^[0-9]{1,4}$/.test(vlan) && /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,14}$/.test(link) ? link : undefined;
}
