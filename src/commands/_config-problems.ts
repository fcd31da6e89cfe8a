// What a command says of a damaged settings file when it went on in spite of
// it. One that only reads answers first, then names each problem on stderr
// and exits 3 (README "Exit codes"): part of its answer stands in for what
// could not be read. One that changed a key did what was asked, so the rest
// of the file's problems are warnings.

import { EXIT } from "../core/errors.ts";
import type { SettingsReading } from "../adapters/store.ts";
import type { Output } from "../ui/output.ts";

export function reportProblems(out: Output, reading: SettingsReading): number {
  for (const problem of reading.problems) out.note(`mwan: ${problem}`);
  if (reading.defaulted.length > 0)
    out.note(
      `mwan: ${reading.defaulted.join(", ")}: taken as the default until fixed (mwan config set KEY VALUE)`,
    );
  return reading.problems.length > 0 ? EXIT.config : EXIT.ok;
}

export function warnProblems(out: Output, reading: SettingsReading): void {
  for (const problem of reading.problems) out.warn(problem);
}

// Why something was refused: one reason on the line that says so, several
// each on a line of their own below it (an 80-column console reads them).
// `see`: where more is told, e.g. " (see /var/log/mwan.log)".
export function noteReasons(out: Output, what: string, reasons: string[], see = ""): void {
  const [only, ...more] = reasons;
  if (more.length === 0) out.note(`mwan: ${what}: ${only}${see}`);
  else for (const line of [`${what}${see}:`, ...reasons]) out.note(`mwan: ${line}`);
}
