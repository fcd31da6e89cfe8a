// What the daemon's control socket (daemon/control-socket.ts) accepts from the
// web page, decided on the text alone: one JSON object per line, one of six
// requests. The four actions carry the CSRF token the daemon issued; a
// profile name is checked as every profile name is before it goes further.
// Anything else is refused with a line that says why.

import type { Command } from "./engine/types.ts";
import { profileNameProblem } from "./profile/name.ts";

// A request line is a few dozen bytes; the socket reads no more than this.
export const MAX_REQUEST_BYTES = 1024;

export type ControlRequest =
  { kind: "status" } | { kind: "token" } | { kind: "action"; token: string; command: Command };

const TOKEN = /^[0-9a-f]{64}$/;

export function parseControlRequest(line: string): ControlRequest | { problem: string } {
  let req: unknown;
  try {
    req = JSON.parse(line);
  } catch {
    return { problem: "not a JSON request" };
  }
  if (typeof req !== "object" || req === null || Array.isArray(req)) return { problem: "not a JSON object" };
  const r = req as Record<string, unknown>;
  const known = ["request", "token", "profile"];
  const extra = Object.keys(r).find((k) => !known.includes(k));
  if (extra !== undefined) return { problem: `unknown field ${JSON.stringify(extra).slice(0, 40)}` };
  if (r.request === "status" || r.request === "token") {
    if (r.token !== undefined || r.profile !== undefined) return { problem: `${r.request} takes no fields` };
    return { kind: r.request };
  }
  const command = actionCommand(r.request, r.profile);
  if ("problem" in command) return command;
  if (typeof r.token !== "string" || !TOKEN.test(r.token)) return { problem: "no valid token" };
  return { kind: "action", token: r.token, command };
}

function actionCommand(request: unknown, profile: unknown): Command | { problem: string } {
  if (request === "switch") {
    if (typeof profile !== "string") return { problem: "switch needs a profile" };
    const problem = profileNameProblem(profile);
    return problem ? { problem } : { kind: "switchTo", profile };
  }
  if (profile !== undefined) return { problem: `${String(request).slice(0, 20)} takes no profile` };
  if (request === "failback") return { kind: "failbackNow" };
  if (request === "hold") return { kind: "hold" };
  if (request === "resume") return { kind: "resume" };
  return { problem: "unknown request (status, token, switch, failback, hold or resume)" };
}
