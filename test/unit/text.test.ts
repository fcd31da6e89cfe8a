// The text helpers of help and usage errors: "did you mean", word wrapping,
// and a word shown as it would be typed in a shell.

import { describe, expect, test } from "bun:test";
import { didYouMean, editDistance, nearest } from "../../src/core/text/nearest.ts";
import { shellWord, wrap } from "../../src/core/text/wrap.ts";

describe("nearest", () => {
  const commands = ["enable", "disable", "status", "switch", "hold", "resume", "profile"];

  test("a swapped pair of letters is one slip", () => {
    expect(editDistance("stauts", "status")).toBe(1);
    expect(editDistance("status", "status")).toBe(0);
    expect(editDistance("", "hold")).toBe(4);
  });

  test.each([
    ["stauts", ["status"]],
    ["STATUS", ["status"]],
    ["stat", ["status"]],
    ["swtich", ["switch"]],
    ["prfile", ["profile"]],
    ["hodl", ["hold"]],
    ["frobnicate", []],
    ["x", []],
  ])("%s", (word, expected) => {
    expect(nearest(word, commands)).toEqual(expected);
  });

  test("several as near are all named; too many, none", () => {
    expect(didYouMean("--d", ["--dry-run", "--device"])).toBe(" (did you mean --dry-run or --device?)");
    expect(didYouMean("--d", ["--da", "--db", "--dc", "--dd"])).toBe("");
    expect(didYouMean("frob", commands)).toBe("");
  });
});

describe("wrap", () => {
  test("breaks at spaces within the width", () => {
    expect(wrap("one two three four", 9)).toEqual(["one two", "three", "four"]);
    expect(wrap("", 10)).toEqual([""]);
  });

  test("a word wider than the width stands alone", () => {
    expect(wrap("a verylongword b", 5)).toEqual(["a", "verylongword", "b"]);
  });
});

describe("shellWord", () => {
  test.each([
    ["45", "45"],
    ["eth1", "eth1"],
    ["", "''"],
    ["9.9.9.9 1.1.1.1", "'9.9.9.9 1.1.1.1'"],
    ["it's", "'it'\\''s'"],
    ["$HOME", "'$HOME'"],
  ])("%p", (word, typed) => {
    expect(shellWord(word)).toBe(typed);
  });
});
