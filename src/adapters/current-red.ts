// IPFire's RED as it is configured now, as profile keys (core/ipfire/capture):
// what `profile import-current` saves and what `mwan status` compares with
// the profile mwan believes RED is on.

import { captureRed } from "../core/ipfire/capture.ts";
import { ConfigError } from "../core/errors.ts";
import { parseSettings, toRecord } from "../core/settings/codec.ts";
import type { IpfireSystem } from "./ipfire-system.ts";

export function captureCurrentRed(sys: IpfireSystem): Record<string, string> {
  const red = sys.readRedFiles();
  if (red.ethernet === undefined)
    throw new ConfigError("/var/ipfire/ethernet/settings: missing; is this an IPFire system?");
  // Read as IPFire reads them (a line IPFire skips is skipped here too).
  const record = (text: string | undefined, source: string) =>
    toRecord(parseSettings(text ?? "", source, { ipfire: true }));
  return captureRed({
    ethernet: record(red.ethernet, "/var/ipfire/ethernet/settings"),
    ppp: record(red.ppp, "/var/ipfire/ppp/settings"),
    secrets: red.secrets,
    ...(red.pppLink ? { pppLink: red.pppLink } : {}),
  });
}
