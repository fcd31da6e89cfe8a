// The IPFire side of a switch: its RED files, its initscripts and the
// processes they start (contract §1, §3, §5). The switch logic talks to this
// interface only; tests can hand it a twin.

import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  linkSync,
  lstatSync,
  openSync,
  renameSync,
  unlinkSync,
} from "node:fs";
import { join } from "node:path";
import type { NetInterface } from "../core/switch/device.ts";
import type { RedTexts } from "../core/switch/red-files.ts";
import type { GuiProfile } from "../core/switch/red-keys.ts";
import { PPP_PROFILE_FILES } from "../core/switch/journal.ts";
import { MwanError } from "../core/errors.ts";
import { deleteLink, listNics } from "./nics.ts";
import { isIfaceName } from "./probe/validate.ts";
import {
  type FileRead,
  decodeSettingsText,
  fsReason,
  pathExists,
  readFileIfExists,
  readTextIfExists,
  syncDir,
  tempPath,
  writeFileAtomic,
} from "./files.ts";
import type { Paths } from "./paths.ts";
import {
  comm,
  isAlive,
  isTrustedUser,
  readPidFile,
  realPath,
  scriptPids,
  signal,
  stdoutOf,
} from "./processes.ts";

// RED's files plus, when ppp/settings is a hard link to one of the GUI's
// numbered profiles (settings-1..5), that profile's name (contract §1.4).
export interface RedFiles extends RedTexts {
  pppLink?: string;
}

export interface RedState {
  active: boolean;
  iface: string | undefined;
  localAddress: string | undefined;
}

export interface NetworkRun {
  pid: number;
  // mwan started it: its output goes to mwan's state/network-*.log.
  ours: boolean;
}

export interface Child {
  pid: number;
  exited: Promise<number>;
}

export interface IpfireSystem {
  readRedFiles(): RedFiles;
  // The web UI's dial profile ppp/settings-N, if it is there.
  guiProfile(n: number): GuiProfile | undefined;
  writeRedFiles(files: RedFiles): void;
  redState(): RedState;
  interfaces(): NetInterface[];
  // /dev/cdc-wdmN is there, a character device: a QMI modem's control channel.
  controlChannel(wdm: number): boolean;
  // `network start|stop red` in its own session, output to a log file.
  network(action: "start" | "stop"): Child;
  connectdPids(): number[];
  // dhcpcd or pppd still running for RED (by their pid files).
  linkDaemons(redDev: string | undefined): number[];
  // Every `network` run of this root, whoever started it (rc's S20network,
  // redctrl, connectd's restart, mwan).
  networkRuns(): NetworkRun[];
  stop(pid: number, sig: NodeJS.Signals): void;
  // Ends what `red stop` leaves of IPTV: the dhcpcd on `link` (killed, so that
  // its hook runs no red.down) and the VLAN itself. What it did, if anything.
  endIptv(link: string): string | undefined;
  isAlive(pid: number): boolean;
  runlevel(): string | undefined;
}

const PPP_PROFILES = PPP_PROFILE_FILES;

