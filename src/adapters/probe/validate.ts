// Inputs that end up in an argv or a /sys path. They come from files (red/iface)
// and user settings, so they are checked before use: a name starting with "-"
// would be read as an option, one with "/" would escape /sys/class/net.

// Linux limits interface names to 15 bytes (IFNAMSIZ - 1) and forbids "/" and
// whitespace; we also refuse a leading "-" and anything outside the usual set.
const IFACE = /^[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,14}$/;

export const isIfaceName = (name: string): boolean => IFACE.test(name);

export function isIpv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}
