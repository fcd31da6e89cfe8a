import { describe, expect, test } from "bun:test";
import { colorWanted } from "../../src/ui/output.ts";

// https://no-color.org: colour only on a terminal, never when NO_COLOR is set.
describe("colorWanted", () => {
  test("a terminal gets colour", () => {
    expect(colorWanted(true, {})).toBe(true);
    expect(colorWanted(true, { TERM: "xterm-256color" })).toBe(true);
  });

  test.each(["1", "0", "false", "yes"])("NO_COLOR=%s: never, even on a terminal", (value) => {
    expect(colorWanted(true, { NO_COLOR: value })).toBe(false);
  });

  test("an empty NO_COLOR counts as unset", () => {
    expect(colorWanted(true, { NO_COLOR: "" })).toBe(true);
  });

  test("not a terminal (a pipe, a file, unknown): never", () => {
    expect(colorWanted(false, {})).toBe(false);
    expect(colorWanted(undefined, {})).toBe(false);
    expect(colorWanted(false, { TERM: "xterm" })).toBe(false);
  });

  test("a dumb terminal: never", () => {
    expect(colorWanted(true, { TERM: "dumb" })).toBe(false);
  });
});
