// Mail through IPFire's dma: its sendmail, and the sender and recipient the
// web interface keeps in dma/mail.conf.

import { hostname } from "node:os";
import { composeMail, type DmaMail, mailRecipient, NO_RECIPIENT, RECIPIENT_HINT } from "../core/mail.ts";
import type { MwanEvent } from "../core/events.ts";
import type { Settings } from "../core/schema/settings.ts";
import { parseSettings, toRecord } from "../core/settings/codec.ts";
import { MwanError } from "../core/errors.ts";
import { type BoundedRun, runBounded } from "./bounded-run.ts";
import { readTextIfExists } from "./files.ts";
import type { Paths } from "./paths.ts";

const MAIL_CONF = "/var/ipfire/dma/mail.conf";
const SENDMAIL_TIMEOUT_MS = 30_000;

// Throws MwanError when mail.conf exists but cannot be read.
export function readDmaMail(paths: Paths): DmaMail {
  const text = readTextIfExists(paths.dmaMailConf, MAIL_CONF) ?? "";
  const dma = toRecord(parseSettings(text, MAIL_CONF, { ipfire: true }));
  return { recipient: dma.RECIPIENT || undefined, sender: dma.SENDER || undefined };
}

// What `config check` says of the mail settings: MAIL=on needs someone to
// mail to.
export function mailProblems(paths: Paths, settings: Settings): string[] {
  if (settings.MAIL !== "on" || settings.MAIL_TO) return [];
  try {
    return mailRecipient(settings, readDmaMail(paths)) ? [] : [NO_RECIPIENT];
  } catch (err) {
    return [err instanceof Error ? err.message : String(err)];
  }
}

export interface Sent {
  to: string;
  run: BoundedRun;
}

// Throws MwanError without a recipient or a readable mail.conf, and when
// sendmail cannot be started.
export async function sendEventMail(
  paths: Paths,
  settings: Settings,
  e: MwanEvent,
  held = 0,
  stop?: AbortSignal,
): Promise<Sent> {
  const dma = readDmaMail(paths);
  const to = mailRecipient(settings, dma);
  if (!to) throw new MwanError(`no recipient (${RECIPIENT_HINT})`);
  const host = hostname();
  const message = composeMail(e, { from: dma.sender ?? `mwan@${host}`, to, host, held });
  let run: BoundedRun;
  try {
    run = await runBounded([paths.sendmail, "-t"], {
      env: {},
      stdin: message,
      timeoutMs: SENDMAIL_TIMEOUT_MS,
      stop,
    });
  } catch (err) {
    throw new MwanError(`cannot run sendmail: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { to, run };
}
