// Telling the admin: executables in /var/ipfire/mwan/events.d/ run on every
// failover, failback and failure with the event in environment variables, and
// optionally an e-mail through IPFire's dma. Neither may block the daemon or
// stop a switch: a script runs under a timeout and one still running is not
// started again, and whatever goes wrong here is logged and nothing more.
// Scripts run as root, so only those root alone could have put there run.

import { readdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { ConsolaInstance } from "consola/core";
import { parseSettings, toRecord } from "../core/settings/codec.ts";
import type { Settings } from "../core/schema/settings.ts";
import { readTextIfExists } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";
import { signal } from "../adapters/processes.ts";
import { runnable } from "../adapters/trust.ts";

export interface MwanEvent {
  event: "failover" | "failback" | "failure";
  kind: string; // the engine's word for it (failover, return, rescue, …)
  from?: string;
  to?: string;
  active: string;
  message: string;
}

const SCRIPT_TIMEOUT_MS = 30_000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class EventSink {
  private readonly running = new Set<string>();
  private lastMail = 0;
  private suppressed = 0;

  constructor(
    private readonly paths: Paths,
    private readonly log: ConsolaInstance,
    private settings: Settings,
  ) {}

  configure(settings: Settings): void {
    this.settings = settings;
  }

  emit(e: MwanEvent, now: number): void {
    this.guard("events.d", () => {
      for (const script of this.scripts()) this.run(script, e, now);
    });
    if (this.settings.MAIL === "on") this.guard("mail", () => this.mail(e, now));
  }

  private guard(what: string, part: () => void): void {
    try {
      part();
    } catch (err) {
      this.log.warn(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // Executable regular files root may trust; editor backups and dotfiles
  // are skipped.
  private scripts(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.paths.eventsDir).sort();
    } catch {
      return [];
    }
    return names
      .filter((n) => NAME.test(n) && !n.endsWith("~"))
      .map((n) => join(this.paths.eventsDir, n))
      .filter((p) => {
        const r = runnable(p);
        if (!r.ok && r.reason) this.log.warn(`events.d: ${p} not run: ${r.reason}`);
        return r.ok;
      });
  }

  private run(script: string, e: MwanEvent, now: number): void {
    if (this.running.has(script)) {
      this.log.warn(`events.d: ${script} is still running; not started for this ${e.event}`);
      return;
    }
    this.running.add(script);
    const env = {
      PATH: "/usr/local/bin:/usr/local/sbin:/sbin:/usr/sbin:/bin:/usr/bin",
      MWAN_EVENT: e.event,
      MWAN_KIND: e.kind,
      MWAN_FROM: e.from ?? "",
      MWAN_TO: e.to ?? "",
      MWAN_ACTIVE: e.active,
      MWAN_MESSAGE: e.message,
      MWAN_TIME: new Date(now).toISOString(),
    };
    try {
      // Its own process group, so the timeout also ends what it started
      // (a curl to a dead webhook), not just the script.
      const child = Bun.spawn([script], {
        cwd: "/",
        env,
        stdin: "ignore",
        stdout: "ignore",
        stderr: "pipe",
        detached: true,
      });
      const timer = setTimeout(() => signal(-child.pid, "SIGKILL"), SCRIPT_TIMEOUT_MS);
      void child.exited
        .then(async (code) => {
          clearTimeout(timer);
          signal(-child.pid, "SIGKILL"); // leftovers it put in the background
          this.running.delete(script);
          const err = (await new Response(child.stderr).text()).trim().split("\n").at(-1)?.slice(0, 200);
          if (child.signalCode)
            this.log.warn(`events.d: ${script} killed after ${SCRIPT_TIMEOUT_MS / 1000} s`);
          else if (code !== 0) this.log.warn(`events.d: ${script} exited ${code}${err ? `: ${err}` : ""}`);
        })
        .catch((err) =>
          this.log.warn(`events.d: ${script}: ${err instanceof Error ? err.message : String(err)}`),
        );
    } catch (err) {
      this.running.delete(script);
      this.log.warn(`events.d: cannot run ${script}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // At most one mail per MAIL_INTERVAL; the next one says how many events
  // were held back, so a flapping line cannot flood the admin's inbox.
  private mail(e: MwanEvent, now: number): void {
    if (now - this.lastMail < this.settings.MAIL_INTERVAL * 1000) {
      this.suppressed++;
      return;
    }
    const source = "/var/ipfire/dma/mail.conf";
    const text = readTextIfExists(this.paths.dmaMailConf, source) ?? "";
    const dma = toRecord(parseSettings(text, source, { ipfire: true }));
    const to = this.settings.MAIL_TO ?? dma.RECIPIENT;
    if (!to) {
      this.log.warn("mail: no recipient (set MAIL_TO or configure mail in IPFire's web interface)");
      return;
    }
    // mail.conf is the web interface's (nobody's): no line breaks into headers.
    const from = header(dma.SENDER || `mwan@${hostname()}`);
    const held =
      this.suppressed > 0 ? `\n\n${this.suppressed} earlier event(s) were not mailed (rate limit).` : "";
    const body = [
      `From: ${from}`,
      `To: ${header(to)}`,
      `Subject: [mwan] ${e.event} on ${hostname()}: RED on ${e.active}`,
      "",
      `${new Date(now).toISOString()} ${e.message}${held}`,
      "",
    ].join("\n");
    this.lastMail = now;
    this.suppressed = 0;
    try {
      const child = Bun.spawn([this.paths.sendmail, "-t"], {
        stdin: new Blob([body]),
        stdout: "ignore",
        stderr: "ignore",
        timeout: SCRIPT_TIMEOUT_MS,
        killSignal: "SIGKILL",
      });
      void child.exited
        .then((code) => {
          if (code !== 0) this.log.warn(`mail: sendmail exited ${code}`);
        })
        .catch(() => this.log.warn("mail: sendmail did not run"));
    } catch (err) {
      this.log.warn(`mail: cannot run sendmail: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function header(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, " ");
}
