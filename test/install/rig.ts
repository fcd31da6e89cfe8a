// A temp root that looks like a fresh IPFire to `mwan install`: the stand-in's
// RED scripts and settings plus what install touches (rc dirs with IPFire's
// network links, an empty logrotate.d, a backup dir whose include.user holds
// the user's own lines, IPFire's tools in /usr/local/bin, and passwd/group
// where nobody is 99:99 as on IPFire, so a test sees install takes root's
// ids for mwan's tree, not the tree's nobody).

import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type RunResult, run } from "../helpers/run-bin.ts";
import { Standin } from "../ipfire/standin.ts";

// The binary under test: MWAN_BIN, else the host's build.
export const BIN = resolve(
  process.env.MWAN_BIN ?? `build/dist/mwan-${process.arch === "arm64" ? "aarch64" : "x86_64"}`,
);

export const USER_INCLUDES = "root/my-scripts\netc/squid/squid.conf.local\n";

// A backup profile, for tests that need RED on one or an enabled daemon.
export const OFFICE =
  "TYPE=STATIC\nDEVICE=eth1\nMACADDR=52:54:00:aa:bb:02\nADDRESS=192.0.2.10\nNETMASK=255.255.255.0\nGATEWAY=192.0.2.1\nPRIORITY=2\n";

const made: Standin[] = [];

// Removes every root made here, after killing what the stand-in left running.
export async function cleanupRoots(): Promise<void> {
  for (const s of made.splice(0)) await s.cleanup();
}

export async function ipfireRoot(sparse = false): Promise<string> {
  return (await ipfireStandin(sparse)).root;
}

// The same, for a test that also drives the stand-in (its NICs, options).
export async function ipfireStandin(sparse = false): Promise<Standin> {
  const s = await Standin.install({ delay: 0.05 });
  made.push(s);
  const root = s.root;
  const put = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  put("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnobody:x:99:99:Nobody:/home/nobody:/bin/false\n");
  put("etc/group", "root:x:0:\nnobody:x:99:\n");
  if (sparse) return s; // a tree without the dirs install needs
  for (const [rc, name] of [
    ["rc3.d", "S20network"],
    ["rc0.d", "K80network"],
    ["rc6.d", "K80network"],
  ] as const) {
    mkdirSync(join(root, "etc/rc.d", rc), { recursive: true });
    symlinkSync("../init.d/network", join(root, "etc/rc.d", rc, name));
  }
  put("etc/logrotate.d/.empty", "");
  put("usr/local/bin/readhash", "#!/bin/sh\n");
  put("var/ipfire/backup/include.user", USER_INCLUDES);
  // IPFire's web interface, where the page goes beside IPFire's own.
  put("srv/web/ipfire/cgi-bin/index.cgi", "#!/usr/bin/perl\n");
  put("var/ipfire/menu.d/EX-tor.menu", "$subipfire->{'50.tor'} = { 'enabled' => 1 };\n");
  put("var/ipfire/addon-lang/tor.en.pl", "%tr = (%tr, 'tor' => 'Tor');\n");
  return s;
}

// mwan [args] on root, run from `exe` (the build by default).
export function mwan(root: string, args: string[], exe = BIN): Promise<RunResult> {
  return run(args, { root, exe, timeoutMs: 30_000 });
}

export function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

export interface Proc {
  pid: number;
  argv: string[];
}

// The live processes whose command line names the root or a file below it,
// as standin-cleanup.sh finds them: the stand-in's, and mwan's (the installed
// binary, or --root).
export function processesOf(root: string): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2)[0] === "Z") continue;
      const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").slice(0, -1);
      if (argv.some((a) => a === root || a.startsWith(`${root}/`))) out.push({ pid: Number(d), argv });
    } catch {
      // exited meanwhile
    }
  }
  return out.sort((a, b) => a.pid - b.pid);
}

// Inode, mtime and ctime of every entry below root: equal only when nothing
// was written, replaced, chmod-ed or chown-ed.
export function stamps(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const st = lstatSync(join(root, rel));
    out[rel || "."] = `${st.ino} ${st.mtimeMs} ${st.ctimeMs}`;
    if (st.isDirectory()) for (const e of readdirSync(join(root, rel))) walk(rel ? `${rel}/${e}` : e);
  };
  walk("");
  return out;
}
