// Builds a profile's keys from options, the terminal and what the system
// knows (a NIC's MAC), shared by `profile create` and `profile edit`.

import { ConfigError, MwanError } from "../../core/errors.ts";
import { ifname } from "../../core/schema/fields.ts";
import {
  PROFILE_TYPES,
  type ProfileData,
  type ProfileType,
  isProfileType,
  keyUnused,
  keysOf,
  profileStrings,
  validateProfile,
} from "../../core/schema/profile.ts";
import type { Paths } from "../../adapters/paths.ts";
import type { Prompter } from "../../adapters/prompt.ts";
import { type LanNic, lanNicProblem } from "../../core/ipfire/lan-nics.ts";
import { lanNicsOfBox } from "../../switching/config-input.ts";
import { interfaceMac, nicChoices, noSuchInterface } from "../../adapters/sysfs.ts";
import { table, type Output } from "../../ui/output.ts";
import { confirm } from "../_confirm.ts";
import { type Asking, HOW_TO_ANSWER, askField, askType } from "./_ask.ts";
import { masked } from "./_display.ts";
import { FIELDS, fieldsFor, flagFor } from "./_fields.ts";

export interface ComposeInput {
  name: string;
  base: Record<string, string>; // the profile as it is (empty when creating)
  given: Record<string, string>; // what the options set
  suggested?: Record<string, string>; // defaults of a new profile, e.g. the next PRIORITY
  prompter?: Prompter;
  askAll: boolean; // ask every field, not only missing ones
}

const MAX_ROUNDS = 5;

// The complete, validated set of keys to store.
export async function compose(
  paths: Paths,
  out: Output,
  input: ComposeInput,
): Promise<Record<string, string>> {
  const source = `profiles/${input.name}`;
  const keys = { ...input.suggested, ...input.base, ...input.given };
  const { prompter } = input;
  if (prompter) prompter.say(HOW_TO_ANSWER);
  if (prompter && !input.given.TYPE && (input.askAll || !isProfileType(keys.TYPE ?? "")))
    keys.TYPE = await askType(prompter, keys.TYPE);
  if (!keys.TYPE || !isProfileType(keys.TYPE)) {
    throw new ConfigError(
      keys.TYPE
        ? `${source}: TYPE: must be one of ${PROFILE_TYPES.join(", ")} (found ${JSON.stringify(keys.TYPE)})`
        : `${source}: TYPE: required (--type dhcp|static|pppoe|vdsl|qmi)`,
    );
  }
  const type: ProfileType = keys.TYPE;
  const allowed = new Set(keysOf(type));
  for (const key of Object.keys(input.given)) {
    if (!allowed.has(key)) {
      throw new ConfigError(
        `${source}: ${key}: not used by TYPE=${type}${flagFor(key) ? ` (${flagFor(key)})` : ""}`,
      );
    }
  }
  // A type change drops the old type's keys the new one does not have; keys
  // no type knows stay, and validation names them.
  const known = new Set(PROFILE_TYPES.flatMap((t) => keysOf(t)));
  const dropped = Object.keys(keys).filter((k) => known.has(k) && !allowed.has(k));
  // Said, as a password or user name the admin may still need goes with them.
  const said = dropped.filter((k) => keys[k] !== "");
  const droppedLine = said.length > 0 ? `dropped ${said.join(", ")}: not used by TYPE=${type}` : "";
  for (const k of dropped) delete keys[k];

  const lan = lanNicsOfBox(paths);
  const asking: Asking | undefined = prompter && {
    paths,
    prompter,
    type,
    keys,
    problem: (raw, key) => problemWith(raw, key, source) ?? onLan(raw, key, lan),
  };
  // A NIC that is not there gives no MAC: that, not the MAC, is the mistake
  // (a QMI profile needs neither; its modem may be unplugged now). One
  // given as an option is refused before any question.
  const refuseMissingNic = () => {
    const missing = keys.DEVICE ? noSuchInterface(paths, keys.DEVICE) : undefined;
    if (type !== "QMI" && missing && !keys.MACADDR) throw new ConfigError(`${source}: ${missing}`);
    return missing;
  };
  if ("DEVICE" in input.given) refuseMissingNic();
  if (asking) await askFields(asking, input);
  else fillMac(paths, keys, out);
  const missing = refuseMissingNic();
  const lanProblem = lanNicProblem(keys, lan);
  if (lanProblem) throw new ConfigError(`${source}: ${lanProblem}`);

  let result = validateProfile(dropEmpty(keys), source);
  for (let round = 0; !result.ok; round++) {
    const first = result.errors[0] ?? source;
    const key = first.split(": ")[1] ?? "";
    // What no question sets (an option, an unknown key) cannot be asked again.
    const field = fieldsFor(type).find((f) => f.key === key && !f.optionOnly && !(key in input.given));
    if (!asking || !field || round >= MAX_ROUNDS) {
      // Every problem, each with the option that sets its key.
      const withFlag = (error: string) => {
        const flag = flagFor(error.split(": ")[1] ?? "");
        return `${error}${flag ? ` (${flag})` : ""}`;
      };
      throw new ConfigError(result.errors.map(withFlag));
    }
    asking.prompter.say(first.slice(source.length + 2));
    await askField(asking, field);
    result = validateProfile(dropEmpty(keys), source);
  }
  // The interface prompt has said so already.
  if (missing && (!asking || "DEVICE" in input.given)) {
    out.warn(
      `${source}: DEVICE: ${keys.DEVICE} does not exist now; mwan finds the NIC by its MAC when it switches`,
    );
  }
  // Once the profile is good: a refused edit drops nothing.
  if (droppedLine && prompter) prompter.say(droppedLine);
  else if (droppedLine) out.line(droppedLine);
  if (prompter) await confirmSave(prompter, input.name, type, keys, result.value);
  return dropEmpty(keys);
}

