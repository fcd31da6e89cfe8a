import { describe, expect, test } from "bun:test";
import { EventQueue, QUEUE_LIMIT } from "../../../src/daemon/event-queue.ts";

// A receiver that takes one item at a time and finishes when told to.
function receiver() {
  const got: number[] = [];
  const dropped: number[] = [];
  const finish: (() => void)[] = [];
  let idle = 0;
  const q = new EventQueue<number>(
    (n) =>
      new Promise<void>((resolve) => {
        got.push(n);
        finish.push(resolve);
      }),
    (n) => dropped.push(n),
    () => idle++,
  );
  const next = async () => {
    finish.shift()?.();
    await Bun.sleep(0);
  };
  return { q, got, dropped, next, idle: () => idle };
}

describe("EventQueue", () => {
  test("one at a time, in order: a busy receiver makes the next item wait", async () => {
    const r = receiver();
    r.q.push(1);
    r.q.push(2);
    r.q.push(3);
    expect(r.got).toEqual([1]);
    expect(r.q.size).toBe(3);
    await r.next();
    expect(r.got).toEqual([1, 2]);
    await r.next();
    await r.next();
    expect(r.got).toEqual([1, 2, 3]);
    expect(r.q.size).toBe(0);
    expect(r.idle()).toBe(1);
  });

  test(`past ${QUEUE_LIMIT} waiting, the oldest waiting item is dropped`, async () => {
    const r = receiver();
    for (let n = 1; n <= QUEUE_LIMIT + 3; n++) r.q.push(n);
    expect(r.dropped).toEqual([2, 3]); // 1 is being delivered
    expect(r.q.size).toBe(QUEUE_LIMIT + 1);
    for (let i = 0; i <= QUEUE_LIMIT; i++) await r.next();
    expect(r.got).toEqual([1, ...Array.from({ length: QUEUE_LIMIT }, (_, i) => i + 4)]);
  });

  test("a delivery that rejects does not stop the queue", async () => {
    const got: number[] = [];
    const q = new EventQueue<number>(
      async (n) => {
        got.push(n);
        throw new Error("boom");
      },
      () => {},
      () => {},
    );
    q.push(1);
    q.push(2);
    await Bun.sleep(0);
    await Bun.sleep(0);
    expect(got).toEqual([1, 2]);
  });
});
