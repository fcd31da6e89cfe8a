import { existsSync } from "node:fs";
import { basename } from "node:path";
import { defineCommand } from "citty";
import { EXIT, MwanError } from "../core/errors.ts";
import { daemonPid, startDaemon, stopDaemon } from "../daemon/control.ts";
import { applyPlan, shown } from "../install/apply.ts";
import { nextManifest, readManifest } from "../install/manifest.ts";
import { manifestPath, planInstall } from "../install/plan.ts";
import { env } from "./_shared.ts";
import { stopTimeoutMs } from "./daemon/_control.ts";

export default defineCommand({
  meta: {
    name: "install",
    description:
      "Install or upgrade mwan from this binary: /usr/local/bin/mwan, RED hooks, boot and shutdown, logrotate, backup",
  },
  async run(ctx) {
    const { paths, out } = env(ctx);
    const source = process.execPath;
    // Under `bun src/cli.ts` the executable is bun itself, not mwan.
    if (basename(source) === "bun")
      throw new MwanError("install runs from the compiled mwan binary, not from bun");
    // Guards a development machine against boot scripts and /var/ipfire.
    if (!existsSync(paths.ethernetSettings))
      throw new MwanError(
        `${shown(paths, paths.ethernetSettings)} is missing: this is not an IPFire, nothing was installed`,
      );
    const entries = planInstall(paths, source);
    const previous = readManifest(paths);
    const applied = applyPlan(paths, entries);
    const manifest = nextManifest(paths, entries, previous, {
      dirs: applied.createdDirs,
      includeUser: applied.createdLineFile,
      lines: applied.addedLines,
    });
    const record = applyPlan(paths, [
      {
        kind: "file",
        path: manifestPath(paths),
        mode: 0o644,
        content: `${JSON.stringify(manifest, null, 2)}\n`,
      },
    ]);
    const outcomes = [...applied.outcomes, ...record.outcomes];
    for (const o of outcomes) out.line(o.line);
    for (const w of applied.warnings) out.warn(w);

    // A running daemon keeps executing the old binary until it restarts; a
    // stopped one stays stopped (starting it is `mwan enable`'s business).
    let restarted = false;
    if (applied.binaryReplaced && daemonPid(paths) !== undefined) {
      await stopDaemon(paths, stopTimeoutMs(paths));
      const pid = await startDaemon(paths, paths.binary);
      if (pid === undefined)
        throw new MwanError(
          `installed, but the daemon did not start again on the new binary; see ${shown(paths, paths.logFile)}`,
        );
      out.line(`restarted the daemon on the new binary (pid ${pid})`);
      restarted = true;
    }
    const unchanged = outcomes.filter((o) => !o.changed).length;
    const changed = outcomes.length - unchanged + (restarted ? 1 : 0);
    out.line(
      changed === 0
        ? "mwan is installed; nothing needed changing"
        : `mwan is installed: ${changed} change(s), ${unchanged} unchanged`,
    );
    return EXIT.ok;
  },
});
