// TEST CODE: runs one side link inside a network namespace (the adapters act
// on the namespace they run in), for test/net/side-*.test.ts:
//   bun test/net/side-driver.ts ROOT PROFILE_NAME PROFILE_JSON IFNAME MWAN_BIN OFFER_BOUND_MS ROLE
// Reads commands from stdin, one a line: start | stop | abandon | discover MS | cleanup.
// Writes one JSON object a line: {report}, {opened}, {stopped}, {discovered},
// {cleaned}.

import { makePaths } from "../../src/adapters/paths.ts";
import { cleanupSideLinks, openSideLink } from "../../src/adapters/side/index.ts";
import type { SideRole } from "../../src/adapters/side/records.ts";
import type { ProfileData } from "../../src/core/schema/profile.ts";

const [root, name, json, ifname, executable, bound, role] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  SideRole,
];
const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const deps = { paths: makePaths(root), executable, offerBoundMs: Number(bound), role };
const link = openSideLink(deps, name, JSON.parse(json) as ProfileData, ifname);
out({ opened: "unavailable" in link ? link : { mode: link.mode } });

for await (const chunk of console) {
  const [cmd, arg] = chunk.trim().split(" ");
  if (cmd === "cleanup") {
    await cleanupSideLinks(deps);
    out({ cleaned: true });
  } else if ("unavailable" in link) continue;
  else if (cmd === "start") link.start((r) => out({ report: r }));
  else if (cmd === "stop") {
    await link.stop();
    out({ stopped: true });
  } else if (cmd === "abandon") link.abandon();
  else if (cmd === "discover") out({ discovered: await link.discover?.(Number(arg)) });
}
process.exit(0);
