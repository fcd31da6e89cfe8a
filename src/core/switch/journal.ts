// The switch journal: written before the first change to IPFire's files, so
// that whatever kills mwan mid-switch, the next start can leave the files
// holding one whole profile — the one switched to if every file was written,
// the one switched from otherwise.

import type { RedTexts } from "./plan.ts";

export type Phase =
  | "begun" // nothing written yet (connectd and RED may be stopped)
  | "writing" // some of IPFire's files may hold the target already
  | "written"; // every file holds the target

export interface RedSnapshot extends RedTexts {
  pppLink?: string;
}

export interface Journal {
  version: 1;
  from: string | undefined;
  to: string;
  reason: string;
  startedAt: number;
  phase: Phase;
  original: RedSnapshot;
  target: RedSnapshot;
  // `network` processes this switch started: a successor stops them first.
  children: number[];
}

export interface Recovery {
  files: RedSnapshot;
  profile: string | undefined;
  outcome: "completed" | "rolled back";
}

export function recoveryFor(journal: Journal): Recovery {
  return journal.phase === "written"
    ? { files: journal.target, profile: journal.to, outcome: "completed" }
    : {
        files: journal.original,
        profile: journal.from,
        outcome: "rolled back",
      };
}

export function parseJournal(text: string): Journal | undefined {
  try {
    const j = JSON.parse(text) as Journal;
    return j && j.version === 1 && typeof j.to === "string" && j.original && j.target ? j : undefined;
  } catch {
    return undefined;
  }
}
