// Whether a profile describes the RED IPFire holds, as PRIMARY must: failing
// back restores the primary's files, and status names RED after PRIMARY. What
// is compared is what tells two uplinks apart: the type, the NIC (by MACADDR,
// the address udev names it by, else by DEVICE), and within a type a STATIC
// address, a PPPoE or VDSL user name, a QMI APN. Both sides are profile keys
// (RED's as captureRed makes them).

type Keys = Readonly<Record<string, string>>;

const TELLS_APART: Record<string, string> = {
  STATIC: "ADDRESS",
  PPPOE: "USERNAME",
  VDSL: "USERNAME",
  QMI: "APN",
};

const type = (k: Keys) => (k.TYPE ?? "").toUpperCase();
const mac = (k: Keys) => k.MACADDR?.toLowerCase() || undefined;

function sameNic(a: Keys, b: Keys): boolean {
  const [ma, mb] = [mac(a), mac(b)];
  if (ma && mb) return ma === mb;
  // A QMI profile may name neither; what cannot be told apart is not a mismatch.
  return !a.DEVICE || !b.DEVICE || a.DEVICE === b.DEVICE;
}

function describe(k: Keys, withMac: boolean): string {
  const t = type(k);
  const key = TELLS_APART[t];
  const value = key ? k[key] : undefined;
  const what = !value
    ? ""
    : key === "USERNAME"
      ? ` as ${value}`
      : key === "APN"
        ? ` APN ${value}`
        : ` ${value}`;
  const on = k.DEVICE ?? mac(k) ?? "its modem";
  return `${t || "of no type"}${what} on ${on}${withMac && mac(k) ? ` (${mac(k)})` : ""}`;
}

// How each side reads when they differ, e.g. "QMI APN internet on wwan0"
// against "DHCP on red0"; undefined when the profile describes RED.
export function redMismatch(profile: Keys, red: Keys): { profile: string; red: string } | undefined {
  const t = type(profile);
  const key = TELLS_APART[t];
  const same =
    t === type(red) &&
    sameNic(profile, red) &&
    (key === undefined || (profile[key] ?? "") === (red[key] ?? ""));
  if (same) return undefined;
  // Two NICs of one name tell apart only by their addresses.
  const withMac = !sameNic(profile, red) && profile.DEVICE !== undefined && profile.DEVICE === red.DEVICE;
  return { profile: describe(profile, withMac), red: describe(red, withMac) };
}

// What a PRIMARY is compared with: RED's keys (`what` names whose they are:
// RED's now, or the primary's files mwan saved while RED is on a backup), or
// why there is nothing to compare with.
export type RedSide = { keys: Keys; what: string } | { note: string };

// One line naming both sides, or the note; undefined when they match.
export function primaryMismatch(
  name: string,
  profile: Keys,
  red: RedSide,
): { mismatch: string } | { note: string } | undefined {
  if ("note" in red) return { note: red.note };
  const m = redMismatch(profile, red.keys);
  return m && { mismatch: `profiles/${name} is ${m.profile}, but ${red.what} is ${m.red}` };
}
