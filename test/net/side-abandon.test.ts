// A side path whose stop overran the watch's bound is abandoned: RED has
// moved to its NIC meanwhile, and IPFire may hold the very address the path
// had (the same STATIC address, the same lease). Its late teardown removes
// mwan's rules and table, never the address. With the real ip in a namespace.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { skipNetTests } from "./netns.ts";
import { SIDE_NET, SIDE_STATIC, SideSite } from "./side-site.ts";

describe.skipIf(skipNetTests())("an abandoned side path", () => {
  const site = new SideSite();
  beforeAll(() => site.build(), 30_000);
  afterAll(() => site.cleanup(), 30_000);

  const addresses = async () =>
    (await site.fw("ip", "-4", "-o", "addr", "show", "dev", "side0")).stdout.includes(
      `${SIDE_NET.static}/24`,
    );

  test("its teardown leaves the NIC's address alone and still removes mwan's rules and table", async () => {
    const d = site.driver("backup", SIDE_STATIC);
    try {
      d.send("start");
      await d.report("ready", 10_000);
      expect(await addresses()).toBe(true);
      d.send("abandon");
      await d.stop();
    } finally {
      await d.close();
    }
    expect(await addresses()).toBe(true);
    const left = await site.mwanLeftovers();
    expect(left.split("\n").filter((l) => !l.includes(`inet ${SIDE_NET.static}/24`))).toEqual([]);
    await site.fw("ip", "-4", "addr", "del", `${SIDE_NET.static}/24`, "dev", "side0");
  }, 30_000);
});
