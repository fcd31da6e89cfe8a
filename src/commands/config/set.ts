import { defineCommand } from "citty";
import { ConfigError } from "../../core/errors.ts";
import { primaryMismatch } from "../../core/ipfire/red-match.ts";
import type { Paths } from "../../adapters/paths.ts";
import { listProfiles, noSuchProfile, profileRecord, readSettingsLeniently } from "../../adapters/store.ts";
import { primaryRed } from "../../switching/primary-red.ts";
import type { Output } from "../../ui/output.ts";
import { env } from "../_shared.ts";
import { changeSetting, settingKey } from "./_change.ts";

// PRIMARY must name a profile, and one that describes what RED holds.
function checkPrimary(paths: Paths, out: Output, name: string, force: boolean): void {
  if (!listProfiles(paths).names.includes(name)) throw noSuchProfile(name);
  if (force) return;
  const red = primaryRed(paths, name, readSettingsLeniently(paths).settings.PRIMARY);
  const m = primaryMismatch(name, profileRecord(paths, name), red);
  if (m && "mismatch" in m)
    throw new ConfigError(`settings: PRIMARY: ${m.mismatch}; use --force to set it anyway`);
  if (m) out.warn(`settings: PRIMARY: ${m.note}`);
}

export default defineCommand({
  meta: {
    name: "set",
    description: "Change one setting (an empty VALUE restores the default)",
  },
  args: {
    key: {
      type: "positional",
      description: "Setting name, e.g. PROBE_TARGETS",
      valueHint: "KEY",
      required: true,
    },
    value: {
      type: "positional",
      description: "New value",
      valueHint: "VALUE",
      required: true,
    },
    force: {
      type: "boolean",
      description: "Set PRIMARY to a profile that does not describe what RED holds now",
    },
  },
  run(ctx) {
    const { paths, out } = env(ctx);
    const key = settingKey("set", ctx.args.key);
    const value = ctx.args.value;
    if (key === "PRIMARY" && value !== "") checkPrimary(paths, out, value, ctx.args.force === true);
    changeSetting(paths, out, key, value === "" ? undefined : value);
  },
});
