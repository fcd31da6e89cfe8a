// The daemon's log: /var/log/mwan.log (rotated by logrotate; opened per line,
// so rotation needs no signal), syslog with tag "mwan" so events show in
// IPFire's log viewer, and stderr when run in the foreground. consola/core
// with throttling off: a daemon must not coalesce or drop lines.

import { closeSync, constants, openSync, writeSync } from "node:fs";
import { type ConsolaInstance, type ConsolaReporter, createConsola, type LogObject } from "consola/core";
import type { Paths } from "../adapters/paths.ts";
import { printable } from "../core/text/printable.ts";

export type Level = "error" | "warn" | "info" | "debug";

const LEVELS: Record<Level, number> = { error: 0, warn: 1, info: 3, debug: 4 };

// One line: a message may carry text from files (a script's stderr, a
// reason from state/), whose control characters must not reach whoever
// reads the log on a terminal.
function text(o: LogObject): string {
  return printable(o.args.map((a) => (a instanceof Error ? a.message : String(a))).join(" "));
}

const APPEND =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function fileReporter(path: string): ConsolaReporter {
  return {
    log(o) {
      try {
        // 0640 like logrotate creates it: the log says which profiles exist.
        // Never through a link: root appends to the log itself.
        const fd = openSync(path, APPEND, 0o640);
        try {
          writeSync(fd, `${o.date.toISOString()} ${o.type.toUpperCase().padEnd(5)} ${text(o)}\n`);
        } finally {
          closeSync(fd);
        }
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
