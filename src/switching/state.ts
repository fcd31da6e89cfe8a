// mwan's own record of RED: which profile it carries, the switch in flight
// (the journal), the primary's files as they were, and the switch history.

import { z } from "zod";
import { MwanError } from "../core/errors.ts";
import { type Journal, parseJournal, parseRecord, parseRedSnapshot } from "../core/switch/journal.ts";
import type { RedSnapshot } from "../core/switch/red-files.ts";
import type { KnownNic } from "../core/switch/device.ts";
import { ensureDir, readTextIfExists, removeFile, writeFileAtomic } from "../adapters/files.ts";
import { bootId } from "../adapters/processes.ts";
import { type Paths, PRIVATE_DIR_MODE } from "../adapters/paths.ts";

export function readJournal(paths: Paths): Journal | undefined {
  const text = readTextIfExists(paths.journal, "state/journal");
  if (text === undefined) return undefined;
  const journal = parseJournal(text);
  if (!journal) {
    throw new MwanError(
      "state/journal: unreadable; check IPFire's RED settings by hand, then remove the file",
    );
  }
  return journal;
}

// The journal holds copies of ppp/secrets, so it is 0600 like the original.
export function writeJournal(paths: Paths, journal: Journal): void {
  ensureDir(paths.stateDir, PRIVATE_DIR_MODE, "state/");
  writeFileAtomic(paths.journal, JSON.stringify(journal), {
    display: "state/journal",
    mode: 0o600,
    forceMode: true,
  });
}

export function clearJournal(paths: Paths): void {
  removeFile(paths.journal, "state/journal");
}

export function setActive(paths: Paths, profile: string): void {
  ensureDir(paths.stateDir, PRIVATE_DIR_MODE, "state/");
  writeFileAtomic(paths.activeProfile, `${profile}\n`, {
    display: "state/active",
    mode: 0o644,
  });
}

// IPFire's files as they were on the primary, kept so that failing back
// restores them byte for byte (key order, quoting, the settings-N link).
export function savePrimarySnapshot(paths: Paths, files: RedSnapshot): void {
  writeFileAtomic(paths.primarySnapshot, JSON.stringify(files), {
    display: "state/primary-files",
    mode: 0o600,
    forceMode: true,
  });
}

export function readPrimarySnapshot(paths: Paths): RedSnapshot | undefined {
  const text = readTextIfExists(paths.primarySnapshot, "state/primary-files");
  // A damaged snapshot only costs byte-identity.
  return text === undefined ? undefined : parseRedSnapshot(text);
}

const historyEntry = z.object({
  at: z.number(),
  from: z.string().optional(),
  to: z.string(),
  ok: z.boolean(),
  reason: z.string(),
  result: z.string(),
  ms: z.number(),
});

export interface HistoryEntry {
  at: number;
  from: string | undefined;
  to: string;
  ok: boolean;
  reason: string;
  result: string;
  ms: number;
}

const HISTORY_KEEP = 100;

export function appendHistory(paths: Paths, entry: HistoryEntry): void {
  const lines = (readTextIfExists(paths.history, "state/history") ?? "").split("\n").filter((l) => l !== "");
  lines.push(JSON.stringify(entry));
  // A switch refused before anything was touched may be the first one.
  ensureDir(paths.stateDir, PRIVATE_DIR_MODE, "state/");
  writeFileAtomic(paths.history, `${lines.slice(-HISTORY_KEEP).join("\n")}\n`, {
    display: "state/history",
    mode: 0o644,
  });
}

export function readHistory(paths: Paths): HistoryEntry[] {
  const text = readTextIfExists(paths.history, "state/history") ?? "";
  return text
    .split("\n")
    .filter((l) => l !== "")
    .flatMap((l) => {
      const entry = parseRecord(historyEntry, l);
      return entry ? [{ ...entry, from: entry.from }] : [];
    });
}

// Which name each NIC had this boot while its address was its own
// (core/switch/device.ts): worthless after a reboot, when udev names them anew.
const nicRecords = z.strictObject({
  boot: z.string(),
  nics: z
    .array(
      z.strictObject({
        ifname: z.string().regex(/^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,14}$/),
        mac: z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/),
      }),
    )
    .max(64),
});

export function readNicRecords(paths: Paths): KnownNic[] {
  const text = readTextIfExists(paths.nicRecords, "state/nics");
  const records = text === undefined ? undefined : parseRecord(nicRecords, text);
  return records?.boot === bootId() ? records.nics : [];
}

export function writeNicRecords(paths: Paths, nics: KnownNic[]): void {
  ensureDir(paths.stateDir, PRIVATE_DIR_MODE, "state/");
  writeFileAtomic(paths.nicRecords, JSON.stringify({ boot: bootId(), nics }), {
    display: "state/nics",
    mode: 0o644,
  });
}

// The admin's hold (mwan hold, mwan switch): kept in state/ so that a daemon
// restart or a reboot does not quietly resume automatic switching. Only the
// daemon writes it, whenever its engine's hold changes.
const holdRecord = z.object({ since: z.number() });
export type HoldRecord = z.infer<typeof holdRecord>;

export function readHold(paths: Paths): HoldRecord | undefined {
  const text = readTextIfExists(paths.hold, "state/hold");
  if (text === undefined) return undefined;
  // A damaged record still means the admin asked for a hold.
  return parseRecord(holdRecord, text) ?? { since: 0 };
}

export function writeHold(paths: Paths, hold: HoldRecord | undefined): void {
  if (hold === undefined) return removeFile(paths.hold, "state/hold");
  ensureDir(paths.stateDir, PRIVATE_DIR_MODE, "state/");
  writeFileAtomic(paths.hold, `${JSON.stringify(hold)}\n`, { display: "state/hold", mode: 0o644 });
}
