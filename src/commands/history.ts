import { defineCommand } from "citty";
import { UsageError } from "../core/errors.ts";
import { readTextIfExists } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";
import { STATUS_SCHEMA_VERSION, switchView, type SwitchView } from "../daemon/status-model.ts";
import { type HistoryEntry, readHistory } from "../switching/state.ts";
import { env, jsonArg } from "./_shared.ts";
import { switchLines } from "./_status-view.ts";

// What the log holds of a switch: from the moment mwan decided it (just
// before the switch began) until its outcome was taken in (just after).
const BEFORE_MS = 2000;
const AFTER_MS = 1000;
const LOG_LIMIT = 256 << 20;

export default defineCommand({
  meta: {
    name: "history",
    description: "Every switch kept (newest last); with NUMBER, the log lines of that switch",
  },
  args: {
    number: {
      type: "positional",
      description: "A switch's number from the list: show its log lines",
      valueHint: "NUMBER",
      required: false,
    },
    switch: {
      type: "string",
      description: "The same as NUMBER",
      valueHint: "NUMBER",
    },
    ...jsonArg,
  },
  run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const history = readHistory(paths);
    const views = history.map((h, n) => switchView(h, n + 1));
    const wanted = ctx.args.switch ?? ctx.args.number;
    if (wanted === undefined) {
      if (out.json) return out.data({ version: STATUS_SCHEMA_VERSION, switches: views });
      if (views.length === 0) return out.line("no switches yet");
      for (const v of views) for (const line of switchLines(v, out, true)) out.line(line);
      return;
    }
    const n = Number(wanted);
    const entry = Number.isInteger(n) ? history[n - 1] : undefined;
    if (!entry || n < 1)
      throw new UsageError(
        `${wanted}: no such switch (${history.length === 0 ? "none kept yet" : `1 to ${history.length}; see mwan history`})`,
      );
    const log = logLines(paths, entry);
    const view = views[n - 1] as SwitchView;
    if (out.json) return out.data({ version: STATUS_SCHEMA_VERSION, switch: view, log });
    for (const line of switchLines(view, out, true)) out.line(line);
    if (log.length === 0)
      out.line(`no lines of it in ${paths.display(paths.logFile)} (rotated away, or LOG_LEVEL too low)`);
    for (const line of log) out.line(line);
  },
});

// The log lines written while the switch ran, from the rotated log and the
// current one (logrotate's delaycompress leaves mwan.log.1 plain).
function logLines(paths: Paths, h: HistoryEntry): string[] {
  const from = h.at - BEFORE_MS;
  const to = h.at + h.ms + AFTER_MS;
  const text = [`${paths.logFile}.1`, paths.logFile]
    .map((f) => readTextIfExists(f, paths.display(f), LOG_LIMIT) ?? "")
    .join("\n");
  return text.split("\n").filter((line) => {
    const t = Date.parse(line.slice(0, line.indexOf(" ")));
    return t >= from && t <= to;
  });
}
