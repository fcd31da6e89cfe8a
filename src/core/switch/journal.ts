// The switch journal: written before the first change to IPFire's files, so
// that whatever kills mwan mid-switch, the next start can leave the files
// holding one whole profile — the one switched to if every file was written,
// the one switched from otherwise.
//
// The journal and the primary's saved files are read back by root (at boot,
// before RED comes up) and steer what is written where, so what they say is
// checked as strictly as a profile: a name that is not a profile's, or a
// ppp/settings link to anything but one of the GUI's profile files, makes
// the record unreadable rather than a path to follow.

import { z } from "zod";
import { profileNameProblem } from "../profile/name.ts";
import type { RedSnapshot } from "./red-files.ts";

// The dial profiles IPFire's web interface keeps, which ppp/settings is a
// hard link to (contract §1.4).
export const PPP_PROFILE_FILES = [
  "settings-1",
  "settings-2",
  "settings-3",
  "settings-4",
  "settings-5",
] as const;

export type Phase =
  | "begun" // nothing written yet (connectd and RED may be stopped)
  | "writing" // some of IPFire's files may hold the target already
  | "written"; // every file holds the target

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

const profileName = z.string().refine((v) => profileNameProblem(v) === undefined);

export const redSnapshotSchema = z.strictObject({
  ethernet: z.string().optional(),
  ppp: z.string().optional(),
  secrets: z.string().optional(),
  pppLink: z.enum(PPP_PROFILE_FILES).optional(),
});

const journalSchema = z.strictObject({
  version: z.literal(1),
  from: profileName.optional(),
  to: profileName,
  reason: z.string(),
  startedAt: z.number(),
  phase: z.enum(["begun", "writing", "written"]),
  original: redSnapshotSchema,
  target: redSnapshotSchema,
  children: z.array(z.number().int().positive()),
});

// The parsed JSON if it has the schema's shape, else undefined.
export function parseRecord<T>(schema: z.ZodType<T>, text: string): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function parseJournal(text: string): Journal | undefined {
  const j = parseRecord(journalSchema, text);
  return j && { ...j, from: j.from, original: snapshot(j.original), target: snapshot(j.target) };
}

export function parseRedSnapshot(text: string): RedSnapshot | undefined {
  const s = parseRecord(redSnapshotSchema, text);
  return s && snapshot(s);
}

// JSON leaves out a file that did not exist; RedTexts names it undefined.
function snapshot(s: z.output<typeof redSnapshotSchema>): RedSnapshot {
  return {
    ethernet: s.ethernet,
    ppp: s.ppp,
    secrets: s.secrets,
    ...(s.pppLink ? { pppLink: s.pppLink } : {}),
  };
}
