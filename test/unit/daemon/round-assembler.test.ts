import { describe, expect, test } from "bun:test";
import { parsePingLine } from "../../../src/adapters/probe/ping-line.ts";
import { RoundAssembler } from "../../../src/daemon/round-assembler.ts";

describe("parsePingLine", () => {
  test("replies, unanswered requests and everything else", () => {
    expect(parsePingLine("64 bytes from 9.9.9.9: icmp_seq=12 ttl=57 time=10.4 ms")).toEqual({
      kind: "reply",
      seq: 12,
      rttMs: 10.4,
    });
    expect(parsePingLine("no answer yet for icmp_seq=3")).toEqual({ kind: "no-answer", seq: 3 });
    expect(parsePingLine("PING 9.9.9.9 (9.9.9.9) from 192.0.2.2 red0: 56(84) bytes of data.")).toBeNull();
    expect(parsePingLine("From 192.0.2.1 icmp_seq=4 Destination Host Unreachable")).toBeNull();
  });
});

describe("RoundAssembler", () => {
  const T = ["a", "b"];

  test("a round is handed out once every target answered", () => {
    const r = new RoundAssembler(T, 300, 1000, 0);
    r.reply("a", 1, 10, 10);
    expect(r.finished(10)).toEqual([]);
    r.reply("b", 1, 20, 20);
    expect(r.finished(20)).toEqual([
      {
        sentAt: 0,
        results: [
          { target: "a", rttMs: 10 },
          { target: "b", rttMs: 20 },
        ],
      },
    ]);
  });

  test("a target that stays silent is lost once its request timed out", () => {
    const r = new RoundAssembler(T, 300, 1000, 0);
    r.reply("a", 1, 10, 10);
    expect(r.finished(999)).toEqual([]);
    expect(r.finished(1000)[0]?.results).toEqual([
      { target: "a", rttMs: 10 },
      { target: "b", rttMs: null },
    ]);
  });

  test("rounds come out in order, each once, and not before they were sent", () => {
    const r = new RoundAssembler(["a"], 300, 1000, 0);
    for (let seq = 1; seq <= 3; seq++) r.reply("a", seq, 5, (seq - 1) * 300 + 5);
    expect(r.finished(605).map((x) => x.sentAt)).toEqual([0, 300, 600]);
    expect(r.finished(700)).toEqual([]);
  });

  test("ping's own schedule wins over mwan's clock: no drift accumulates", () => {
    // ping sends every 310 ms although asked for 300: each reply re-anchors.
    const r = new RoundAssembler(["a"], 300, 1000, 0);
    let out: number[] = [];
    for (let seq = 1; seq <= 200; seq++) {
      const sent = (seq - 1) * 310;
      r.reply("a", seq, 2, sent + 2);
      out = out.concat(r.finished(sent + 2).map((x) => x.results[0]?.rttMs ?? -1));
    }
    expect(out).toHaveLength(200);
    expect(out.every((rtt) => rtt === 2)).toBe(true);
  });

  test("'no answer yet' re-anchors the schedule of a silent target", () => {
    const r = new RoundAssembler(["a"], 300, 1000, 0);
    r.noAnswer("a", 1, 400); // request 2 went out at 400, not 300
    // Request 1's time is estimated back from the new anchor too: judged by 1100.
    expect(r.finished(1099)).toEqual([]);
    expect(r.finished(1100).length).toBe(1);
    expect(r.finished(1399)).toEqual([]); // request 2 times out at 1400
    expect(r.finished(1400)[0]?.sentAt).toBe(400);
  });

  test("a reply slower than the timeout counts as lost; late replies to judged rounds are ignored", () => {
    const r = new RoundAssembler(["a"], 300, 1000, 0);
    r.reply("a", 1, 1200, 1200);
    expect(r.finished(1200)[0]?.results[0]?.rttMs).toBeNull();
    r.reply("a", 1, 1250, 1250);
    expect(r.finished(1250)).toEqual([]); // request 2 is not due before 1300
  });

  test("with every ping gone there are no rounds at all; one gone counts as lost", () => {
    const r = new RoundAssembler(T, 300, 1000, 0);
    r.exited("a");
    r.reply("b", 1, 5, 5);
    expect(r.finished(5)[0]?.results).toEqual([
      { target: "a", rttMs: null },
      { target: "b", rttMs: 5 },
    ]);
    r.exited("b");
    expect(r.finished(100_000)).toEqual([]);
  });
});