// Every field of the type in turn. A check that needs several answers (a
// gateway inside the address's subnet) can only fail once the last of them
// is in; it then names an earlier field, which is asked again right there.
async function askFields(a: Asking, input: ComposeInput): Promise<void> {
  const asked: string[] = [];
  for (const f of fieldsFor(a.type)) {
    if (f.optionOnly || f.key in input.given || (!input.askAll && a.keys[f.key])) continue;
    if (keyUnused(a.type, a.keys, f.key)) continue;
    // A new interface brings its own driver, offered as the default.
    if (f.key === "DRIVER" && a.keys.DEVICE !== input.base.DEVICE) {
      delete a.keys.DRIVER;
      const driver = nicChoices(a.paths).find((n) => n.ifname === a.keys.DEVICE)?.driver;
      if (driver) a.keys.DRIVER = driver;
    }
    if (f.key === "MACADDR") {
      // Without an interface (a QMI modem found by its control channel) there is no MAC to ask.
      if (!a.keys.DEVICE) continue;
      // A new interface brings its own MAC; the old one would name another NIC.
      if (a.keys.DEVICE !== input.base.DEVICE) delete a.keys.MACADDR;
      fillMac(a.paths, a.keys);
    }
    await askField(a, f);
    asked.push(f.key);
    for (;;) {
      const key = asked.find((k) => a.problem(a.keys, k));
      const field = key && fieldsFor(a.type).find((x) => x.key === key);
      if (!key || !field) break;
      a.prompter.say(a.problem(a.keys, key) ?? "");
      await askField(a, field);
    }
  }
}

// The reason `key` is refused, in config check's words without the file
// name: the whole profile is checked, so a value is judged with the others
// it depends on, and only what names this key is said.
function problemWith(raw: Record<string, string>, key: string, source: string): string | undefined {
  const result = validateProfile(dropEmpty(raw), source);
  const prefix = `${source}: ${key}: `;
  const error = result.ok ? undefined : result.errors.find((e) => e.startsWith(prefix));
  return error?.slice(source.length + 2);
}

// The LAN-side NIC `key` names, in the words problemWith uses.
function onLan(raw: Record<string, string>, key: string, lan: readonly LanNic[]): string | undefined {
  const problem = lanNicProblem(raw, lan);
  return problem?.startsWith(`${key}: `) ? problem : undefined;
}

async function confirmSave(
  prompter: Prompter,
  name: string,
  type: ProfileType,
  keys: Record<string, string>,
  profile: ProfileData,
): Promise<void> {
  prompter.say(`profile ${name}:`);
  // In the order the questions came; a default nothing uses (IPTV_VLAN with
  // IPTV off) is not shown.
  const order = ["TYPE", ...FIELDS.map((f) => f.key)];
  const rows = Object.entries(masked(profileStrings(profile)))
    .filter(([k]) => keys[k] || !keyUnused(type, keys, k))
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([k, v]) => [`  ${k}`, v]);
  for (const line of table(rows)) prompter.say(line);
  if (!(await confirm(prompter, `Save profile ${name}?`, true)))
    throw new MwanError("aborted, nothing written");
}

// Takes the MAC from the named interface when none was given: the MAC is what
// identifies the NIC when names change between boots. Said only when no
// question shows it as the default.
function fillMac(paths: Paths, keys: Record<string, string>, out?: Output): void {
  if (keys.MACADDR || !keys.DEVICE || !ifname.safeParse(keys.DEVICE).success) return;
  const mac = interfaceMac(paths, keys.DEVICE);
  if (mac) {
    keys.MACADDR = mac;
    out?.note(`MACADDR ${mac} taken from ${keys.DEVICE}`);
  }
}

function dropEmpty(keys: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== ""));
}
