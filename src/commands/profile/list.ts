import { defineCommand } from "citty";
import { backupOrder } from "../../core/config-check.ts";
import { MwanError } from "../../core/errors.ts";
import { type ProfileData, validateProfile } from "../../core/schema/profile.ts";
import { activeProfile, listProfiles, profileRecord, readSettingsLeniently } from "../../adapters/store.ts";
import { table } from "../../ui/output.ts";
import { reportProblems } from "../_config-problems.ts";
import { env, jsonArg } from "../_shared.ts";
import { PROFILE_JSON_VERSION } from "./_display.ts";

export default defineCommand({
  meta: {
    name: "list",
    description: "List profiles: the primary first, then backups in failover order",
  },
  args: { ...jsonArg },
  run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const reading = readSettingsLeniently(paths);
    const primary = reading.settings.PRIMARY;
    const active = activeProfile(paths);
    const { names, ignored } = listProfiles(paths);
    const valid: Record<string, ProfileData> = {};
    const invalid: string[] = [];
    for (const name of names) {
      let result: ReturnType<typeof validateProfile>;
      try {
        result = validateProfile(profileRecord(paths, name), `profiles/${name}`);
      } catch (err) {
        if (!(err instanceof MwanError)) throw err;
        result = { ok: false, errors: [err.message] }; // unparsable: listed as invalid
      }
      if (result.ok) valid[name] = result.value;
      else invalid.push(name);
    }
    const order = [
      ...(primary && valid[primary] ? [primary] : []),
      ...backupOrder(primary, valid),
      ...invalid,
    ];
    const rows = order.map((name) => {
      const p = valid[name];
      return {
        name,
        type: p?.TYPE ?? "?",
        role: name === primary ? "primary" : "backup",
        priority: p?.PRIORITY ?? null,
        device: p?.DEVICE ?? "",
        active: name === active,
        valid: p !== undefined,
      };
    });
    for (const f of ignored) out.warn(`profiles/${f}: not a valid profile name; ignored`);
    if (out.json) out.data({ version: PROFILE_JSON_VERSION, profiles: rows });
    else if (rows.length === 0)
      out.line("no profiles (create the primary with mwan profile import-current NAME)");
    else {
      const head = ["", "NAME", "TYPE", "ROLE", "PRIORITY", "DEVICE"];
      const body = rows.map((r) => [
        r.active ? "*" : "",
        r.name,
        r.type,
        r.valid ? r.role : "invalid (see mwan config check)",
        r.priority === null ? "-" : String(r.priority),
        r.device || "-",
      ]);
      for (const line of table([head, ...body])) out.line(line);
    }
    return reportProblems(out, reading);
  },
});
