// Telling the admin: executables in /var/ipfire/mwan/events.d/ run on every
// switch (once its outcome is known) and on every outage, with the event in
// environment variables, and optionally an e-mail through IPFire's dma.
// Each script, and the mail, gets every event in order: one still busy with
// an event makes the next wait for it (EventQueue), without holding up the
// other scripts, and nothing here is awaited by the daemon: a switch never
// waits for a script. Whatever goes wrong is logged and nothing more.

import type { ConsolaInstance } from "consola/core";
import { failureEvent, type MwanEvent, type SwitchOutcome, switchEvent } from "../core/events.ts";
import type { Settings } from "../core/schema/settings.ts";
import type { Paths } from "../adapters/paths.ts";
import { runOutcome } from "../adapters/bounded-run.ts";
import { eventScripts, runEventScript, type Skipped, trusted } from "../adapters/event-scripts.ts";
import { mailProblems, sendEventMail } from "../adapters/mail.ts";
import { NOT_EXECUTABLE } from "../adapters/trust.ts";
import { EventQueue, QUEUE_LIMIT } from "./event-queue.ts";

interface Mail {
  event: MwanEvent;
  held: number; // events not mailed since the last mail (the rate limit)
}

// How long a stopping daemon gives the events still on their way.
const SETTLE_MS = 2000;

export class EventSink {
  private readonly scripts = new Map<string, EventQueue<MwanEvent>>();
  private mailQueue: EventQueue<Mail> | undefined;
  private inbox: MwanEvent[] = [];
  private seq = 0;
  private lastMail = Number.NEGATIVE_INFINITY;
  private suppressed = 0;
  private readonly stopping = new AbortController();

  constructor(
    private readonly paths: Paths,
    private log: ConsolaInstance,
    private settings: Settings,
  ) {
    this.checkMail();
  }

  // A reload: new settings, and a logger at their LOG_LEVEL.
  configure(settings: Settings, log: ConsolaInstance): void {
    this.settings = settings;
    this.log = log;
    this.checkMail();
  }

  switched(s: SwitchOutcome, now: number): void {
    this.emit(switchEvent(s, ++this.seq, now));
  }

  outage(active: string, reason: string, now: number): void {
    this.emit(failureEvent(active, reason, ++this.seq, now));
  }

  // Waits up to SETTLE_MS for the events on their way; then what still runs
  // is killed (nothing of mwan's outlives the daemon) and the events not
  // delivered are counted in the log.
  async settle(): Promise<void> {
    const end = performance.now() + SETTLE_MS;
    while (this.pending() > 0 && performance.now() < end) await Bun.sleep(50);
    const left = this.pending();
    if (left === 0) return;
    this.log.warn(`events: stopping with ${left} event(s) not delivered; what runs for them is killed`);
    for (const q of this.scripts.values()) q.clear();
    this.mailQueue?.clear();
    this.stopping.abort();
    while (this.pending() > 0 && performance.now() < end + SETTLE_MS) await Bun.sleep(20);
  }

  private pending(): number {
    let n = this.inbox.length + (this.mailQueue?.size ?? 0);
    for (const q of this.scripts.values()) n += q.size;
    return n;
  }

  // Only noted here: the scripts are looked up and started after the
  // daemon's current step (which may be starting the next switch) is done.
  private emit(e: MwanEvent): void {
    this.inbox.push(e);
    if (this.inbox.length === 1) setImmediate(() => this.distribute());
  }

  private distribute(): void {
    const events = this.inbox;
    this.inbox = [];
    let scripts: string[] = [];
    this.guard("events.d", () => {
      scripts = eventScripts(this.paths, this.skipped);
    });
    for (const e of events) {
      for (const script of scripts) this.guard("events.d", () => this.scriptQueue(script).push(e));
      if (this.settings.MAIL === "on") this.guard("mail", () => this.mail(e));
    }
  }

  private guard(what: string, part: () => void): void {
    try {
      part();
    } catch (err) {
      this.log.warn(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // A file without an x bit may be a script the admin turned off: said once
  // per daemon, not at every event.
  private readonly notExecutable = new Set<string>();
  private readonly skipped = (s: Skipped) => {
    if (s.reason === NOT_EXECUTABLE) {
      if (this.notExecutable.has(s.path)) return;
      this.notExecutable.add(s.path);
    }
    this.log.warn(`events.d: ${s.path} not run: ${s.reason}`);
  };

  private scriptQueue(script: string): EventQueue<MwanEvent> {
    let q = this.scripts.get(script);
    if (!q) {
      q = new EventQueue<MwanEvent>(
        (e) => this.runScript(script, e),
        (e) => this.log.warn(`events.d: ${script}: ${dropped(e)}`),
        () => this.scripts.delete(script),
      );
      this.scripts.set(script, q);
    }
    return q;
  }

  private async runScript(script: string, e: MwanEvent): Promise<void> {
    if (!trusted(script, this.skipped)) return;
    try {
      const r = await runEventScript(script, e, this.stopping.signal);
      if (r.code !== 0) this.log.warn(`events.d: ${script} ${runOutcome(r)}`);
      else this.log.debug(`events.d: ${script} took ${e.event} #${e.seq} in ${(r.ms / 1000).toFixed(2)} s`);
    } catch (err) {
      this.log.warn(`events.d: cannot run ${script}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // At most one mail per MAIL_INTERVAL; the next one says how many events
  // were held back, so a flapping line cannot flood the admin's inbox.
  private mail(e: MwanEvent): void {
    if (e.at - this.lastMail < this.settings.MAIL_INTERVAL * 1000) {
      this.suppressed++;
      return;
    }
    this.lastMail = e.at;
    const held = this.suppressed;
    this.suppressed = 0;
    this.mailQueue ??= new EventQueue<Mail>(
      (m) => this.sendMail(m),
      (m) => this.log.warn(`mail: ${dropped(m.event)}`),
      () => {
        this.mailQueue = undefined;
      },
    );
    this.mailQueue.push({ event: e, held });
  }

  private async sendMail(m: Mail): Promise<void> {
    try {
      const { run } = await sendEventMail(this.paths, this.settings, m.event, m.held, this.stopping.signal);
      if (run.code !== 0) this.log.warn(`mail: sendmail ${runOutcome(run)}`);
    } catch (err) {
      this.log.warn(`mail: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // Said when the daemon starts and on every reload, not only when the first
  // mail would go out.
  private checkMail(): void {
    for (const p of mailProblems(this.paths, this.settings)) this.log.warn(`mail: ${p}`);
  }
}

function dropped(e: MwanEvent): string {
  return `${QUEUE_LIMIT} events waiting; dropped the oldest, ${e.event} #${e.seq} of ${new Date(e.at).toISOString()}`;
}
