// PPPoE and VDSL: no side path (a second PPP session is what an ISP refuses),
// only discovery — one PADI, and a PADO back proves the line and the access
// concentrator answer — with IPFire's own /usr/sbin/pppoe-discovery below
// the root. VDSL runs it on the VLAN RED_DEV.VLAN (default 7) that red start
// would create (contract §0a.3); mwan creates it for the discovery and
// deletes it right after, because a parent holds one VLAN per id and red
// start's own `ip link add` fails on one left behind. A VLAN that is already
// there is not mwan's: discovery then refuses rather than touch it.

import { join } from "node:path";
import type { ProfileData } from "../../core/schema/profile.ts";
import { pathExists } from "../files.ts";
import { ip } from "./ip.ts";
import { removeRecord, writeRecord } from "./records.ts";
import type { SideDeps, SideLink } from "./types.ts";

type PppProfile = Extract<ProfileData, { TYPE: "PPPOE" | "VDSL" }>;

const MAX_VLAN_NAME = 15;

export function discoveryLink(
  deps: SideDeps,
  profileName: string,
  profile: PppProfile,
  ifname: string,
): SideLink | { unavailable: string } {
  const vlanId = profile.TYPE === "VDSL" ? profile.VLAN : undefined;
  const vlan = vlanId === undefined ? undefined : `${ifname}.${vlanId}`;
  if (vlan && vlan.length > MAX_VLAN_NAME)
    return { unavailable: `VLAN name ${vlan} is longer than the kernel allows` };
  let running: Promise<unknown> = Promise.resolve();
  return {
    profile: profileName,
    mode: "discovery",
    start() {
      // Nothing runs between discoveries.
    },
    discover(timeoutMs) {
      const run = discover(deps, profileName, ifname, vlan, vlanId, profile.SERVICENAME, timeoutMs);
      running = run.catch(() => undefined);
      return run;
    },
    async stop() {
      await running;
    },
    // Its stop waits for one exchange, which pppoe-discovery's -t and the
    // kill past timeoutMs bound far below the watch's 15 s: never abandoned
    // in practice, and it puts no address on the NIC anyway.
    abandon() {},
  };
}

async function discover(
  deps: SideDeps,
  profileName: string,
  ifname: string,
  vlan: string | undefined,
  vlanId: number | undefined,
  service: string | undefined,
  timeoutMs: number,
): Promise<{ ok: boolean; detail: string }> {
  const { paths } = deps;
  const role = deps.role ?? "daemon";
  const tool = join(paths.root, "usr/sbin/pppoe-discovery");
  if (!pathExists(tool)) return { ok: false, detail: `${paths.display(tool)} is not installed` };
  if (!pathExists(join(paths.sysClassNet, ifname))) return { ok: false, detail: `${ifname} is not there` };
  let on = ifname;
  if (vlan) {
    if (pathExists(join(paths.sysClassNet, vlan)))
      return { ok: false, detail: `${vlan} already exists and is not mwan's: not touched` };
    writeRecord(paths, { profile: profileName, ifname, vlan }, role);
    const add = await ip(paths, [
      "link",
      "add",
      "link",
      ifname,
      "name",
      vlan,
      "type",
      "vlan",
      "id",
      String(vlanId),
    ]);
    if (!add.ok) {
      removeRecord(paths, ifname, role);
      return { ok: false, detail: `cannot create ${vlan}: ${add.error}` };
    }
    on = vlan;
    await ip(paths, ["link", "set", "dev", vlan, "up"]);
  }
  try {
    return await padiPado(tool, on, service, timeoutMs, deps.log);
  } finally {
    if (vlan) {
      await ip(paths, ["link", "del", "dev", vlan]);
      removeRecord(paths, ifname, role);
    }
  }
}

async function padiPado(
  tool: string,
  on: string,
  service: string | undefined,
  timeoutMs: number,
  log?: (line: string) => void,
): Promise<{ ok: boolean; detail: string }> {
  const seconds = Math.max(1, Math.floor(timeoutMs / 1000));
  const argv = [tool, "-I", on, "-t", String(seconds), "-a", "1"];
  if (service) argv.push("-S", service);
  log?.(argv.join(" "));
  const child = Bun.spawn(argv, {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    cwd: "/",
    timeout: timeoutMs + 1000,
    killSignal: "SIGKILL",
  });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  const ac = /^Access-Concentrator:\s*(.*)$/m.exec(out)?.[1]?.trim();
  if (ac !== undefined) return { ok: true, detail: `PADO from ${ac || "an access concentrator"} on ${on}` };
  const why = err.trim().split("\n").at(-1) ?? "";
  return {
    ok: false,
    detail: `no PADO on ${on} within ${seconds} s${code !== 0 && why ? ` (${why.slice(0, 160)})` : ""}`,
  };
}
