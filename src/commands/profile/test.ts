import { defineCommand } from "citty";
import { EXIT } from "../../core/errors.ts";
import { printable as p } from "../../core/text/printable.ts";
import { readTextIfExists } from "../../adapters/files.ts";
import type { Paths } from "../../adapters/paths.ts";
import { activeProfile } from "../../adapters/store.ts";
import { loadDaemonConfig } from "../../daemon/config.ts";
import { daemonPid } from "../../daemon/control.ts";
import { type SideTest, type TargetTally, testSidePath } from "../../daemon/side-test.ts";
import { readSnapshot, type SideSnapshot } from "../../daemon/status.ts";
import { acquireLock } from "../../switching/lock.ts";
import { type Output, table } from "../../ui/output.ts";
import { env, jsonArg, profileNameArg } from "../_shared.ts";

const TEST_JSON_VERSION = 1;
const MAX_ROUNDS = 30;
// The daemon writes status.json every 2 s; a metered standby is probed
// every 10 s.
const LIVE_ROUND_MS = 10_000;
// A daemon's watch of a standby starts within a few seconds of its start or
// of a switch (status.json every 2 s).
const WATCH_WAIT_MS = 15_000;

export default defineCommand({
  meta: {
    name: "test",
    description:
      "Probe a standby profile through its own NIC without switching RED: the daemon's live watch of it, or a side path built for the test",
  },
  args: {
    ...profileNameArg,
    rounds: {
      type: "string",
      description: `Probe rounds to run or wait for (1-${MAX_ROUNDS}, default 5)`,
      valueHint: "N",
      default: "5",
    },
    ...jsonArg,
  },
  async run(ctx) {
    const { paths, out } = env(ctx, ctx.args.json);
    const name = ctx.args.name;
    const rounds = Number(ctx.args.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) {
      out.note(`mwan: --rounds: must be a whole number from 1 to ${MAX_ROUNDS}`);
      return EXIT.usage;
    }
    const cfg = loadDaemonConfig(paths);
    if (!Object.hasOwn(cfg.profiles, name)) {
      out.note(`mwan: no profile ${p(name)} (mwan profile list)`);
      return EXIT.usage;
    }
    const pid = daemonPid(paths);
    const snap = pid === undefined ? undefined : readSnapshot(readTextIfExists(paths.statusFile), pid);
    const onRed = snap?.active ?? activeProfile(paths) ?? cfg.primary;
    if (onRed === name) {
      out.note(`mwan: ${p(name)} carries RED: mwan status shows its health (only a standby is tested)`);
      return EXIT.usage;
    }
    // A daemon that watches standbys uses this profile's NIC for a watch of
    // its own, or soon will (a fresh daemon, a reload): a second path on the
    // same NIC would fight it, so its live rounds are the answer.
    const watched = (cfg.engineProfiles.find((e) => e.name === name)?.side ?? "none") !== "none";
    if (pid !== undefined && (snap?.side?.[name] || watched)) {
      if (await watchAppears(paths, pid, name)) return live(paths, out, name, pid, rounds);
      out.note(`mwan: the daemon does not watch ${p(name)} now; try again once mwan status shows it`);
      return EXIT.failure;
    }
    // No switch meanwhile: a switch to this profile would find its NIC in use.
    const lock = acquireLock(paths);
    try {
      if (!out.json) out.line(`building a side path for ${name}, RED untouched`);
      const r = await testSidePath(paths, cfg, name, rounds, () => undefined);
      return report(out, name, r);
    } finally {
      lock.release();
    }
  },
});

