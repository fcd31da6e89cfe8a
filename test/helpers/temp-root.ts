// Throwaway root directories that look like the parts of an IPFire box mwan
// reads and writes (contract §1.2–1.5): ethernet/settings for the RED type
// asked for, ppp/settings (a hard link to settings-1, as pppsetup.cgi leaves
// it) with ppp/secrets, and fake NICs under sys/class/net. Every root made
// here is removed by cleanup(), which each test file runs in afterEach.

import { createHash } from "node:crypto";
import {
  chmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export type RedType = "dhcp" | "static" | "pppoe" | "qmi";

export interface RootOptions {
  // Which RED IPFire has now; DHCP is what setup proposes by default.
  red?: RedType;
  // Keys merged into ethernet/settings (undefined removes a key); false
  // leaves the file out, as on a machine that is not an IPFire.
  ethernet?: Record<string, string | undefined> | false;
  // Keys merged into ppp/settings; written for pppoe and qmi, or when given.
  ppp?: Record<string, string | undefined>;
  // ppp/secrets text; by default the line pppsetup.cgi writes for PPPoE.
  secrets?: string | false;
  // Interface name → MAC; by default green0, red0 and a spare eth1.
  nics?: Record<string, string>;
  // mwan's own files, relative to var/ipfire/mwan (e.g. "settings",
  // "profiles/dsl"), written as given.
  mwan?: Record<string, string>;
  // Directory to make the root in (default os.tmpdir()), to watch siblings.
  parent?: string;
}

export const MAC = {
  green: "52:54:00:11:22:33",
  red: "52:54:00:aa:bb:01",
  eth1: "52:54:00:aa:bb:02",
  // udev's address for the first QMI modem (contract §4).
  wwan: "02:ff:ff:ff:ff:00",
} as const;

export const PPP_USER = "user@isp.example";
export const PPP_PASSWORD = "s3cret+pw";

const GREEN = {
  CONFIG_TYPE: "1",
  GREEN_DEV: "green0",
  GREEN_MACADDR: MAC.green,
  GREEN_DRIVER: "virtio_net",
  GREEN_DESCRIPTION: `'"Red Hat, Inc. Virtio network device"'`,
  GREEN_ADDRESS: "192.168.1.1",
  GREEN_NETMASK: "255.255.255.0",
  GREEN_NETADDRESS: "192.168.1.0",
  GREEN_BROADCAST: "192.168.1.255",
};

// setup writes 0.0.0.0 for the address keys of every non-STATIC RED (§1.2).
const RED_COMMON = {
  RED_DEV: "red0",
  RED_MACADDR: MAC.red,
  RED_DRIVER: "virtio_net",
  RED_DESCRIPTION: `'"Red Hat, Inc. Virtio network device"'`,
  RED_ADDRESS: "0.0.0.0",
  RED_NETMASK: "0.0.0.0",
  RED_NETADDRESS: "0.0.0.0",
  RED_BROADCAST: "",
  DEFAULT_GATEWAY: "0.0.0.0",
  RED_MTU: "",
  RED_MODE: "",
  RED_SLAVES: "",
};

const ETHERNET: Record<RedType, Record<string, string>> = {
  dhcp: {
    ...RED_COMMON,
    RED_TYPE: "DHCP",
    RED_DHCP_HOSTNAME: "ipfire",
    RED_DHCP_FORCE_MTU: "",
    RED_DHCP_RAPID_COMMIT: "on",
  },
  static: {
    ...RED_COMMON,
    RED_TYPE: "STATIC",
    RED_ADDRESS: "198.51.100.10",
    RED_NETMASK: "255.255.255.0",
    RED_NETADDRESS: "198.51.100.0",
    RED_BROADCAST: "198.51.100.255",
    DEFAULT_GATEWAY: "198.51.100.1",
    RED_MTU: "1500",
  },
  pppoe: { ...RED_COMMON, RED_TYPE: "PPPOE" },
  qmi: {
    ...RED_COMMON,
    RED_TYPE: "PPPOE",
    RED_MACADDR: MAC.wwan,
    RED_DRIVER: "qmi_wwan",
    RED_DESCRIPTION: "",
  },
};

// A profile as pppsetup.cgi saves it (§1.5), with the keys mwan ignores.
const PPP_PROFILE = {
  PROFILE: "1",
  PROFILENAME: "dsl",
  MAXRETRIES: "5",
  HOLDOFF: "30",
  TIMEOUT: "15",
  BACKUPPROFILE: "1",
  RECONNECTION: "persistent",
  AUTOCONNECT: "on",
  DEBUG: "off",
  VALID: "yes",
};

const PPP: Record<"pppoe" | "qmi", Record<string, string>> = {
  pppoe: {
    ...PPP_PROFILE,
    TYPE: "pppoe",
    USERNAME: PPP_USER,
    PASSWORD: PPP_PASSWORD,
    AUTH: "pap-or-chap",
    MTU: "1492",
    MRU: "1492",
    SERVICENAME: "",
    CONCENTRATORNAME: "",
  },
  qmi: {
    ...PPP_PROFILE,
    PROFILENAME: "lte",
    TYPE: "qmi",
    APN: "internet.provider.example",
    AUTH: "",
    USERNAME: "",
    PASSWORD: "",
  },
};

const made: string[] = [];

// Settings text as IPFire writes it: KEY=value lines (values already quoted
// where the fixture wants them quoted).
export function settingsText(keys: Record<string, string | undefined>): string {
  return Object.entries(keys)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}\n`)
    .join("");
}

export function makeRoot(opts: RootOptions = {}): string {
  const root = mkdtempSync(join(opts.parent ?? tmpdir(), "mwan-test-"));
  made.push(root);
  const red = opts.red ?? "dhcp";
  if (opts.ethernet !== false) {
    put(root, "var/ipfire/ethernet/settings", settingsText({ ...GREEN, ...ETHERNET[red], ...opts.ethernet }));
  }
  const ppp = red === "pppoe" || red === "qmi" ? PPP[red] : undefined;
  if (ppp || opts.ppp) {
    put(root, "var/ipfire/ppp/settings-1", settingsText({ ...ppp, ...opts.ppp }));
    linkSync(join(root, "var/ipfire/ppp/settings-1"), join(root, "var/ipfire/ppp/settings"));
  }
  const secrets = opts.secrets ?? (red === "pppoe" ? `'${PPP_USER}' * '${PPP_PASSWORD}'\n` : false);
  if (secrets !== false) put(root, "var/ipfire/ppp/secrets", secrets, 0o600);
  // udev renamed the NIC (or QMI modem) whose MAC is RED_MACADDR to red0.
  const nics = opts.nics ?? {
    green0: MAC.green,
    red0: red === "qmi" ? MAC.wwan : MAC.red,
    eth1: MAC.eth1,
  };
  for (const [ifname, mac] of Object.entries(nics)) put(root, `sys/class/net/${ifname}/address`, `${mac}\n`);
  for (const [rel, text] of Object.entries(opts.mwan ?? {}))
    put(root, `var/ipfire/mwan/${rel}`, text, rel.startsWith("profiles/") ? 0o600 : 0o644);
  return root;
}

// An empty temp directory, cleaned up like the roots (a "sibling" to watch).
export function makeTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mwan-test-"));
  made.push(dir);
  return dir;
}

// Writes a file below root, making its directories.
export function put(root: string, rel: string, text: string, mode = 0o644): void {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
}

export function read(root: string, rel: string): string {
  return readFileSync(join(root, rel), "utf8");
}

export const mwanFile = (root: string, rel: string): string => read(root, `var/ipfire/mwan/${rel}`);

// Keys as IPFire's Perl General::readhash sees them: split at the first "=",
// one leading and one trailing single quote stripped (contract §1.4).
export function readhash(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    let v = line.slice(eq + 1);
    if (v.startsWith("'")) v = v.slice(1);
    if (v.endsWith("'")) v = v.slice(0, -1);
    out[line.slice(0, eq)] = v;
  }
  return out;
}

export interface FileFacts {
  type: "file" | "dir" | "symlink" | "other";
  mode: string; // octal permission bits
  uid: number;
  gid: number;
  nlink?: number; // files only: a broken hard link shows here
  sha256?: string; // files; the link target for symlinks
}

// Every entry below dir with what "left as it was" means: content, mode,
// owner and, for files, link count. A plain object, so toEqual shows a diff.
export function snapshot(dir: string): Record<string, FileFacts> {
  const out: Record<string, FileFacts> = {};
  const walk = (rel: string) => {
    const path = rel ? join(dir, rel) : dir;
    const st = lstatSync(path);
    const base = {
      mode: (st.mode & 0o7777).toString(8),
      uid: st.uid,
      gid: st.gid,
    };
    if (st.isSymbolicLink()) {
      out[rel || "."] = {
        type: "symlink",
        ...base,
        sha256: readlinkSync(path),
      };
    } else if (st.isDirectory()) {
      out[rel || "."] = { type: "dir", ...base };
      for (const entry of readdirSync(path).sort()) walk(rel ? `${rel}/${entry}` : entry);
    } else if (st.isFile()) {
      out[rel] = {
        type: "file",
        ...base,
        nlink: st.nlink,
        sha256: createHash("sha256").update(readFileSync(path)).digest("hex"),
      };
    } else out[rel] = { type: "other", ...base };
  };
  walk("");
  return out;
}

// Removes every directory made by this module. Roots made read-only by a
// bind mount are unmounted by the test that mounted them.
export function cleanup(): void {
  for (const dir of made.splice(0)) {
    stopDaemonOf(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

// Safety net: a daemon a test started on this root (mwan enable without
// --no-start) is stopped by its pid, and only if its command line names the
// root, so nothing else is ever signalled.
function stopDaemonOf(root: string): void {
  let pid: number;
  try {
    pid = Number.parseInt(read(root, "var/run/mwan.pid"), 10);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (!cmdline.split("\0").includes(root)) return;
  } catch {
    return; // no pid file or no such process: nothing runs
  }
  process.kill(pid, "SIGKILL");
}
