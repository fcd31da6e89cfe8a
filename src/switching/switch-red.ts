// Moves IPFire's RED from the profile it is on to another (contract Appendix):
// lock, refuse during shutdown, journal, stop connectd, `network stop red` with
// the old settings, rewrite the settings, `network start red`, wait for RED.
// If the new profile does not come up, RED goes back to where it was.

import { MwanError } from "../core/errors.ts";
import { findDevice, type KnownNic, rememberNics } from "../core/switch/device.ts";
import type { Journal } from "../core/switch/journal.ts";
import {
  applyRedKeys,
  describeChanges,
  iptvLink,
  type KeyChange,
  primaryTarget,
} from "../core/switch/plan.ts";
import type { RedSnapshot } from "../core/switch/red-files.ts";
import { redIface, redKeys } from "../core/switch/red-keys.ts";
import { toRecord, parseSettings } from "../core/settings/codec.ts";
import type { Settings } from "../core/schema/settings.ts";
import type { IpfireSystem } from "../adapters/ipfire-system.ts";
import type { Paths } from "../adapters/paths.ts";
import { activeProfile, loadProfile, loadSettings } from "../adapters/store.ts";
import { acquireLock } from "./lock.ts";
import {
  awaitNetworkRuns,
  type Clock,
  type OpResult,
  refuseDuringShutdown,
  startRed,
  stopConnectd,
  stopRed,
} from "./red-ops.ts";
import { recoverInterrupted } from "./recover.ts";
import {
  appendHistory,
  clearJournal,
  readNicRecords,
  readPrimarySnapshot,
  savePrimarySnapshot,
  setActive,
  writeJournal,
  writeNicRecords,
} from "./state.ts";

import type { Step, SwitchDeps } from "./switch-deps.ts";

// The leftNote of a switch the admin asked for with --no-rollback.
export const ASKED_NO_ROLLBACK = "as asked with --no-rollback";

export interface SwitchRequest {
  to: string;
  reason: string;
  rollback: boolean;
  // Said after "RED left on TO" when it does not come up without rollback:
  // the admin's own --no-rollback; none for the daemon's own switches,
  // whose engine goes on to the next profile.
  leftNote?: string;
  downMs: number;
  upMs: number;
}

export interface SwitchPlan {
  from: string | undefined;
  to: string;
  changes: KeyChange[];
  commands: string[];
  unchanged: boolean;
}

export type SwitchOutcome =
  | { ok: true; profile: string; changed: boolean }
  | { ok: false; reason: string; profile: string | undefined };

interface Prepared {
  plan: SwitchPlan;
  original: RedSnapshot;
  target: RedSnapshot;
  iface: string;
  isPrimary: boolean;
  fromIsPrimary: boolean;
  // The NICs known by name this boot, the ones of this switch included.
  nics: KnownNic[];
}

// RED_DEV and RED_MACADDR as ethernet/settings pairs them.
function redNic(files: RedSnapshot): KnownNic | undefined {
  const e = toRecord(parseSettings(files.ethernet ?? "", "/var/ipfire/ethernet/settings", { ipfire: true }));
  const mac = e.RED_MACADDR?.toLowerCase();
  return e.RED_DEV && mac && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac)
    ? { ifname: e.RED_DEV, mac }
    : undefined;
}

// The names NICs known only by their address have this boot: mwan's records
// and the pair ethernet/settings holds for RED (core/switch/device.ts).
export function knownNics(paths: Paths, original: RedSnapshot): KnownNic[] {
  const current = redNic(original);
  return rememberNics(readNicRecords(paths), current ? [current] : []);
}

