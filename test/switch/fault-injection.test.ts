// TEST CODE: mwan killed (SIGKILL) at a random moment of a switch, then
// `mwan recover`. Afterwards IPFire's files hold exactly one whole profile,
// the switch's `from` (byte for byte) or its `to`; state/active names it; no
// journal is left; RED is up on it; and no stand-in process is left over.
//
// Replay a failure with the seed it prints:
//   MWAN_FAULT_SEED=123 bun test test/switch/fault-injection.test.ts
// MWAN_FAULT_ITERATIONS changes the number of kills (default 50).
// A round in which two `network` runs overlapped fails too (contract §0.9:
// IPFire has no lock of its own); MWAN_FAULT_STRICT=0 turns that check off.

import { afterAll, expect, test } from "bun:test";
import {
  holdsProblems,
  PRIMARY,
  PROFILES,
  type ProfileSpec,
  prng,
  RED_KEYS_ETHERNET,
  RED_KEYS_PPP,
  type RedFiles,
  Rig,
  settle,
  strayProblems,
  unownedLines,
  upProblems,
} from "./rig.ts";

const SEED = Number(process.env.MWAN_FAULT_SEED ?? Date.now() % 2 ** 31);
const ITERATIONS = Number(process.env.MWAN_FAULT_ITERATIONS ?? 50);
const STRICT = process.env.MWAN_FAULT_STRICT !== "0";

let rig: Rig | undefined;
afterAll(() => rig?.cleanup());

// Which of the two profiles the files hold, or the problems if neither (or both).
function heldProfile(
  f: RedFiles,
  before: RedFiles,
  original: RedFiles,
  from: ProfileSpec,
  to: ProfileSpec,
): { on?: ProfileSpec; problems: string[] } {
  const onFrom = holdsProblems(f, from, from.ifname);
  const onTo = holdsProblems(f, to, to.ifname);
  if (onFrom.length === 0 && onTo.length === 0) return { problems: ["the files hold both profiles?"] };
  if (onFrom.length === 0) {
    // A rolled-back switch puts back the very bytes.
    const same =
      f.ethernet === before.ethernet &&
      f.ppp === before.ppp &&
      f.secrets === before.secrets &&
      f.pppLinked === before.pppLinked;
    return {
      on: from,
      problems: same ? [] : ["rolled back, but not byte-identical"],
    };
  }
  if (onTo.length === 0) {
    const problems: string[] = [];
    const unowned = (text: string, keys: Set<string>) => JSON.stringify(unownedLines(text, keys));
    if (unowned(f.ethernet, RED_KEYS_ETHERNET) !== unowned(before.ethernet, RED_KEYS_ETHERNET))
      problems.push("ethernet/settings: keys mwan does not own changed");
    // A backup's ppp/settings holds the backup's keys alone.
    if (to.ppp && to !== PRIMARY && unowned(f.ppp, RED_KEYS_PPP) !== "[]")
      problems.push("ppp/settings: holds keys that are not the backup's");
    if (
      to === PRIMARY &&
      (f.ethernet !== original.ethernet ||
        f.ppp !== original.ppp ||
        f.secrets !== original.secrets ||
        !f.pppLinked)
    )
      problems.push("back on the primary, but not byte-identical to the original");
    return { on: to, problems };
  }
  return {
    problems: [
      `neither whole profile: as ${from.name}: ${onFrom.join("; ")}`,
      `as ${to.name}: ${onTo.join("; ")}`,
    ],
  };
}

test(
  `SIGKILL mid-switch, then recover: ${ITERATIONS} rounds`,
  async () => {
    const rand = prng(SEED);
    const r = await Rig.create({ delay: 0.03 });
    rig = r;
    const original = r.files();

    // How long a whole switch to each profile takes: the range of kill delays.
    const full = new Map<string, number>();
    for (const p of [...PROFILES.slice(1), PRIMARY]) {
      await r.idle();
      const run = await r.mwan("switch", p.name);
      if (run.code !== 0) throw new Error(`warm-up switch ${p.name}: ${run.stderr}`);
      full.set(p.name, run.ms);
    }

    let from: ProfileSpec = PRIMARY;
    const tally: Record<string, number> = {};
    for (let i = 0; i < ITERATIONS; i++) {
      // Targets rotate through the kinds; never the profile RED is on.
      let to = PROFILES[i % PROFILES.length] ?? PRIMARY;
      if (to === from) to = PROFILES[(i + 1) % PROFILES.length] ?? PRIMARY;
      const killAfter = rand() * (full.get(to.name) ?? 500);
      const context = `seed ${SEED} (MWAN_FAULT_SEED), round ${i}: ${from.name} -> ${to.name}, SIGKILL after ${killAfter.toFixed(0)} ms`;

      await r.idle();
      const before = r.files();
      const logMark = r.s.log().length;
      const sw = r.spawn("switch", to.name);
      await Bun.sleep(killAfter);
      sw.kill("SIGKILL");
      await sw.exited;
      // What the dead switch left for recover: shown when a round fails.
      const left = r.read("var/ipfire/mwan/state/journal");
      const journal = left ? (JSON.parse(left) as { phase: string; children: number[] }) : undefined;
      const rec = await r.mwan("recover");

      const problems: string[] = [];
      if (rec.code !== 0) problems.push(`recover exited ${rec.code}: ${rec.stderr}`);
      const held = heldProfile(r.files(), before, original, from, to);
      problems.push(...held.problems);
      const on = held.on;
      if (on) {
        problems.push(...upProblems(r, on, on.ifname));
        problems.push(...(await settle(() => strayProblems(r, on, on.ifname))));
      }
      if (r.journalExists()) problems.push("state/journal left behind");
      // IPFire has no lock: two `network` runs at once must never happen (§0.9).
      const log = r.s.log().slice(logMark);
      if (STRICT && log.some((e) => e.who === "network" && e.ev === "concurrent"))
        problems.push(
          "two `network` runs overlapped:",
          ...log
            .filter((e) => e.ev === "invoke" || e.ev === "concurrent")
            .map(
              (e) =>
                `${e.t.toFixed(3)} pid ${e.pid} ${e.who} ${e.ev} ${JSON.stringify(e.argv ?? e.other_pid)}`,
            ),
        );
      if (problems.length > 0)
        throw new Error(
          `${context}\n  ${problems.join("\n  ")}\njournal at the kill: ${journal ? `phase ${journal.phase}, children ${journal.children.join(",")}` : "none"}\nrecover said:\n${rec.stdout}${rec.stderr}`,
        );
      const outcome = on === from ? "stayed" : "moved";
      tally[outcome] = (tally[outcome] ?? 0) + 1;
      from = on ?? from;
    }
    // Both outcomes must have happened, or the kill delays missed the switch.
    expect(Object.keys(tally).sort()).toEqual(["moved", "stayed"]);
  },
  30_000 + ITERATIONS * 2_000,
);
