import { defineCommand } from "citty";
import { captureRed } from "../../core/ipfire/capture.ts";
import { ConfigError } from "../../core/errors.ts";
import { toRecord } from "../../core/settings/codec.ts";
import { readTextIfExists } from "../../adapters/files.ts";
import { interfaceMac } from "../../adapters/sysfs.ts";
import { loadSettings, profileExists, readDoc, saveProfile, saveSettings } from "../../adapters/store.ts";
import { ifname } from "../../core/schema/fields.ts";
import { env, profileNameArg } from "../_shared.ts";
import { diff } from "./_input.ts";

export default defineCommand({
  meta: {
    name: "import-current",
    description: "Save the RED configuration IPFire has now as a profile (this is how the primary is made)",
  },
  args: { ...profileNameArg },
  run(ctx) {
    const { paths, out } = env(ctx);
    const name = ctx.args.name;
    if (profileExists(paths, name)) throw new ConfigError(`profiles/${name}: profile already exists`);
    const ethernet = readDoc(paths, paths.ethernetSettings);
    if (!ethernet) throw new ConfigError("/var/ipfire/ethernet/settings: missing; is this an IPFire system?");
    const keys = captureRed({
      ethernet: toRecord(ethernet),
      ppp: toRecord(readDoc(paths, paths.pppSettings) ?? { lines: [], finalNewline: true }),
      secrets: readTextIfExists(paths.pppSecrets, "/var/ipfire/ppp/secrets"),
    });
    // setup leaves RED_MACADDR empty on some installs; the NIC itself knows it.
    if (!keys.MACADDR && keys.DEVICE && ifname.safeParse(keys.DEVICE).success) {
      const mac = interfaceMac(paths, keys.DEVICE);
      if (mac) keys.MACADDR = mac;
    }
    const profile = saveProfile(paths, name, diff({}, keys), { create: true });
    out.line(
      `profile ${name} created from IPFire's current RED (${profile.TYPE} on ${profile.DEVICE ?? "its modem"})`,
    );
    if (!loadSettings(paths).PRIMARY) {
      saveSettings(paths, { PRIMARY: name });
      out.line(`PRIMARY is now ${name}`);
    }
  },
});