// Everything decided before anything is touched: a profile that is invalid or
// whose device is absent is refused here, with RED still up.
// `settings`: a dry run's, read leniently so that it shows the plan in spite
// of a damaged file; a switch reads them strictly.
export function prepareSwitch(
  deps: SwitchDeps,
  to: string,
  settings: Settings = loadSettings(deps.paths),
): Prepared {
  const { paths, sys } = deps;
  const profile = loadProfile(paths, to);
  const from = activeProfile(paths);
  const original = sys.readRedFiles();
  const known = knownNics(paths, original);
  const nics = sys.interfaces();
  const lookup = findDevice(profile, nics, known);
  const stays = `RED stays on ${from ?? "its current settings"}`;
  if (!lookup.ok) throw new MwanError(`profiles/${to}: ${lookup.reason}; ${stays}`);
  // IPFire's QMI start talks to the modem through its control channel and
  // checks nothing (red 227-249): without one RED would go down for good.
  const wdm = nics.find((n) => n.ifname === lookup.device.ifname)?.wdm;
  if (profile.TYPE === "QMI" && (wdm === undefined || !sys.controlChannel(wdm)))
    throw new MwanError(
      `profiles/${to}: the modem ${lookup.device.ifname} has no control channel${wdm === undefined ? "" : ` (/dev/cdc-wdm${wdm} is missing)`}; ${stays}`,
    );
  const gui =
    "PPP_PROFILE" in profile && profile.PPP_PROFILE ? sys.guiProfile(profile.PPP_PROFILE) : undefined;
  const keys = redKeys(profile, lookup.device, gui);
  let target: RedSnapshot = applyRedKeys(original, keys);
  const snapshot = to === settings.PRIMARY ? readPrimarySnapshot(paths) : undefined;
  if (snapshot) target = primaryTarget(original, snapshot, keys);
  const changes = describeChanges(original, target);
  const onIt = from === to && sys.redState().active && changes.length === 0;
  return {
    plan: {
      from,
      to,
      changes,
      commands: onIt
        ? []
        : [
            "stop connectd",
            "/etc/rc.d/init.d/network stop red",
            "write the settings",
            "/etc/rc.d/init.d/network start red",
          ],
      unchanged: onIt,
    },
    original,
    target,
    iface: redIface(profile, lookup.device),
    isPrimary: to === settings.PRIMARY,
    fromIsPrimary: from !== undefined && from === settings.PRIMARY,
    nics: rememberNics(known, [{ ifname: lookup.device.ifname, mac: lookup.device.mac }]),
  };
}

export async function switchRed(deps: SwitchDeps, req: SwitchRequest): Promise<SwitchOutcome> {
  const { paths, sys, clock } = deps;
  refuseDuringShutdown(sys);
  await recoverInterrupted(deps, req);
  // Refused here, with RED untouched, if the profile is invalid or its NIC absent.
  if (prepareSwitch(deps, req.to).plan.unchanged) return { ok: true, profile: req.to, changed: false };

  const lock = acquireLock(paths);
  const began = clock.now();
  try {
    refuseDuringShutdown(sys); // again: shutdown may have begun while we prepared
    await quiesce(deps, req.upMs);
    // Read again now that nothing else writes them: connectd may have copied
    // another PPP profile over ppp/settings, a network run changed RED.
    const prepared = prepareSwitch(deps, req.to);
    const { plan } = prepared;
    if (prepared.fromIsPrimary) savePrimarySnapshot(paths, prepared.original);
    // Before RED moves: the NIC it leaves may get IPFire's spoofed MAC next.
    writeNicRecords(paths, prepared.nics);
    const journal: Journal = {
      version: 1,
      from: plan.from,
      to: req.to,
      reason: req.reason,
      startedAt: began,
      phase: "begun",
      original: prepared.original,
      target: prepared.target,
      children: [],
    };
    writeJournal(paths, journal);
    const track = (pid: number) => {
      journal.children.push(pid);
      writeJournal(paths, journal);
    };
    const oldDev = redDev(prepared.original);

    const down = await step(deps, "network stop red", () => stopRed(sys, clock, oldDev, req.downMs, track));
    if (!down.ok) return await restore(deps, req, journal, down.reason, began);
    await endIptv(deps, prepared.original);

    journal.phase = "writing";
    writeJournal(paths, journal);
    await step(deps, "write settings", async () => {
      sys.writeRedFiles(prepared.target);
      return { ok: true, detail: `${plan.changes.length} key(s) changed` };
    });
    journal.phase = "written";
    writeJournal(paths, journal);

    const up = await step(deps, "network start red", () =>
      startRed(sys, clock, prepared.iface, req.upMs, track),
    );
    if (up.ok) {
      finish(deps, journal, req.to, true, `on ${req.to}`, began);
      return { ok: true, profile: req.to, changed: true };
    }
    if (!req.rollback) {
      finish(deps, journal, req.to, false, up.reason, began);
      return {
        ok: false,
        reason: `${req.to}: ${up.reason}; RED left on ${req.to}${req.leftNote ? ` (${req.leftNote})` : ""}`,
        profile: req.to,
      };
    }
    return await restore(deps, req, journal, `${req.to}: ${up.reason}`, began);
  } finally {
    lock.release();
  }
}

