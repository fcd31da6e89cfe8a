import { describe, expect, test } from "bun:test";
import { argvFor, invokedAs } from "../../src/dispatch.ts";
import { UsageError } from "../../src/core/errors.ts";

const COMMANDS = ["enable", "profile", "hook"];
const HOOKS = "/etc/rc.d/init.d/networking";

describe("argvFor", () => {
  test("plain mwan passes the arguments through", () => {
    expect(argvFor("/usr/local/bin/mwan", ["profile", "list"], COMMANDS)).toEqual(["profile", "list"]);
  });

  test("run_subdir's U/D names pass up/down as the argument", () => {
    expect(argvFor(`${HOOKS}/red.up/95-U-mwan`, ["up"], COMMANDS)).toEqual(["hook", "up"]);
    expect(argvFor(`${HOOKS}/red.down/95-D-mwan`, ["down"], COMMANDS)).toEqual(["hook", "down"]);
  });

  test("a hook name without U/D takes the event from its directory", () => {
    expect(argvFor(`${HOOKS}/red.up/95-mwan`, [], COMMANDS)).toEqual(["hook", "up"]);
    expect(argvFor(`${HOOKS}/red.down/95-mwan`, [], COMMANDS)).toEqual(["hook", "down"]);
  });

  test("a hook name elsewhere without an event is a usage error", () => {
    expect(() => argvFor("/tmp/95-X-mwan", [], COMMANDS)).toThrow(UsageError);
  });

  test("mwan-<command> selects the command; other names are plain mwan", () => {
    expect(argvFor("/usr/local/bin/mwan-profile", ["list"], COMMANDS)).toEqual(["profile", "list"]);
    expect(argvFor("/usr/local/bin/mwan-1.0", ["enable"], COMMANDS)).toEqual(["enable"]);
  });
});

describe("invokedAs", () => {
  test("a compiled binary is known by argv0", () => {
    expect(invokedAs("./red.up/95-U-mwan", ["bun", "/$bunfs/root/mwan"])).toBe("./red.up/95-U-mwan");
  });

  test("under bun the script path stands in argv[1]", () => {
    expect(invokedAs("bun", ["/usr/bin/bun", "src/cli.ts"])).toBe("src/cli.ts");
  });
});