function report(out: Output, name: string, r: SideTest): number {
  if (!r.built) {
    if (out.json)
      out.data({ version: TEST_JSON_VERSION, profile: name, source: "test", built: false, reason: r.reason });
    else out.note(`mwan: no side path for ${p(name)}: ${p(r.reason)}`);
    return EXIT.config;
  }
  const answered = r.targets.some((t) => t.lost < t.sent);
  if (out.json) {
    out.data({
      version: TEST_JSON_VERSION,
      profile: name,
      source: "test",
      built: true,
      mode: r.mode,
      via: r.via && { iface: r.via.iface, address: r.via.localAddress, gateway: r.via.gateway },
      rounds: r.rounds,
      targets: r.targets,
      answered,
    });
  } else {
    const path = r.via ? `${r.via.localAddress} on ${r.via.iface} via ${r.via.gateway}` : "PPPoE discovery";
    out.line(`${name}: ${r.rounds} rounds from the side (${p(path)})`);
    for (const line of targetLines(r.targets)) out.line(line);
    out.line(verdict(name, answered, r.targets));
  }
  return answered ? EXIT.ok : EXIT.failure;
}

function targetLines(
  targets: readonly Pick<TargetTally, "target" | "sent" | "lossPct" | "rttAvgMs" | "rttLastMs">[],
) {
  const ms = (v: number | null) => (v === null ? "-" : `${v.toFixed(1)} ms`);
  return table(
    targets.map((t) => [
      `  ${p(t.target)}`,
      `${t.lossPct.toFixed(0)}% loss`,
      `rtt ${ms(t.rttAvgMs)} avg`,
      `${ms(t.rttLastMs)} last`,
      `${t.sent} sent`,
    ]),
  );
}

function verdict(name: string, answered: boolean, targets: readonly { lossPct: number }[]): string {
  const loss = targets.length === 0 ? 100 : targets.reduce((a, t) => a + t.lossPct, 0) / targets.length;
  return answered
    ? `verdict: ${name} answers from the side (${loss.toFixed(0)}% loss)`
    : `verdict: ${name} does not answer from the side`;
}

// Whether the daemon's status shows a watch of `name` within WATCH_WAIT_MS.
async function watchAppears(paths: Paths, pid: number, name: string): Promise<boolean> {
  const until = Date.now() + WATCH_WAIT_MS;
  for (;;) {
    if (readSnapshot(readTextIfExists(paths.statusFile), pid)?.side?.[name]) return true;
    if (Date.now() >= until) return false;
    await Bun.sleep(500);
  }
}

// The daemon watches the profile: its own rounds, once `rounds` more came in.
async function live(paths: Paths, out: Output, name: string, pid: number, rounds: number): Promise<number> {
  const read = () => readSnapshot(readTextIfExists(paths.statusFile), pid)?.side?.[name];
  const sent = (w: SideSnapshot | undefined) => Math.max(0, ...(w?.targets ?? []).map((t) => t.sent));
  const start = sent(read());
  if (!out.json) out.line(`the daemon watches ${name} from the side; waiting for ${rounds} rounds`);
  const deadline = Date.now() + rounds * LIVE_ROUND_MS + 5000;
  let w = read();
  while (w && w.status === "running" && sent(w) < start + rounds && Date.now() < deadline) {
    await Bun.sleep(500);
    w = read();
  }
  if (!w) {
    out.note(`mwan: the daemon stopped watching ${p(name)} (a switch or a stop); mwan status says why`);
    return EXIT.failure;
  }
  const targets = w.targets.map((t) => ({
    target: t.target,
    sent: t.sent,
    lossPct: t.lossPct ?? 100,
    rttAvgMs: t.rttAvgMs,
    rttLastMs: t.lastRttMs,
  }));
  const answered = w.status === "running" && w.health !== "down" && targets.some((t) => t.lossPct < 100);
  if (out.json) {
    out.data({
      version: TEST_JSON_VERSION,
      profile: name,
      source: "daemon",
      built: w.status === "running",
      mode: w.mode,
      status: w.status,
      reason: w.statusReason,
      health: { state: w.health, since: new Date(w.healthSince).toISOString(), reason: w.healthReason },
      targets,
      answered,
    });
  } else {
    out.line(`${name}: ${w.health} from the side (${p(w.healthReason)}); the daemon's ${p(w.statusReason)}`);
    for (const line of targetLines(targets)) out.line(line);
    out.line(
      w.status === "running"
        ? verdict(name, answered, targets)
        : `verdict: no side path: ${p(w.statusReason)}`,
    );
  }
  if (w.status !== "running") return EXIT.config;
  return answered ? EXIT.ok : EXIT.failure;
}
