// The mail an event becomes, and who gets it: MAIL_TO, or else the recipient
// of IPFire's own mail settings (the web interface's dma/mail.conf).

import type { MwanEvent } from "./events.ts";
import type { Settings } from "./schema/settings.ts";

export interface DmaMail {
  recipient?: string;
  sender?: string;
}

export function mailRecipient(settings: Settings, dma: DmaMail): string | undefined {
  return settings.MAIL_TO || dma.recipient || undefined;
}

export const RECIPIENT_HINT = "set MAIL_TO, or a recipient in IPFire's mail settings";
export const NO_RECIPIENT = `settings: MAIL: on, but there is no recipient (${RECIPIENT_HINT})`;

export interface Envelope {
  from: string;
  to: string;
  host: string;
  // Events not mailed since the last mail (the rate limit).
  held: number;
}

export function composeMail(e: MwanEvent, env: Envelope): string {
  const held = env.held > 0 ? `\n\n${env.held} earlier event(s) were not mailed (rate limit).` : "";
  const on = e.active ? `: RED on ${e.active}` : "";
  return [
    `From: ${header(env.from)}`,
    `To: ${header(env.to)}`,
    `Subject: [mwan] ${e.event}${e.result === "failed" ? " failed" : ""} on ${header(env.host)}${header(on)}`,
    "",
    `${new Date(e.at).toISOString()} ${e.message}${held}`,
    "",
  ].join("\n");
}

// mail.conf is the web interface's (nobody's): no line breaks into headers.
function header(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, " ");
}
