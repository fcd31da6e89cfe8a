// One profile key asked on a terminal: the question shows the choices and
// the default, the answer is checked at once and asked again with the
// reason, a password is typed twice, and the interface question lists the
// NICs this box has.

import {
  PROFILE_TYPES,
  type ProfileType,
  isProfileType,
  keyChoices,
  keyDefault,
} from "../../core/schema/profile.ts";
import type { Paths } from "../../adapters/paths.ts";
import type { Prompter } from "../../adapters/prompt.ts";
import { type NicChoice, nicChoices, noSuchInterface } from "../../adapters/sysfs.ts";
import { table } from "../../ui/output.ts";
import type { Field } from "./_fields.ts";

export interface Asking {
  paths: Paths;
  prompter: Prompter;
  type: ProfileType;
  keys: Record<string, string>; // the profile being composed, changed in place
  // Why `key` of these keys is refused, if it is.
  problem(keys: Record<string, string>, key: string): string | undefined;
}

export const HOW_TO_ANSWER =
  "Enter keeps the value in [brackets], - clears it; Ctrl-C stops without writing anything.";

// What an unset key does where the schema has no default for it: IPFire's
// red passes neither -pap nor -chap to pppd, which then takes either, and
// reads an unset rapid commit as on.
const UNSET_MEANS: Record<string, string> = { AUTH: "pap-or-chap", DHCP_RAPID_COMMIT: "on" };

const typeList = PROFILE_TYPES.map((t) => t.toLowerCase());

export async function askType(prompter: Prompter, current: string | undefined): Promise<ProfileType> {
  for (;;) {
    const answer = (
      await prompter.ask(`Type (${typeList.join("/")})`, { default: current?.toLowerCase() })
    ).toUpperCase();
    if (isProfileType(answer)) return answer;
    prompter.say(`TYPE: must be one of ${typeList.join(", ")}`);
  }
}

export async function askField(a: Asking, f: Field): Promise<void> {
  const { prompter, type, keys } = a;
  const current = keys[f.key] ?? "";
  const standIn = keyDefault(type, f.key) ?? UNSET_MEANS[f.key];
  const nics = f.key === "DEVICE" ? offerNics(a) : [];
  const choices = keyChoices(type, f.key);
  const question =
    nics.length > 0
      ? `Network interface (number or name${type === "QMI" ? ", optional" : ""})`
      : choices
        ? `${f.question} (${choices.join("/")})`
        : f.question;
  for (;;) {
    let answer = await prompter.ask(question, { default: current || standIn, secret: f.secret });
    // Enter on a default that is not in the file leaves it out: the file
    // then says only what the admin chose.
    if (answer === "-" || (current === "" && answer === standIn)) answer = "";
    if (nics.length > 0 && /^[0-9]+$/.test(answer)) {
      const picked = nics[Number(answer) - 1];
      if (!picked) {
        prompter.say(`${f.key}: ${answer} is not in the list (1 to ${nics.length}, or a name)`);
        continue;
      }
      answer = picked.ifname;
    }
    const reason =
      a.problem({ ...keys, [f.key]: answer }, f.key) ??
      (f.key === "DEVICE" ? missingNic(a, answer, current) : undefined);
    if (reason) {
      prompter.say(reason);
      continue;
    }
    if (f.secret && answer !== "" && answer !== current) {
      const again = await prompter.ask(`${f.question} again`, { secret: true });
      if (again !== answer) {
        prompter.say(`${f.key}: the two did not match; type it again`);
        continue;
      }
    }
    keys[f.key] = answer;
    return;
  }
}

// An interface the box does not have is a typo, refused like --device's,
// except a QMI modem's, which may be unplugged now (said, and kept). The
// current name is kept while the profile's MAC finds the NIC under another.
function missingNic(a: Asking, answer: string, current: string): string | undefined {
  if (answer === "" || (answer === current && a.keys.MACADDR)) return undefined;
  const missing = noSuchInterface(a.paths, answer);
  if (missing && a.type === "QMI") {
    a.prompter.say(`DEVICE: ${answer} is not on this box now; kept (a modem may be unplugged)`);
    return undefined;
  }
  return missing;
}

// The NICs as a numbered list, so the admin picks one instead of guessing
// names; the MAC is the one a profile records (core/switch/device.ts).
function offerNics(a: Asking): NicChoice[] {
  const nics = nicChoices(a.paths);
  if (nics.length === 0) return nics;
  a.prompter.say("NICs on this box:");
  const rows = nics.map((n, i) => [
    `  ${i + 1})`,
    n.ifname,
    n.mac ?? "no MAC",
    n.driver ?? "-",
    n.carrier === true ? "link" : n.carrier === false ? "no link" : "down",
    n.qmi ? "QMI modem" : "",
  ]);
  for (const line of table(rows)) a.prompter.say(line);
  return nics;
}
