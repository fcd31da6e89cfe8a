// The IPFire side of a switch: its RED files, its initscripts and the
// processes they start (contract §1, §3, §5). The switch logic talks to this
// interface only; tests can hand it a twin.

import { linkSync, readdirSync, renameSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { NetInterface } from "../core/switch/device.ts";
import type { RedTexts } from "../core/switch/plan.ts";
import { MwanError } from "../core/errors.ts";
import {
  fsReason,
  pathExists,
  readSettingsTextIfExists,
  readTextIfExists,
  syncDir,
  writeFileAtomic,
} from "./files.ts";
import type { Paths } from "./paths.ts";
import { isAlive, readPidFile, realPath, scriptPids, signal, stdoutOf } from "./processes.ts";

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
  writeRedFiles(files: RedFiles): void;
  redState(): RedState;
  interfaces(): NetInterface[];
  // `network start|stop red` in its own session, output to a log file.
  network(action: "start" | "stop"): Child;
  connectdPids(): number[];
  // dhcpcd or pppd still running for RED (by their pid files).
  linkDaemons(redDev: string | undefined): number[];
  // Every `network` run of this root, whoever started it (rc's S20network,
  // redctrl, connectd's restart, mwan).
  networkRuns(): NetworkRun[];
  stop(pid: number, sig: NodeJS.Signals): void;
  isAlive(pid: number): boolean;
  runlevel(): string | undefined;
}

const PPP_PROFILES = ["settings-1", "settings-2", "settings-3", "settings-4", "settings-5"];

export function ipfireSystem(paths: Paths): IpfireSystem {
  const network = join(paths.initd, "network");
  const connectd = [join(paths.initd, "connectd"), join(paths.root, "etc/init.d/connectd")];
  const networkLog = (action: "start" | "stop") => join(paths.stateDir, `network-${action}.log`);
  const display = (p: string) => paths.display(p);
  const read = (p: string) => readTextIfExists(p, display(p));
  // RED's files are rewritten, so bytes that are not UTF-8 are refused.
  const readRed = (p: string) => readSettingsTextIfExists(p, display(p));

  return {
    readRedFiles() {
      return {
        ethernet: readRed(paths.ethernetSettings),
        ppp: readRed(paths.pppSettings),
        secrets: readRed(paths.pppSecrets),
        pppLink: linkedProfile(paths),
      };
    },

    writeRedFiles(files) {
      const now = this.readRedFiles();
      if (files.ethernet !== undefined && files.ethernet !== now.ethernet) {
        writeFileAtomic(paths.ethernetSettings, files.ethernet, {
          display: "/var/ipfire/ethernet/settings",
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
        });
      }
    },

    redState() {
      const text = (name: string) => read(join(paths.redDir, name))?.trim() || undefined;
      return {
        active: read(join(paths.redDir, "active")) !== undefined,
        iface: text("iface"),
        localAddress: text("local-ipaddress"),
      };
    },

    interfaces() {
      let names: string[];
      try {
        names = readdirSync(paths.sysClassNet);
      } catch {
        return [];
      }
      return names.flatMap((ifname) => {
        const dir = join(paths.sysClassNet, ifname);
        const mac = readTextIfExists(join(dir, "address"))?.trim().toLowerCase();
        if (!mac) return [];
        return [{ ifname, mac, qmi: pathExists(join(dir, "qmi")) }];
      });
    },

    network(action) {
      const log = networkLog(action);
      // Only the lowercase zone name: anything else makes IPFire's script loop forever.
      const child = Bun.spawn([network, action, "red"], {
        cwd: "/",
        stdin: "ignore",
        stdout: Bun.file(log),
        stderr: Bun.file(log),
        detached: true,
      });
      return { pid: child.pid, exited: child.exited };
    },

    connectdPids: () => scriptPids(paths.proc, "connectd", connectd),

    linkDaemons(redDev) {
      const pidFiles = [join(paths.runDir, "ppp-ipfire.pid")];
      if (redDev) pidFiles.push(join(paths.runDir, "dhcpcd", `${redDev}.pid`));
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
        ours: logs.includes(stdoutOf(paths.proc, pid) ?? ""),
      }));
    },

    stop: (pid, sig) => void signal(pid, sig),
    isAlive,

    runlevel() {
      const runlevel = join(paths.root, "sbin/runlevel");
      if (!pathExists(runlevel)) return undefined;
      const out = Bun.spawnSync([runlevel], { timeout: 2000 }).stdout.toString().trim();
      return out.split(/\s+/)[1];
    },
  };
}

// Which settings-N ppp/settings is a hard link to, if any.
function linkedProfile(paths: Paths): string | undefined {
  try {
    const st = statSync(paths.pppSettings);
    if (st.nlink < 2) return undefined;
    return PPP_PROFILES.find((name) => {
      try {
        return statSync(join(paths.pppDir, name)).ino === st.ino;
      } catch {
        return false;
      }
    });
  } catch {
    return undefined;
  }
}

// A backup's ppp/settings is written as a file of its own, which leaves the
// GUI's numbered profile intact (as connectd's copy does); the primary's link
// to its numbered profile is restored the way pppsetup.cgi makes it.
function writePpp(paths: Paths, text: string, link: string | undefined): void {
  const linkTarget = link ? join(paths.pppDir, link) : undefined;
  if (linkTarget && readTextIfExists(linkTarget) === text) {
    const tmp = join(dirname(paths.pppSettings), `.settings.mwan-${process.pid}.tmp`);
    try {
      linkSync(linkTarget, tmp);
      renameSync(tmp, paths.pppSettings);
      syncDir(paths.pppDir);
    } catch (err) {
      throw new MwanError(`cannot link /var/ipfire/ppp/settings to ${link}: ${fsReason(err)}`);
    }
    return;
  }
  writeFileAtomic(paths.pppSettings, text, {
    display: "/var/ipfire/ppp/settings",
  });
}
