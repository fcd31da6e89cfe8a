// What the daemon's control socket takes from the web page, decided on the
// request line alone (core/control-request.ts).

import { describe, expect, test } from "bun:test";
import { parseControlRequest } from "../../src/core/control-request.ts";

const TOKEN = "ab".repeat(32);
const req = (o: unknown) => parseControlRequest(JSON.stringify(o));

describe("parseControlRequest", () => {
  test("status and token take no fields", () => {
    expect(req({ request: "status" })).toEqual({ kind: "status" });
    expect(req({ request: "token" })).toEqual({ kind: "token" });
    expect(req({ request: "status", token: TOKEN })).toEqual({ problem: "status takes no fields" });
  });

  test("the four actions become the CLI's commands, each with its token", () => {
    expect(req({ request: "switch", profile: "cable", token: TOKEN })).toEqual({
      kind: "action",
      token: TOKEN,
      command: { kind: "switchTo", profile: "cable" },
    });
    expect(req({ request: "failback", token: TOKEN })).toMatchObject({ command: { kind: "failbackNow" } });
    expect(req({ request: "hold", token: TOKEN })).toMatchObject({ command: { kind: "hold" } });
    expect(req({ request: "resume", token: TOKEN })).toMatchObject({ command: { kind: "resume" } });
  });

  test("an action without a well-formed token is refused", () => {
    for (const token of [undefined, "", "AB".repeat(32), "ab".repeat(31), 7])
      expect(req({ request: "hold", token })).toEqual({ problem: "no valid token" });
  });

  test("a profile name is checked as every profile name is", () => {
    for (const profile of ["../etc", "Cable", "a b", "", ".x"])
      expect(req({ request: "switch", profile, token: TOKEN })).toMatchObject({
        problem: expect.stringContaining("is not a valid profile name"),
      });
    expect(req({ request: "switch", token: TOKEN })).toEqual({ problem: "switch needs a profile" });
    expect(req({ request: "hold", profile: "cable", token: TOKEN })).toEqual({
      problem: "hold takes no profile",
    });
  });

  test("anything else is refused with why", () => {
    expect(parseControlRequest("switch cable")).toEqual({ problem: "not a JSON request" });
    expect(req(["status"])).toEqual({ problem: "not a JSON object" });
    expect(req({ request: "reboot", token: TOKEN })).toMatchObject({
      problem: expect.stringContaining("unknown request"),
    });
    expect(req({ request: "status", cmd: "x" })).toEqual({ problem: 'unknown field "cmd"' });
  });
});
