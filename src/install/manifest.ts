// state/install.json: what install added that uninstall cannot tell from the
// plan alone. The files and links are mwan's by name, but only the record
// says which directories install had to make, whether include.user was there
// before and which of its lines install added (one the admin had written is
// theirs), so uninstall leaves IPFire's own as they were.

import { basename, normalize, relative } from "node:path";
import { z } from "zod";
import { readTextIfExists } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";
import { MwanError } from "../core/errors.ts";
import { type Entry, manifestPath } from "./plan.ts";

// Paths are relative to the root, so a tree installed below a prefix keeps
// its meaning when it is moved. uninstall deletes what the record names, so
// a name is taken only if it stays inside the tree ("../x" and "/x" do not)
// and, for a file, if the file is mwan's by name: everything install writes
// has "mwan" in its file name, none of IPFire's files has.
const inside = z
  .string()
  .refine((p) => p !== "" && !p.startsWith("/") && normalize(p) === p && !p.split("/").includes(".."), {
    message: "not a path inside the tree",
  });
const mwanFile = inside.refine((p) => basename(p).includes("mwan"), { message: "not a file mwan installs" });

const schema = z.strictObject({
  version: z.literal(1),
  files: z.array(mwanFile),
  dirs: z.array(inside),
  includeUserCreated: z.boolean(),
  // Absent in records written before it existed (see nextManifest).
  lines: z.array(z.string()).optional(),
});

export type Manifest = z.infer<typeof schema>;

export function readManifest(paths: Paths): Manifest | undefined {
  const text = readTextIfExists(manifestPath(paths), "state/install.json");
  if (text === undefined) return undefined;
  const parsed = schema.safeParse(jsonOrUndefined(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ${issue.message}; ` : "";
    throw new MwanError(
      `state/install.json: ${where}not a record written by mwan install (remove it and run mwan install again)`,
    );
  }
  return parsed.data;
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// This install's record merged with the previous one: a second run creates
// no directories, yet the first run's must still be removed one day.
export function nextManifest(
  paths: Paths,
  entries: Entry[],
  previous: Manifest | undefined,
  created: { dirs: string[]; includeUser: boolean; lines: string[] },
): Manifest {
  const rel = (path: string) => relative(paths.root, path);
  const files = entries
    .filter((e) => e.kind === "file" || e.kind === "copy" || e.kind === "symlink")
    .map((e) => rel(e.path));
  return {
    version: 1,
    files: [...new Set([...(previous?.files ?? []), ...files])],
    dirs: [...new Set([...(previous?.dirs ?? []), ...created.dirs.map(rel)])],
    includeUserCreated: (previous?.includeUserCreated ?? false) || created.includeUser,
    lines: [...new Set([...previousLines(entries, previous, created.lines), ...created.lines])],
  };
}

// The lines an earlier install added. A record without `lines` comes from a
// version that added every planned line that was missing and took every one
// it found away again: the planned lines found now are taken as its, as that
// version's uninstall would have.
function previousLines(entries: Entry[], previous: Manifest | undefined, added: string[]): string[] {
  if (!previous) return [];
  return previous.lines ?? plannedLines(entries).filter((line) => !added.includes(line));
}

export function plannedLines(entries: Entry[]): string[] {
  return entries.flatMap((e) => (e.kind === "lines" ? e.lines : []));
}
