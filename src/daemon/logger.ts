// The daemon's log: /var/log/mwan.log (rotated by logrotate; opened per line,
// so rotation needs no signal), syslog with tag "mwan" so events show in
// IPFire's log viewer, and stderr when run in the foreground. consola/core
// with throttling off: a daemon must not coalesce or drop lines.

import { appendFileSync } from "node:fs";
import { type ConsolaInstance, type ConsolaReporter, createConsola, type LogObject } from "consola/core";
import type { Paths } from "../adapters/paths.ts";

export type Level = "error" | "warn" | "info" | "debug";

const LEVELS: Record<Level, number> = { error: 0, warn: 1, info: 3, debug: 4 };

function text(o: LogObject): string {
  return o.args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ");
}

function fileReporter(path: string): ConsolaReporter {
  return {
    log(o) {
      try {
        // 0640 like logrotate creates it: the log says which profiles exist.
        appendFileSync(path, `${o.date.toISOString()} ${o.type.toUpperCase().padEnd(5)} ${text(o)}\n`, {
          mode: 0o640,
        });
      } catch {
        // A full or read-only /var/log must not stop failover.
      }
    },
  };
}

// logger(1) per line: syslog's socket is a datagram socket bun cannot open.
// Only info and above go there, which keeps it to a few lines per event.
function syslogReporter(logger: string): ConsolaReporter {
  const priority = (level: number) => (level <= 0 ? "err" : level === 1 ? "warning" : "info");
  return {
    log(o) {
      if (o.level > 3) return;
      try {
        Bun.spawn(
          [
            logger,
            "-t",
            "mwan",
            "--id",
            String(process.pid),
            "-p",
            `daemon.${priority(o.level)}`,
            "--",
            text(o),
          ],
          {
            stdin: "ignore",
            stdout: "ignore",
            stderr: "ignore",
          },
        );
      } catch {
        // No logger(1) on this system: the log file still has the line.
      }
    },
  };
}

function stderrReporter(): ConsolaReporter {
  return { log: (o) => void process.stderr.write(`${o.type}: ${text(o)}\n`) };
}

export function daemonLogger(paths: Paths, level: Level, foreground: boolean): ConsolaInstance {
  const reporters = [fileReporter(paths.logFile), syslogReporter(paths.logger)];
  if (foreground) reporters.push(stderrReporter());
  return createConsola({ level: LEVELS[level], reporters, throttle: 0 });
}
