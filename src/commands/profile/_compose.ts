// Builds a profile's keys from options, the terminal and what the system
// knows (a NIC's MAC), shared by `profile create` and `profile edit`.

import { ConfigError } from "../../core/errors.ts";
import { ifname } from "../../core/schema/fields.ts";
import { PROFILE_TYPES, isProfileType, keysOf, validateProfile } from "../../core/schema/profile.ts";
import type { Paths } from "../../adapters/paths.ts";
import type { Prompter } from "../../adapters/prompt.ts";
import { nicNames } from "../../core/switch/device.ts";
import { listNics } from "../../adapters/nics.ts";
import { interfaceExists, interfaceMac } from "../../adapters/sysfs.ts";
import type { Output } from "../../ui/output.ts";
import { fieldsFor, flagFor } from "./_fields.ts";

export interface ComposeInput {
  name: string;
  base: Record<string, string>; // the profile as it is (empty when creating)
  given: Record<string, string>; // what the options set
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
  const keys = { ...input.base, ...input.given };
  const { prompter } = input;
  while (!keys.TYPE || !isProfileType(keys.TYPE)) {
    if (!prompter) {
      throw new ConfigError(
        keys.TYPE
          ? `${source}: TYPE: must be one of ${PROFILE_TYPES.join(", ")} (found ${JSON.stringify(keys.TYPE)})`
          : `${source}: TYPE: required (--type dhcp|static|pppoe|vdsl|qmi)`,
      );
    }
    keys.TYPE = (await prompter.ask("Type (dhcp, static, pppoe, vdsl, qmi)")).toUpperCase();
  }
  const type = keys.TYPE;
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
  for (const k of Object.keys(keys)) if (known.has(k) && !allowed.has(k)) delete keys[k];

  if (prompter) {
    for (const f of fieldsFor(type)) {
      if (f.optionOnly || f.key in input.given || (!input.askAll && keys[f.key])) continue;
      if (f.key === "MACADDR") fillMac(paths, keys, out);
      keys[f.key] = await prompter.ask(f.question, {
        default: keys[f.key],
        secret: f.secret,
      });
    }
  }
  fillMac(paths, keys, out);
  // A NIC that is not there gave no MAC: that, not the MAC, is the mistake
  // (a QMI profile needs neither; its modem may be unplugged now).
  if (keys.TYPE !== "QMI" && keys.DEVICE && !keys.MACADDR && !interfaceExists(paths, keys.DEVICE))
    throw new ConfigError(
      `${source}: DEVICE: ${keys.DEVICE}: no such interface (the box has: ${nicNames(listNics(paths))})`,
    );

  for (let round = 0; ; round++) {
    const result = validateProfile(dropEmpty(keys), source);
    if (result.ok) break;
    if (!prompter || round >= MAX_ROUNDS) {
      // Every problem, each with the option that sets its key.
      const withFlag = (error: string) => {
        const flag = flagFor(error.split(": ")[1] ?? "");
        return `${error}${flag ? ` (${flag})` : ""}`;
      };
      throw new ConfigError(result.errors.map(withFlag).join("; "));
    }
    for (const error of result.errors) {
      out.warn(error);
      const key = error.split(": ")[1] ?? "";
      const field = fieldsFor(type).find((f) => f.key === key);
      if (field)
        keys[key] = await prompter.ask(field.question, {
          default: keys[key],
          secret: field.secret,
        });
    }
  }
  if (keys.DEVICE && !interfaceExists(paths, keys.DEVICE)) {
    out.warn(
      `${source}: DEVICE: ${keys.DEVICE} does not exist now; mwan finds the NIC by its MAC when it switches`,
    );
  }
  return dropEmpty(keys);
}

// Takes the MAC from the named interface when none was given: the MAC is what
// identifies the NIC when names change between boots.
function fillMac(paths: Paths, keys: Record<string, string>, out: Output): void {
  if (keys.MACADDR || !keys.DEVICE || !ifname.safeParse(keys.DEVICE).success) return;
  const mac = interfaceMac(paths, keys.DEVICE);
  if (mac) {
    keys.MACADDR = mac;
    out.note(`MACADDR ${mac} taken from ${keys.DEVICE}`);
  }
}

function dropEmpty(keys: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== ""));
}
