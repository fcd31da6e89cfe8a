// Runs mwan with its root mounted read-only, as on a firewall whose /var
// went read-only after a disk error. The bind mount is made inside a private
// mount namespace (unshare -m) that lives only as long as the command, so
// nothing is left mounted on the host whatever happens to the test.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// $0 is the directory; the rest is the command to exec once it is read-only.
const MOUNT_RO = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"';

export function readOnlyPrefix(dir: string): string[] {
  return ["unshare", "-m", "--propagation", "private", "sh", "-c", MOUNT_RO, dir];
}

let support: string | undefined | null = null;

// Why read-only mounts cannot be made here, or undefined when they can:
// tried once on a scratch directory.
export function readOnlyUnsupported(): string | undefined {
  if (support !== null) return support;
  support = detect();
  return support;
}

function detect(): string | undefined {
  if (process.getuid?.() !== 0) return "not running as root (bind mounts need CAP_SYS_ADMIN)";
  if (Bun.which("unshare") === null) return "util-linux unshare is not installed";
  const dir = mkdtempSync(join(tmpdir(), "mwan-test-"));
  try {
    const probe = Bun.spawnSync(
      [...readOnlyPrefix(dir), "sh", "-c", 'touch "$1/x" 2>/dev/null && exit 9; exit 0', "sh", dir],
      { stderr: "pipe" },
    );
    if (probe.exitCode === 9) return "the bind mount did not become read-only";
    if (probe.exitCode !== 0) return `unshare -m / mount --bind failed: ${probe.stderr.toString().trim()}`;
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
