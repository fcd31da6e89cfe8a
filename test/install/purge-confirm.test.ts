// `uninstall --purge` deletes what cannot be typed in again (profiles, their
// passwords): on a terminal it asks first, naming them; without one it needs
// --yes (round-trip.test.ts passes it); a refusal or a no changes nothing.

import { afterEach, expect, test } from "bun:test";
import { EXIT, expectError, expectOk } from "../helpers/expect-cli.ts";
import { skipWithout } from "../helpers/require.ts";
import { runOnTerminal, scriptAvailable } from "../helpers/terminal.ts";
import { cleanup, snapshot } from "../helpers/temp-root.ts";
import { cleanupRoots, ipfireRoot, mwan } from "./rig.ts";

afterEach(cleanupRoots);
afterEach(cleanup);

const noScript = scriptAvailable() ? undefined : "util-linux script is not installed";
const QUESTION =
  "Remove mwan, its logs and its configuration with profiles dsl, lte and any passwords in them? [y/N]";

test.skipIf(skipWithout("terminal", noScript))("uninstall --purge asks first", async () => {
  const root = await ipfireRoot();
  const before = snapshot(root);
  expectOk(await mwan(root, ["install"]));
  expectOk(await mwan(root, ["profile", "create", "lte", "--type=qmi", "--apn=internet.example"]));
  expectOk(
    await mwan(root, [
      "profile",
      "create",
      "dsl",
      "--type=pppoe",
      "--device=eth1",
      "--mac=52:54:00:aa:bb:02",
      "--username=u",
      "--password=pw",
    ]),
  );
  const installed = snapshot(root);

  expectError(await mwan(root, ["uninstall", "--purge"]), EXIT.usage, "uninstall --purge", "--yes");
  expect(snapshot(root)).toEqual(installed);

  const no = await runOnTerminal(["uninstall", "--purge"], root, [{ question: QUESTION, answer: "" }]);
  expect(no.code).toBe(EXIT.failure);
  expect(no.transcript).toContain("mwan: aborted, nothing uninstalled");
  expect(snapshot(root)).toEqual(installed);

  const yes = await runOnTerminal(["uninstall", "--purge"], root, [{ question: QUESTION, answer: "y" }]);
  expect(yes.code).toBe(EXIT.ok);
  expect(yes.transcript).toContain("mwan is uninstalled, with its configuration and logs");
  expect(snapshot(root)).toEqual(before);
});
