// What `mwan install` puts on the firewall, as data: every directory, file,
// symlink and line with its mode, decided without looking at the disk. The
// applier (apply.ts) makes the tree match it and remove.ts takes it away, so
// install and uninstall can never disagree about what mwan owns.
//
// Boot and shutdown go through an add-on style init script with rc links
// rather than IPFire's rc.local: rc.local is a file IPFire ships (mwan never
// edits those), it runs at S98, after S20network, which a dead PPPoE primary
// can hold for many minutes in connectd (contract §3), and it has no shutdown
// side, so the daemon would still be watching when K80network takes RED down
// (§0.15). S19mwan starts the daemon before S20network; K40mwan in rc0.d and
// rc6.d stops it before K80network. Updates never delete files they do not
// ship (§6), and these names are mwan's alone.

import { dirname, join, relative } from "node:path";
import { type Paths, PRIVATE_DIR_MODE } from "../adapters/paths.ts";
import { webEntries } from "./web-page.ts";

export type Entry =
  // `owner` root: mwan's own tree. root executes its event scripts and trusts
  // its state and profiles, so no other user may write there — not even the
  // web interface's nobody, which owns IPFire's own /var/ipfire trees
  // (contract §0a.8); a web page for mwan talks to the daemon instead.
  // Without `owner` the owner is left as it is.
  | { kind: "dir"; path: string; mode: number; owner?: "root" }
  // The files directly in a directory of mwan's become root's and lose group
  // and world write (or take `fileMode`): an install over one an earlier
  // version made nobody's. What is not a regular file is reported.
  | { kind: "owned"; path: string; fileMode?: number }
  // The event scripts in a directory: reported when the daemon will not run
  // them (not root's, writable by others, a link); never changed.
  | { kind: "scripts"; path: string }
  | { kind: "file"; path: string; mode: number; content: string }
  // A file copied from `source` (the binary), replaced by rename.
  | { kind: "copy"; path: string; mode: number; source: string }
  | { kind: "symlink"; path: string; target: string }
  // Lines in a file that is not mwan's; every other line is kept.
  | { kind: "lines"; path: string; lines: string[] };

// IPFire's backup takes var/ipfire/*/settings, mwan's settings among them,
// and nothing else of var/ipfire/mwan (contract §6): the profiles and the
// admin's event scripts are added. state/ is left out: the journal, the
// primary's files and the history describe this box's RED at one moment,
// not a configuration to restore on another. include.user is a tar file
// list: paths relative to /, no comments.
const BACKUP_LINES = ["var/ipfire/mwan/profiles", "var/ipfire/mwan/events.d"];

export function manifestPath(paths: Paths): string {
  return join(paths.stateDir, "install.json");
}

export function rcLinks(paths: Paths): string[] {
  return [
    join(paths.rcDir, "rc3.d/S19mwan"),
    join(paths.rcDir, "rc0.d/K40mwan"),
    join(paths.rcDir, "rc6.d/K40mwan"),
  ];
}

// Relative, as IPFire's own links are, so a link resolves below a test root
// exactly as it does on the firewall.
function linkTo(path: string, target: string): Entry {
  return { kind: "symlink", path, target: relative(dirname(path), target) };
}

export function planInstall(paths: Paths, source: string): Entry[] {
  const rootDir = (path: string, mode: number): Entry => ({ kind: "dir", path, mode, owner: "root" });
  return [
    rootDir(paths.mwanDir, 0o755),
    rootDir(paths.profilesDir, PRIVATE_DIR_MODE), // profiles hold passwords
    rootDir(paths.stateDir, PRIVATE_DIR_MODE),
    rootDir(paths.eventsDir, 0o755),
    { kind: "owned", path: paths.mwanDir },
    { kind: "owned", path: paths.profilesDir, fileMode: 0o600 },
    { kind: "owned", path: paths.stateDir },
    { kind: "scripts", path: paths.eventsDir },
    { kind: "copy", path: paths.binary, mode: 0o755, source },
    // run_subdir calls 95-U-… with "up" and 95-D-… with "down" (§0.6).
    linkTo(paths.hookUp, paths.binary),
    linkTo(paths.hookDown, paths.binary),
    {
      kind: "file",
      path: paths.initScript,
      mode: 0o755,
      content: initScript(paths),
    },
    ...rcLinks(paths).map((link) => linkTo(link, paths.initScript)),
    {
      kind: "file",
      path: paths.logrotate,
      mode: 0o644,
      content: logrotate(paths),
    },
    // The web page: program files, as the binary is, so not in the backup.
    ...webEntries(paths),
    { kind: "lines", path: paths.backupIncludeUser, lines: BACKUP_LINES },
  ];
}

// Single quotes for sh: nothing inside them is special except the quote.
function shQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

// On the firewall the root is / and the script names /usr/local/bin/mwan;
// below a test root it names that root's binary and passes the root on.
function initScript(paths: Paths): string {
  const root = paths.root === "/" ? "" : `MWAN_ROOT=${shQuote(paths.root)}\nexport MWAN_ROOT\n`;
  return `#!/bin/sh
# mwan: multi-WAN failover daemon. Written by \`mwan install\` and removed by
# \`mwan uninstall\`; not an IPFire file.
#
# rc3.d/S19mwan starts the daemon before S20network brings RED up, and
# rc0.d/K40mwan and rc6.d/K40mwan stop it before K80network takes RED down.
# start and stop always exit 0: IPFire's rc pauses boot for 60 seconds after
# a boot script that fails. Neither blocks: start is bounded by timeout(1),
# stop waits only for a switch in progress to finish.
#
# A switch cut short by a power loss is put right in IPFire's files here,
# before S20network reads them; S20network then starts RED on them. The
# daemon doing it would run its own network start beside S20network's.

MWAN=${shQuote(paths.binary)}
${root}
start() {
	[ -x "$MWAN" ] || return 0
	timeout 60 "$MWAN" recover --files-only </dev/null
	timeout 30 "$MWAN" daemon start --if-enabled </dev/null
	return 0
}

stop() {
	[ -x "$MWAN" ] && "$MWAN" daemon stop </dev/null
	return 0
}

case "$1" in
start) start ;;
stop) stop ;;
restart)
	stop
	start
	;;
status) exec "$MWAN" daemon status </dev/null ;;
*)
	echo "Usage: $0 {start|stop|restart|status}" >&2
	exit 2
	;;
esac
exit 0
`;
}

function logrotate(paths: Paths): string {
  return `# mwan's log. Written by \`mwan install\` and removed by \`mwan uninstall\`.
# The daemon opens the log for every line it writes, so after a rotation it
# writes to the new file by itself: no signal, no copytruncate.
${paths.logFile} {
	weekly
	rotate 8
	compress
	delaycompress
	missingok
	notifempty
	create 0640 root root
}
`;
}
