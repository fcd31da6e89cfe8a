// Every path mwan touches, derived from one root prefix. On the firewall the
// root is "/"; tests point it at a temporary tree so they never see the host's
// /etc or /var.

import { join } from "node:path";

// profiles/ (passwords) and state/ (copies of ppp/secrets, and what root
// writes back at boot): root's alone.
export const PRIVATE_DIR_MODE = 0o700;

export interface Paths {
  root: string;
  mwanDir: string;
  settings: string;
  profilesDir: string;
  profile(name: string): string;
  stateDir: string;
  activeProfile: string;
  ethernetSettings: string;
  pppDir: string;
  pppSettings: string;
  pppSecrets: string;
  redDir: string;
  sysClassNet: string;
  initd: string; // IPFire's /etc/rc.d/init.d (network, connectd)
  runDir: string;
  journal: string;
  lock: string;
  primarySnapshot: string;
  history: string;
  nicRecords: string; // state/nics: which name each NIC had this boot
  hold: string; // state/hold: the admin's hold, kept across restarts until resume
  // The kernel's process table: never below the root prefix, processes are real.
  proc: string;
  pidFile: string;
  runMwan: string; // /var/run/mwan: the daemon's status and commands (tmpfs)
  statusFile: string;
  commandFile: string;
  controlSocket: string; // /var/run/mwan/control.sock: the web page's way to the daemon
  httpdUidConf: string; // IPFire's /etc/httpd/conf/uid.conf: the web server's user and group
  groupFile: string; // /etc/group
  webCgi: string; // the page, in IPFire's cgi-bin
  webMenu: string; // its entry in IPFire's menu
  webLang(lang: string): string; // its strings, for IPFire's addon-lang
  logFile: string;
  binary: string; // where `mwan install` puts the executable
  hookUp: string;
  hookDown: string;
  rcDir: string; // /etc/rc.d (rc0.d, rc3.d, rc6.d, init.d)
  initScript: string;
  logrotate: string;
  backupIncludeUser: string;
  eventsDir: string;
  ip: string; // IPFire's iproute2, /sbin/ip
  logger: string; // util-linux logger(1), for syslog
  sendmail: string; // IPFire's dma
  dmaMailConf: string;
  // Shown in messages: the path as it is on the firewall, without the root.
  display(path: string): string;
}

export function makePaths(root: string): Paths {
  const at = (...parts: string[]) => join(root, ...parts);
  const mwanDir = at("var/ipfire/mwan");
  const profilesDir = join(mwanDir, "profiles");
  const stateDir = join(mwanDir, "state");
  return {
    root,
    mwanDir,
    settings: join(mwanDir, "settings"),
    profilesDir,
    profile: (name) => join(profilesDir, name),
    stateDir,
    activeProfile: join(stateDir, "active"),
    ethernetSettings: at("var/ipfire/ethernet/settings"),
    pppDir: at("var/ipfire/ppp"),
    pppSettings: at("var/ipfire/ppp/settings"),
    pppSecrets: at("var/ipfire/ppp/secrets"),
    redDir: at("var/ipfire/red"),
    sysClassNet: at("sys/class/net"),
    initd: at("etc/rc.d/init.d"),
    runDir: at("var/run"),
    journal: join(stateDir, "journal"),
    lock: join(stateDir, "lock"),
    primarySnapshot: join(stateDir, "primary-files"),
    history: join(stateDir, "history"),
    nicRecords: join(stateDir, "nics"),
    hold: join(stateDir, "hold"),
    proc: "/proc",
    pidFile: at("var/run/mwan.pid"),
    runMwan: at("var/run/mwan"),
    statusFile: at("var/run/mwan/status.json"),
    commandFile: at("var/run/mwan/command.json"),
    controlSocket: at("var/run/mwan/control.sock"),
    httpdUidConf: at("etc/httpd/conf/uid.conf"),
    groupFile: at("etc/group"),
    webCgi: at("srv/web/ipfire/cgi-bin/mwan.cgi"),
    webMenu: at("var/ipfire/menu.d/EX-mwan.menu"),
    webLang: (lang) => at(`var/ipfire/addon-lang/mwan.${lang}.pl`),
    logFile: at("var/log/mwan.log"),
    binary: at("usr/local/bin/mwan"),
    hookUp: at("etc/rc.d/init.d/networking/red.up/95-U-mwan"),
    hookDown: at("etc/rc.d/init.d/networking/red.down/95-D-mwan"),
    rcDir: at("etc/rc.d"),
    initScript: at("etc/rc.d/init.d/mwan"),
    logrotate: at("etc/logrotate.d/mwan"),
    backupIncludeUser: at("var/ipfire/backup/include.user"),
    eventsDir: join(mwanDir, "events.d"),
    ip: at("sbin/ip"),
    logger: at("usr/bin/logger"),
    sendmail: at("usr/sbin/sendmail"),
    dmaMailConf: at("var/ipfire/dma/mail.conf"),
    display(path) {
      if (path.startsWith(`${mwanDir}/`)) return path.slice(mwanDir.length + 1);
      const base = join(root, "/");
      return path.startsWith(base) && base !== "/" ? `/${path.slice(base.length)}` : path;
    },
  };
}

// MWAN_ROOT is how tests (and `--root`) move mwan onto a temporary tree.
export function rootFromEnv(env: Record<string, string | undefined> = process.env): string {
  const root = env.MWAN_ROOT;
  return root === undefined || root === "" ? "/" : root;
}
