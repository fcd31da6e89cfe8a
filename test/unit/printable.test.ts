import { describe, expect, test } from "bun:test";
import { printable, printableKeepingColour } from "../../src/core/text/printable.ts";

describe("printable", () => {
  test.each([
    ["a title change", "\u001b]0;owned\u0007", "\\x1b]0;owned\\x07"],
    ["a cursor move and clear", "\u001b[2J\u001b[H", "\\x1b[2J\\x1b[H"],
    ["a line break", "a\nb\r", "a\\x0ab\\x0d"],
    ["a C1 CSI", "\u009b31m", "\\x9b31m"],
    ["a bidi override", "dsl\u202eevil", "dsl\\u{202e}evil"],
  ])("%s is shown as escapes", (_, input, shown) => {
    expect(printable(input)).toBe(shown);
  });

  test("text without controls, Unicode included, is left as it is", () => {
    const text = "RED on lte (backup): Büro — “LTE” 😀 1.2 ms";
    expect(printable(text)).toBe(text);
  });

  test("whole lines keep line breaks and colour, and lose every other control", () => {
    expect(printableKeepingColour("\u001b[31mred\u001b[39m\n\u001b[2Jx\u0007")).toBe(
      "\u001b[31mred\u001b[39m\n\\x1b[2Jx\\x07",
    );
  });
});