export function ipfireSystem(paths: Paths): IpfireSystem {
  const network = join(paths.initd, "network");
  const connectd = [join(paths.initd, "connectd"), join(paths.root, "etc/init.d/connectd")];
  const networkLog = (action: "start" | "stop") => join(paths.stateDir, `network-${action}.log`);
  const display = (p: string) => paths.display(p);
  const read = (p: string) => readTextIfExists(p, display(p));

  return {
    readRedFiles() {
      const ethernet = readRed(paths, paths.ethernetSettings);
      const ppp = readRed(paths, paths.pppSettings);
      const secrets = readRed(paths, paths.pppSecrets);
      const pppLink = ppp && linkedProfile(paths, ppp);
      // Only a file of its own, or ppp/settings linked to one of the GUI's
      // profiles, is IPFire's: another link could be to a file that is not,
      // whose bytes a switch would copy into files nobody can read.
      for (const [file, path, links] of [
        [ethernet, paths.ethernetSettings, 1],
        [ppp, paths.pppSettings, pppLink ? 2 : 1],
        [secrets, paths.pppSecrets, 1],
      ] as const) {
        if (file && file.stat.nlink > links)
          throw new MwanError(
            `cannot read ${display(path)}: it has another hard link, which IPFire never makes`,
          );
      }
      return {
        ethernet: ethernet && decodeSettingsText(ethernet.bytes, display(paths.ethernetSettings)),
        ppp: ppp && decodeSettingsText(ppp.bytes, display(paths.pppSettings)),
        secrets: secrets && decodeSettingsText(secrets.bytes, display(paths.pppSecrets)),
        pppLink,
      };
    },

    guiProfile(n) {
      const name = PPP_PROFILES[n - 1];
      if (!name) return undefined;
      const path = join(paths.pppDir, name);
      const file = readRed(paths, path);
      // Linked to ppp/settings, or a file of its own: nothing else.
      if (!file || file.stat.nlink > 2) return undefined;
      return { name, text: decodeSettingsText(file.bytes, display(path)) };
    },

    writeRedFiles(files) {
      const now = this.readRedFiles();
      // IPFire's web interface (nobody) edits them: owner and mode stay.
      if (files.ethernet !== undefined && files.ethernet !== now.ethernet) {
        writeFileAtomic(paths.ethernetSettings, files.ethernet, {
          display: "/var/ipfire/ethernet/settings",
          keepOwner: true,
        });
      }
      const relink = files.pppLink !== undefined && files.pppLink !== now.pppLink;
      if (files.ppp !== undefined && (files.ppp !== now.ppp || relink)) {
        writePpp(paths, files.ppp, files.pppLink);
      }
      if (files.secrets !== undefined && files.secrets !== now.secrets) {
        // pppd's credentials: 0600 like IPFire writes them, whatever was there.
        writeFileAtomic(paths.pppSecrets, files.secrets, {
          display: "/var/ipfire/ppp/secrets",
          mode: 0o600,
          forceMode: true,
          keepOwner: true,
        });
      }
    },

    redState() {
      const text = (name: string) => read(join(paths.redDir, name))?.trim() || undefined;
      return {
        active: pathExists(join(paths.redDir, "active")),
        iface: text("iface"),
        localAddress: text("local-ipaddress"),
      };
    },

    interfaces: () => listNics(paths),

    controlChannel(wdm) {
      try {
        return lstatSync(join(paths.root, "dev", `cdc-wdm${wdm}`)).isCharacterDevice();
      } catch {
        return false;
      }
    },

    network(action) {
      const fd = openLog(networkLog(action));
      try {
        // Only the lowercase zone name: anything else makes IPFire's script loop forever.
        const child = Bun.spawn([network, action, "red"], {
          cwd: "/",
          stdin: "ignore",
          stdout: fd,
          stderr: fd,
          detached: true,
        });
        return { pid: child.pid, exited: child.exited };
      } finally {
        closeSync(fd);
      }
    },

    connectdPids: () => scriptPids(paths.proc, "connectd", connectd),

    linkDaemons(redDev) {
      const pidFiles = [join(paths.runDir, "ppp-ipfire.pid")];
      // RED_DEV comes from a file nobody can write: checked before it becomes a path.
      if (redDev && isIfaceName(redDev)) pidFiles.push(join(paths.runDir, "dhcpcd", `${redDev}.pid`));
      return pidFiles
        .map((f) => readPidFile(f))
        .filter((pid): pid is number => pid !== undefined && isAlive(pid));
    },

    networkRuns() {
      // The kernel names the file by its real path.
      const dir = realPath(paths.stateDir) ?? paths.stateDir;
      const logs = ["start", "stop"].map((action) => join(dir, `network-${action}.log`));
      return scriptPids(paths.proc, "network", [network]).map((pid) => ({
        pid,
        ours: logs.includes(stdoutOf(paths.proc, pid)?.replace(/ \(deleted\)$/, "") ?? ""),
      }));
    },

    stop: (pid, sig) => void signal(pid, sig),

    endIptv(link) {
      const done: string[] = [];
      const pid = readPidFile(join(paths.runDir, "dhcpcd", `${link}.pid`));
      if (
        pid !== undefined &&
        isAlive(pid) &&
        comm(paths.proc, pid) === "dhcpcd" &&
        isTrustedUser(paths.proc, pid)
      ) {
        signal(pid, "SIGKILL");
        done.push(`killed its dhcpcd (pid ${pid})`);
      }
      if (pathExists(join(paths.sysClassNet, link))) {
        const r = deleteLink(paths, link);
        done.push(r.ok ? `deleted ${link}` : `could not delete ${link}: ${r.error}`);
      }
      return done.length > 0 ? done.join(", ") : undefined;
    },
    isAlive,

    runlevel() {
      const runlevel = join(paths.root, "sbin/runlevel");
      if (!pathExists(runlevel)) return undefined;
      const out = Bun.spawnSync([runlevel], { timeout: 2000 }).stdout.toString().trim();
      return out.split(/\s+/)[1];
    },
  };
}

