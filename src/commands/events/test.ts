import { basename } from "node:path";
import { defineCommand } from "citty";
import { EXIT } from "../../core/errors.ts";
import { loadSettings } from "../../adapters/store.ts";
import { NOT_EXECUTABLE } from "../../adapters/trust.ts";
import { tryMail, tryScripts } from "../../daemon/event-test.ts";
import { table } from "../../ui/output.ts";
import { env } from "../_shared.ts";

export default defineCommand({
  meta: {
    name: "test",
    description: "Run every event script with MWAN_EVENT=test and send a test mail (with MAIL=on)",
  },
  args: {
    mail: {
      type: "boolean",
      description: "Send the test mail even with MAIL=off; --no-mail: run the scripts only",
    },
  },
  async run(ctx) {
    const { paths, out } = env(ctx);
    const settings = loadSettings(paths);
    const tried = await tryScripts(paths);
    // A script turned off (no x bit) is listed, but is no failure.
    let ok = tried.every((t) => t.run?.code === 0 || t.skipped === NOT_EXECUTABLE);
    if (tried.length === 0) out.line("events.d: no scripts in /var/ipfire/mwan/events.d");
    else {
      out.line(`events.d: ${tried.filter((t) => t.run).length} script(s) run with MWAN_EVENT=test`);
      const rows = tried.map((t) => {
        const name = basename(t.path);
        if (!t.run) return [name, "not run", "", t.skipped ?? ""];
        const time = `${(t.run.ms / 1000).toFixed(2)} s`;
        if (t.run.code === null)
          return [name, "killed", time, `still running after ${t.run.timeoutMs / 1000} s`];
        return [name, `exit ${t.run.code}`, time, t.run.code === 0 ? "" : t.run.stderr];
      });
      for (const row of table(rows)) out.line(`  ${row}`);
    }
    if (ctx.args.mail === false) out.line("mail: not sent (--no-mail)");
    else if (!ctx.args.mail && settings.MAIL !== "on")
      out.line("mail: not sent (MAIL is off; --mail sends one anyway)");
    else {
      const m = await tryMail(paths, settings);
      ok &&= m.ok;
      out.line(`mail: ${m.detail}${m.ms === undefined ? "" : ` (${(m.ms / 1000).toFixed(2)} s)`}`);
    }
    return ok ? EXIT.ok : EXIT.failure;
  },
});
