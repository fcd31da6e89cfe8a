// Whether IPFire's RED (as captureRed reads it) is the profile mwan believes
// it is on. Only what tells two connections apart is compared: the type and
// the key that names the line of that type. The NIC is left out: IPFire's
// MAC spoofing and udev's renames change how it looks without changing RED.

const IDENTITY: Record<string, readonly string[]> = {
  DHCP: [],
  STATIC: ["ADDRESS", "GATEWAY"],
  PPPOE: ["USERNAME"],
  VDSL: ["USERNAME", "VLAN"],
  QMI: ["APN"],
};

// How RED differs from the profile, in words; null when it matches.
export function redMismatch(red: Record<string, string>, profile: Record<string, string>): string | null {
  if (red.TYPE !== profile.TYPE) return `RED is ${red.TYPE}, the profile ${profile.TYPE}`;
  for (const key of IDENTITY[red.TYPE ?? ""] ?? []) {
    const [r, p] = [red[key] ?? "", profile[key] ?? ""];
    if (r !== p) return `RED's ${key} is ${r || "not set"}, the profile's ${p || "not set"}`;
  }
  return null;
}
