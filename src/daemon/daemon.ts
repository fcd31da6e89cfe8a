// The daemon: the imperative shell around the pure engine. It reads RED's
// facts, runs the probe rounds the engine asks for, carries out its switches,
// and feeds every outcome back as an event. One instance (the pid file), and
// nothing half done on the way out.

import { decide, initialState } from "../core/engine/decide.ts";
import type { Action, Command, Event, State } from "../core/engine/types.ts";
import type { SwitchOutcome } from "../core/events.ts";
import type { LinkFacts as EngineFacts } from "../core/health/link.ts";
import { ConfigError, EXIT } from "../core/errors.ts";
import { printable } from "../core/text/printable.ts";
import { ipfireSystem } from "../adapters/ipfire-system.ts";
import { ensureDir, readTextIfExists, removeFile, writeFileAtomic } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";
import { LinkReader } from "../adapters/probe/link.ts";
import { systemProber } from "../adapters/probe/prober.ts";
import { RoundRunner } from "../adapters/probe/round.ts";
import type { LinkFacts } from "../adapters/probe/types.ts";
import { cleanupSideLinks, openSideLink, type SideDeps } from "../adapters/side/index.ts";
import { activeProfile } from "../adapters/store.ts";
import { acquireFileLock } from "../switching/lock.ts";
import { realClock } from "../switching/red-ops.ts";
import { recoverInterrupted } from "../switching/recover.ts";
import { appendHistory, readHold, writeHold } from "../switching/state.ts";
import type { SwitchDeps } from "../switching/switch-deps.ts";
import { ASKED_NO_ROLLBACK, switchRed } from "../switching/switch-red.ts";
import { type DaemonConfig, loadDaemonConfig, problemsOf } from "./config.ts";
import { describeCommand, type SentCommand } from "./commands.ts";
import { startControlSocket } from "./control-socket.ts";
import { EventSink } from "./events.ts";
import { engineFacts, sameFacts } from "./link-facts.ts";
import { daemonLogger } from "./logger.ts";
import { ProbeScheduler } from "./probing.ts";
import { bounded, SideWatcher } from "./side-watch.ts";
import { StandbyWatch } from "./standby.ts";
import { gatherStatus } from "./status-model.ts";
import { type Reload, snapshot, type StatusSnapshot } from "./status.ts";

const TICK_MS = 200; // the engine wants a tick at least every 250 ms
const STATUS_MS = 2000;

const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP", "SIGUSR1", "SIGUSR2"] as const;
type Signal = (typeof SIGNALS)[number];

