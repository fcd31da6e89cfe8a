import { defineCommand } from "citty";
import { readSettingsLeniently } from "../../adapters/store.ts";
import { wrap } from "../../core/text/wrap.ts";
import { table } from "../../ui/output.ts";
import { reportProblems } from "../_config-problems.ts";
import { env, jsonArg } from "../_shared.ts";
import { effectiveSettings } from "./_effective.ts";

const WIDTH = 80;
const INDENT = "    ";

export default defineCommand({
  meta: {
    name: "show",
    description: "Show every setting, its value and whether it is the default",
  },
  args: { ...jsonArg },
  run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const reading = readSettingsLeniently(paths);
    const rows = effectiveSettings(reading.raw, reading.defaulted);
    if (out.json) {
      const entry = (r: (typeof rows)[number]) => ({
        value: r.value,
        default: r.isDefault,
        ...(r.unreadable ? { unreadable: true } : {}),
      });
      out.data(Object.fromEntries(rows.map((r) => [r.key, entry(r)])));
      return reportProblems(out, reading);
    }
    const mark = (r: (typeof rows)[number]) =>
      r.unreadable ? out.paint("red", "(default: unreadable)") : r.isDefault ? "(default)" : "";
    // For an 80-column console: the mark right after the value, so that one
    // long value moves no other line, and the description indented under it.
    const values = table(rows.map((r) => [r.key, `${r.value === "" ? "-" : r.value}  ${mark(r)}`.trimEnd()]));
    rows.forEach((r, i) => {
      out.line(values[i] ?? r.key);
      for (const line of wrap(r.help, WIDTH - INDENT.length)) out.line(`${INDENT}${line}`);
    });
    return reportProblems(out, reading);
  },
});
