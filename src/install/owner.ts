// The uid and gid of IPFire's "nobody", which owns the /var/ipfire trees. Read
// from the tree being installed into (its etc/passwd and etc/group), so a
// test root gets the firewall's ids; a tree without them uses the host's,
// where Debian calls the group "nogroup".

import { join } from "node:path";
import { readTextIfExists } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";

export interface Owner {
  uid: number;
  gid: number;
}

// Field 3 of the line for `name` in a passwd or group file.
function idOf(text: string | undefined, name: string): number | undefined {
  for (const line of text?.split("\n") ?? []) {
    const fields = line.split(":");
    if (fields[0] === name && /^[0-9]+$/.test(fields[2] ?? "")) return Number(fields[2]);
  }
  return undefined;
}

function lookup(etc: string): Owner | undefined {
  const passwd = readTextIfExists(join(etc, "passwd"));
  const group = readTextIfExists(join(etc, "group"));
  const uid = idOf(passwd, "nobody");
  const gid = idOf(group, "nobody") ?? idOf(group, "nogroup");
  return uid === undefined || gid === undefined ? undefined : { uid, gid };
}

// undefined when no nobody is known or mwan does not run as root, where
// chown could not succeed anyway: the tree keeps the installing user's ids.
export function nobodyOwner(paths: Paths): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return lookup(join(paths.root, "etc")) ?? lookup("/etc");
}
