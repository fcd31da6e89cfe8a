// How mwan shows times: ISO 8601 to the second with the box's offset.

import { describe, expect, test } from "bun:test";
import { isoTime } from "../../src/core/text/time.ts";

describe("isoTime", () => {
  const t = Date.UTC(2026, 11, 3, 6, 20, 24, 900);

  test("Z on a box on UTC, seconds cut, not rounded", () => {
    expect(isoTime(t, 0)).toBe("2026-12-03T06:20:24Z");
  });

  test("the local time with its offset east and west of UTC", () => {
    expect(isoTime(t, 60)).toBe("2026-12-03T07:20:24+01:00");
    expect(isoTime(t, 330)).toBe("2026-12-03T11:50:24+05:30");
    expect(isoTime(t, -420)).toBe("2026-12-02T23:20:24-07:00");
  });
});
