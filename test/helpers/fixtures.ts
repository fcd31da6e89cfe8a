// mwan files as a configured box holds them: a primary captured from a DHCP
// RED and backups of each type, written the way mwan writes them.

import { MAC } from "./temp-root.ts";

export const PROFILE = {
  dhcp: `TYPE=DHCP\nDEVICE=red0\nMACADDR=${MAC.red}\nDRIVER=virtio_net\n`,
  static: `TYPE=STATIC\nDEVICE=eth1\nMACADDR=${MAC.eth1}\nADDRESS=192.0.2.10\nNETMASK=255.255.255.0\nGATEWAY=192.0.2.1\nPRIORITY=2\n`,
  pppoe: `TYPE=PPPOE\nDEVICE=eth1\nMACADDR=${MAC.eth1}\nUSERNAME=dsl@isp.example\nPASSWORD=TopSecret99\nPRIORITY=1\n`,
  qmi: `TYPE=QMI\nAPN=internet.provider.example\nPRIORITY=3\n`,
} as const;

// var/ipfire/mwan contents (for RootOptions.mwan): primary "home" plus the
// backups named, and the settings with PRIMARY set.
export function configured(
  backups: Partial<Record<keyof typeof PROFILE, string>> = {
    static: "office",
  },
  settings = "PRIMARY=home\n",
): Record<string, string> {
  const files: Record<string, string> = {
    settings,
    "profiles/home": PROFILE.dhcp,
  };
  for (const [type, name] of Object.entries(backups))
    files[`profiles/${name}`] = PROFILE[type as keyof typeof PROFILE];
  return files;
}