export async function runDaemon(paths: Paths, foreground: boolean): Promise<number> {
  // Until the daemon is up (recovering an interrupted switch can take a
  // minute), signals are noted, never fatal: SIGHUP's and SIGUSR's default
  // would kill it mid-switch, and SIGTERM waits for the recovery to finish.
  const early = new Set<Signal>();
  const note = (sig: Signal) => () => early.add(sig);
  for (const sig of SIGNALS) process.on(sig, note(sig));
  // Until it runs, why it does not goes to its stderr in mwan's words (a
  // terminal, or nowhere under `daemon start`, which reads the log).
  let log = daemonLogger(paths, "info", false);
  let cfg: DaemonConfig;
  try {
    cfg = loadDaemonConfig(paths);
  } catch (err) {
    // A line per problem: `daemon start` prints them as they are logged,
    // `daemon run` on its stderr.
    for (const problem of problemsOf(err)) {
      log.error(`not started: ${problem}`);
      process.stderr.write(`mwan: ${printable(problem)}
`);
    }
    return err instanceof ConfigError ? EXIT.config : EXIT.failure;
  }
  // Taken only with a usable configuration, so `daemon start` never reports
  // a daemon that is about to exit.
  // Logged as well as thrown: `daemon start` reads why from the log (control.ts).
  let pidLock: ReturnType<typeof acquireFileLock>;
  try {
    pidLock = acquireFileLock(
      paths,
      paths.pidFile,
      (pid) => `the mwan daemon is already running (pid ${pid})`,
      0o755, // /var/run
    );
  } catch (err) {
    log.error(`not started: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
  log = daemonLogger(paths, cfg.settings.LOG_LEVEL, foreground);
  const startedAt = Date.now();
  log.info(
    `started (pid ${process.pid}); primary ${cfg.primary}, ${cfg.engineProfiles.length - 1} backup(s)`,
  );

  const limits = () => ({
    downMs: cfg.settings.SWITCH_DOWN_TIMEOUT * 1000,
    upMs: cfg.settings.SWITCH_UP_TIMEOUT * 1000,
  });
  const deps: SwitchDeps = {
    paths,
    sys: ipfireSystem(paths),
    clock: realClock,
    onStep: (s) =>
      log.info(
        `  ${s.ok ? "ok" : "FAILED"} ${(s.ms / 1000).toFixed(2)} s ${s.name}${s.detail ? ` (${s.detail})` : ""}`,
      ),
  };
  // A switch a previous run did not live to finish is completed or undone
  // before anything else looks at RED.
  try {
    const r = await recoverInterrupted(deps, limits());
    if (r) log.warn(`interrupted switch ${r.outcome}: RED is on ${r.profile ?? "its previous settings"}`);
  } catch (err) {
    log.error(`recovery failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  const events = new EventSink(paths, log, cfg.settings);
  const runner = new RoundRunner(systemProber(), {
    defaultTimeoutMs: cfg.engine.probeTimeoutMs,
    graceMs: 500,
  });
  const link = new LinkReader(paths.root);
  let facts: LinkFacts | null = null;
  let lastEngineFacts: EngineFacts | null = null;
  let inFlight: Promise<void> | null = null;
  let stopping = false;
  let dirty = true;
  let runDirMade = false;
  let lastCommand: StatusSnapshot["lastCommand"] = null;
  let probeProblem: string | null = null;
  let lastReload: Reload | null = null;

  const startState = (active: string, previous?: State): State => {
    const s = initialState({
      profiles: cfg.engineProfiles,
      active,
      now: Date.now(),
      config: cfg.engine,
    });
    if (!previous) return s;
    // A reload changes the configuration, not RED: "since" stays the switch's.
    const since = previous.active === active ? { activeSince: previous.activeSince } : {};
    return { ...s, ...since, history: previous.history, hold: previous.hold };
  };
  const known = (name: string | undefined) => name !== undefined && Object.hasOwn(cfg.profiles, name);
  const recorded = activeProfile(paths);
  let state = startState(known(recorded) ? (recorded as string) : cfg.primary);
  // The admin's hold outlives the daemon (state/hold) until mwan resume.
  let heldOnDisk = false;
  try {
    heldOnDisk = readHold(paths) !== undefined;
  } catch (err) {
    // Not a file mwan can read: failover must not stop for it.
    log.warn(`${err instanceof Error ? err.message : String(err)}; not held`);
  }
  if (heldOnDisk) {
    state = { ...state, hold: true, reason: "held by the admin" };
    log.info(`held on ${state.active} by the admin (mwan resume lets mwan switch again)`);
  }

  const scheduler = new ProbeScheduler({
    runner,
    pingPath: "/bin/ping",
    facts: () => facts,
    targets: (profile) => cfg.targets(profile),
    onRound: (r) => dispatch({ type: "probeRound", ...r }),
    onProbeProblem: (problem) => {
      // Said once per change, not every round: restarts come once a second.
      if (problem === probeProblem) return;
      if (problem) log.warn(`probes cannot run: ${problem}; ${state.active}'s health cannot be proven`);
      else log.info("probes run again");
      probeProblem = problem;
      dirty = true;
    },
  });
  const standby = new StandbyWatch(paths, deps.sys, log, () => cfg.profiles);
  const sideDeps: SideDeps = { paths, log: (line) => log.debug(`side: ${line}`) };
  // What a killed daemon left on the standby NICs goes first (bounded: the
  // side watch is optional and must not hold failover up).
  await sideCleanup(sideDeps, (m) => log.warn(m));
  const side = new SideWatcher({
    nicOf: (name) => {
      const ifname = standby.nicOf(name);
      return ifname ? { ifname } : { missing: `no NIC found for ${name}` };
    },
    nicUp: (ifname) => standby.isUp(ifname),
    open: (name, ifname) => {
      const p = cfg.profiles[name];
      return p ? openSideLink(sideDeps, name, p, ifname) : { unavailable: `no profile ${name}` };
    },
    probes: (name, via, onRound) => {
      const own = new RoundRunner(systemProber(), {
        defaultTimeoutMs: cfg.engine.side.timeoutMs,
        graceMs: 500,
      });
      let said: string | null = null;
      const probes = new ProbeScheduler({
        runner: own,
        pingPath: "/bin/ping",
        facts: via,
        targets: (profile) => cfg.targets(profile),
        onRound,
        // Failed rounds tell the engine; the log says why, once per change.
        onProbeProblem: (problem) => {
          if (problem !== null && problem !== said) log.warn(`${name}: side probes cannot run: ${problem}`);
          said = problem;
        },
      });
      return {
        update: (plan) => probes.update(plan),
        tick: (now) => probes.tick(now),
        close: async () => {
          probes.stop();
          await own.close();
        },
      };
    },
    report: (event) => {
      if (!stopping || event.type === "sideStatus") dispatch(event);
    },
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m), debug: (m) => log.debug(m) },
  });

  function dispatch(event: Event): Action[] {
    const d = decide(state, event, Date.now());
    state = d.state;
    for (const action of d.actions) {
      try {
        perform(action);
      } catch (err) {
        // Never reached by design (carryOut catches, notices are guarded);
        // if it is, the engine must not wait for a switch that never began.
        log.error(`${action.type}: ${err instanceof Error ? err.message : String(err)}`);
        if ((action.type === "switch" || action.type === "failback") && inFlight === null)
          dispatch({
            type: "switchDone",
            to: action.to,
            ok: false,
            reason: "the switch could not be started",
          });
      }
    }
    scheduler.update(state.probe);
    side.update(state.sidePlan);
    dirty = true;
    if (state.hold !== heldOnDisk) persistHold();
    // `mwan status` must not name the old profile after a switch.
    if (event.type === "switchDone" || d.actions.some((a) => a.type === "switch" || a.type === "failback")) {
      writeStatus();
    }
    return d.actions;
  }

  function perform(a: Action): void {
    switch (a.type) {
      case "switch":
      case "failback": {
        const kind = a.type === "failback" ? "failback" : a.kind;
        const reason = a.reason.startsWith(`${kind}:`) ? a.reason : `${kind}: ${a.reason}`;
        // Scripts and mail hear of it once it has succeeded or failed.
        const event = a.type === "failback" ? "failback" : "failover";
        const told = { event, kind, from: a.from, reason: a.reason } as const;
        inFlight = carryOut(a.to, reason, a.type === "switch" && a.rollback, told);
        return;
      }
      case "notify":
        (a.severity === "info" ? log.info : a.severity === "warning" ? log.warn : log.error)(a.message);
        // Scripts and mail hear of switches and outages, not of every notice.
        if (a.severity === "critical") notify(() => events.outage(state.active, a.message, Date.now()));
        return;
      case "log":
        (a.level === "debug" ? log.debug : a.level === "info" ? log.info : log.warn)(a.message);
        return;
    }
  }

  function persistHold(): void {
    try {
      writeHold(paths, state.hold ? { since: Date.now() } : undefined);
      heldOnDisk = state.hold;
    } catch (err) {
      log.warn(`the hold is not kept across a restart: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  function notify(tell: () => void): void {
    try {
      tell();
    } catch (err) {
      log.warn(`events: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function carryOut(
    to: string,
    reason: string,
    rollback: boolean,
    told: Omit<SwitchOutcome, "to" | "active" | "error">,
  ): Promise<void> {
    let done: Event;
    try {
      // The side link first (a DHCP side client must be gone before IPFire's
      // starts), then the NIC goes down as IPFire left it.
      await side.release(to);
      standby.release(to);
      // The engine decides where to go after a failure of its own switches,
      // so only an operator's switch rolls back: going back to a dead
      // profile would only cost time.
      const r = await switchRed(deps, {
        to,
        reason,
        rollback,
        ...(told.kind === "operator" && !rollback ? { leftNote: ASKED_NO_ROLLBACK } : {}),
        ...limits(),
      });
      done = r.ok
        ? { type: "switchDone", to, ok: true }
        : {
            type: "switchDone",
            to,
            ok: false,
            reason: r.reason,
            ...(r.profile ? { active: r.profile } : {}),
          };
    } catch (err) {
      // Refused before it began (the profile's NIC is absent, IPFire's
      // files cannot be read): recorded, so `mwan status` and the operator
      // waiting on `mwan switch` see why.
      const why = err instanceof Error ? err.message : String(err);
      try {
        appendHistory(paths, {
          at: Date.now(),
          from: state.inFlight?.from,
          to,
          ok: false,
          reason,
          result: `refused: ${why}`,
          ms: 0,
        });
      } catch (e) {
        log.warn(e instanceof Error ? e.message : String(e));
      }
      let active: string | undefined;
      try {
        active = activeProfile(paths);
      } catch {
        active = undefined; // settings unreadable: the engine keeps the target
      }
      done = {
        type: "switchDone",
        to,
        ok: false,
        reason: why,
        ...(active && active !== to ? { active } : {}),
      };
    }
    // Told before the engine hears of it, so an outage it then declares
    // reaches the scripts after the switch that led to it.
    const outcome = { ...told, to, active: done.ok ? to : (done.active ?? to) };
    notify(() => events.switched(done.ok ? outcome : { ...outcome, error: done.reason }, Date.now()));
    inFlight = null;
    lastEngineFacts = null; // the engine wants fresh facts after every switch
    dispatch(done);
    pollFacts(true);
  }

  // `fresh`: read red/ now, not when its next read is due (link.ts).
  function pollFacts(fresh = false): void {
    facts = link.read(Date.now(), fresh);
    const f = engineFacts(facts);
    if (sameFacts(lastEngineFacts, f)) return;
    lastEngineFacts = f;
    dispatch({ type: "link", profile: state.active, facts: f });
  }

  function writeStatus(): void {
    if (!dirty) return;
    dirty = false;
    try {
      // Made once, and again after a failed write (someone removed it).
      if (!runDirMade) ensureDir(paths.runMwan, 0o755, "/var/run/mwan");
      runDirMade = true;
      const daemon = {
        pid: process.pid,
        startedAt,
        primary: cfg.primary,
        lastCommand,
        probeProblem,
        lastReload,
      };
      const snap = snapshot(state, Date.now(), daemon, facts);
      writeFileAtomic(paths.statusFile, JSON.stringify(snap), {
        display: "/var/run/mwan/status.json",
        mode: 0o644,
        durable: false, // tmpfs, rewritten every 2 s: an fsync buys nothing
      });
    } catch (err) {
      runDirMade = false;
      log.warn(err instanceof Error ? err.message : String(err));
    }
  }

  // SIGHUP: a broken file is reported and the configuration in force stays.
  function reload(): void {
    if (inFlight) {
      void inFlight.then(reload);
      return;
    }
    const before = cfg;
    try {
      cfg = loadDaemonConfig(paths);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      log.error(`configuration not reloaded, the previous one stays in force: ${why}`);
      reloaded(why, problemsOf(err));
      return;
    }
    log = daemonLogger(paths, cfg.settings.LOG_LEVEL, foreground);
    events.configure(cfg.settings, log);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    side.reconfigured(
      (name) =>
        !same(before.profiles[name], cfg.profiles[name]) || !same(before.targets(name), cfg.targets(name)),
    );
    state = startState(known(state.active) ? state.active : cfg.primary, state);
    lastEngineFacts = null;
    scheduler.update(null);
    log.info(`configuration reloaded: primary ${cfg.primary}, ${cfg.engineProfiles.length - 1} backup(s)`);
    reloaded(null);
  }

  // The command that sent SIGHUP waits for this (commands/_reload.ts).
  function reloaded(error: string | null, problems: string[] = []): void {
    lastReload = { at: Date.now(), error, problems };
    dirty = true;
    writeStatus();
  }

  // An operator's `mwan switch`/`failback` while the daemon runs: it goes
  // through the engine, which owns RED as long as the daemon runs.
  function takeCommand(): void {
    const text = readTextIfExists(paths.commandFile);
    if (text === undefined) return;
    removeFile(paths.commandFile);
    let sent: SentCommand;
    try {
      sent = JSON.parse(text) as SentCommand;
    } catch {
      log.warn("ignored an unreadable admin command");
      return;
    }
    const { id, ...command } = sent;
    const { switched, refused } = obey(command as Command);
    lastCommand = typeof id === "string" ? { id, switched, refused } : null;
    // The command waits for this: `mwan status` shows its effect at once.
    dirty = true;
    writeStatus();
  }

  // An admin's command, from the CLI or the web page: whether it began a
  // switch, or why the engine refused it.
  function obey(command: Command): { switched: boolean; refused: string | null } {
    log.info(describeCommand(command, state.active, cfg.primary));
    const before = state.inFlight;
    const actions = dispatch({ type: "command", command });
    // After the dispatch (whose own status write must not answer yet): a
    // switch it began may be over before the command reads the answer.
    const switched = state.inFlight !== null && state.inFlight !== before;
    const refusal = actions.find((a) => a.type === "log" && a.refused);
    return { switched, refused: refusal?.type === "log" ? refusal.message : null };
  }

  const ticker = setInterval(() => {
    pollFacts();
    scheduler.tick(Date.now());
    side.tick(Date.now());
    dispatch({ type: "tick" });
    standby.poll(state, (profile, carrier) => dispatch({ type: "standbyCarrier", profile, carrier }));
  }, TICK_MS);
  const publisher = setInterval(writeStatus, STATUS_MS);

  const finished = new Promise<number>((resolve) => {
    const stop = async (sig: string) => {
      if (stopping) return;
      stopping = true;
      control?.close();
      log.info(`${sig}: stopping${inFlight ? " after the switch in progress" : ""}`);
      dispatch({ type: "shutdown" });
      clearInterval(ticker);
      scheduler.stop();
      // Never leave a switch half done: wait for it (bounded by its timeouts).
      if (inFlight) await inFlight;
      await events.settle();
      await side.stopAll();
      standby.releaseAll();
      await runner.close();
      dirty = true;
      writeStatus();
      clearInterval(publisher);
      removeFile(paths.statusFile);
      log.info("stopped");
      resolve(EXIT.ok);
    };
    const handlers: Record<Signal, () => void> = {
      SIGTERM: () => void stop("SIGTERM"),
      SIGINT: () => void stop("SIGINT"),
      SIGHUP: () => reload(),
      SIGUSR1: () => {
        log.debug("SIGUSR1: a RED hook ran; reading RED's facts");
        pollFacts(true);
      },
      SIGUSR2: () => takeCommand(),
    };
    for (const sig of SIGNALS) {
      process.removeAllListeners(sig);
      process.on(sig, handlers[sig]);
    }
  });

  pollFacts(true);
  takeCommand();
  writeStatus(); // `mwan status` right after `daemon start` sees the daemon's own view
  // The web page's way in (after writeStatus has made /var/run/mwan).
  const control = startControlSocket(paths, log, {
    status: () => gatherStatus(paths, { enabled: cfg.settings.ENABLED === "on", primary: cfg.primary }),
    profiles: () => Object.keys(cfg.profiles),
    command: (command) => {
      const r = obey(command);
      dirty = true;
      writeStatus();
      return r;
    },
  });
  if (early.has("SIGHUP")) reload();
  const stopSignal = (["SIGTERM", "SIGINT"] as const).find((sig) => early.has(sig));
  if (stopSignal) process.emit(stopSignal);
  const code = await finished;
  pidLock.release();
  return code;
}

async function sideCleanup(deps: SideDeps, warn: (m: string) => void): Promise<void> {
  try {
    await bounded(cleanupSideLinks(deps), 15_000);
  } catch (err) {
    warn(
      `side watch: a previous run's side paths not cleaned up: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