// Puts RED back on the profile the switch started from, byte for byte.
async function restore(
  deps: SwitchDeps,
  req: SwitchRequest,
  journal: Journal,
  reason: string,
  began: number,
): Promise<SwitchOutcome> {
  const { sys, clock, paths } = deps;
  const track = (pid: number) => {
    journal.children.push(pid);
    writeJournal(paths, journal);
  };
  // The failed start may have left IPFire's own runs going: connectd's restart
  // after its HOLDOFF, `connectd reconnect`'s `network restart red`.
  await quiesce(deps, req.upMs);
  const failed = sys.readRedFiles();
  await step(deps, "network stop red", () => stopRed(sys, clock, redDev(failed), req.downMs, track));
  await endIptv(deps, failed);
  journal.phase = "writing"; // from here on, recovery restores the original
  writeJournal(paths, journal);
  await step(deps, "restore settings", async () => {
    sys.writeRedFiles(journal.original);
    return { ok: true };
  });
  const back = await step(deps, "network start red", () => startRed(sys, clock, undefined, req.upMs, track));
  const where = journal.from ?? "its previous settings";
  const result = back.ok
    ? `back on ${where}`
    : `back on ${where}, which did not come up either (${back.reason})`;
  finish(deps, journal, journal.from, false, `${reason}; ${result}`, began);
  return { ok: false, reason: `${reason}; ${result}`, profile: journal.from };
}

// Nothing of IPFire's may run `network` beside mwan's own runs (contract §0.9):
// connectd is stopped, and a run it, rc or redctrl started is waited for.
async function quiesce(deps: SwitchDeps, ms: number): Promise<void> {
  const { sys, clock } = deps;
  await step(deps, "stop connectd", () => stopConnectd(sys, clock));
  if (sys.networkRuns().length > 0) {
    await step(deps, "wait for IPFire's network run", () => awaitNetworkRuns(sys, clock, ms));
  }
}

function finish(
  deps: SwitchDeps,
  journal: Journal,
  profile: string | undefined,
  ok: boolean,
  result: string,
  began: number,
): void {
  const { paths, clock } = deps;
  // state/active before the journal goes: a crash in between replays the same outcome.
  if (profile) setActive(paths, profile);
  clearJournal(paths);
  appendHistory(paths, {
    at: began,
    from: journal.from,
    to: journal.to,
    ok,
    reason: journal.reason,
    result,
    ms: clock.now() - began,
  });
}

// What `red stop` left of the IPTV of the RED it stopped.
async function endIptv(deps: SwitchDeps, files: RedSnapshot): Promise<void> {
  const link = iptvLink(files);
  const done = link && deps.sys.endIptv(link);
  if (done) await step(deps, `end IPTV on ${link}`, async () => ({ ok: true, detail: done }));
}

function redDev(files: RedSnapshot): string | undefined {
  return toRecord(parseSettings(files.ethernet ?? "", "/var/ipfire/ethernet/settings", { ipfire: true }))
    .RED_DEV;
}

async function step(deps: SwitchDeps, name: string, fn: () => Promise<OpResult>): Promise<OpResult> {
  const t = deps.clock.now();
  const r = await fn();
  deps.onStep({
    name,
    ms: deps.clock.now() - t,
    ok: r.ok,
    detail: r.ok ? r.detail : r.reason,
  });
  return r;
}