function readRed(paths: Paths, path: string): FileRead | undefined {
  return readFileIfExists(path, paths.display(path));
}

// Which settings-N ppp/settings is a hard link to, if any.
function linkedProfile(paths: Paths, ppp: FileRead): string | undefined {
  if (ppp.stat.nlink < 2) return undefined;
  return PPP_PROFILES.find((name) => {
    try {
      const st = lstatSync(join(paths.pppDir, name));
      return st.isFile() && st.ino === ppp.stat.ino && st.dev === ppp.stat.dev;
    } catch {
      return false;
    }
  });
}

// A backup's ppp/settings is written as a file of its own, which leaves the
// GUI's numbered profile intact (as connectd's copy does); the primary's link
// to its numbered profile is restored the way pppsetup.cgi makes it, when
// that profile still holds the primary's settings.
function writePpp(paths: Paths, text: string, link: string | undefined): void {
  if (link && relink(paths, text, link)) return;
  writeFileAtomic(paths.pppSettings, text, {
    display: "/var/ipfire/ppp/settings",
    mode: 0o600, // a PPPoE profile holds the password
    keepOwner: true,
  });
}

// link() never follows a symlink, so what is linked is checked afterwards:
// a regular file holding `text`, or nothing is done.
function relink(paths: Paths, text: string, link: string): boolean {
  const tmp = tempPath(paths.pppSettings);
  try {
    linkSync(join(paths.pppDir, link), tmp);
    const linked = readFileIfExists(tmp);
    if (linked?.bytes.toString("utf8") !== text) {
      unlinkSync(tmp);
      return false;
    }
    renameSync(tmp, paths.pppSettings);
    syncDir(paths.pppDir);
    return true;
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    if (err instanceof MwanError || (err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new MwanError(`cannot link /var/ipfire/ppp/settings to ${link}: ${fsReason(err)}`);
  }
}

// mwan's log of a `network` run, truncated, never through a link or into a
// file that is not root's own: the run's output goes to the file itself.
const LOG_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function openLog(path: string): number {
  try {
    const fd = openSync(path, LOG_FLAGS, 0o600);
    const st = fstatSync(fd);
    if (st.isFile() && st.uid === process.getuid?.()) {
      ftruncateSync(fd, 0); // in place: a leftover run still writing here stays recognisable
      return fd;
    }
    closeSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ELOOP" && code !== "ENXIO") throw new MwanError(`cannot write ${path}: ${fsReason(err)}`);
  }
  try {
    unlinkSync(path);
    return openSync(path, LOG_FLAGS | constants.O_EXCL, 0o600);
  } catch (err) {
    throw new MwanError(`cannot write ${path}: ${fsReason(err)}`);
  }
}
