import { defineCommand } from "citty";
import { captureRedTexts } from "../../core/ipfire/capture.ts";
import { ConfigError } from "../../core/errors.ts";
import { ipfireSystem } from "../../adapters/ipfire-system.ts";
import { interfaceMac } from "../../adapters/sysfs.ts";
import {
  deleteProfile,
  loadSettings,
  prepareProfile,
  prepareSettings,
  profileExists,
} from "../../adapters/store.ts";
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
    const keys = captureRedTexts(ipfireSystem(paths).readRedFiles());
    // setup leaves RED_MACADDR empty on some installs; the NIC itself knows it.
    if (!keys.MACADDR && keys.DEVICE && ifname.safeParse(keys.DEVICE).success) {
      const mac = interfaceMac(paths, keys.DEVICE);
      if (mac) keys.MACADDR = mac;
    }
    // Both files are checked before either is written.
    const profile = prepareProfile(paths, name, diff({}, keys), { create: true });
    const primary = loadSettings(paths).PRIMARY ? undefined : prepareSettings(paths, { PRIMARY: name });
    profile.write();
    try {
      primary?.write();
    } catch (err) {
      // A profile alone would look imported though PRIMARY was never set.
      deleteProfile(paths, name);
      throw err;
    }
    out.line(
      `profile ${name} created from IPFire's current RED (${profile.value.TYPE} on ${profile.value.DEVICE ?? "its modem"})`,
    );
    if (primary) out.line(`PRIMARY is now ${name}`);
  },
});
