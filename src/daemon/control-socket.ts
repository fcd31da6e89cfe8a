// The daemon's control channel for IPFire's web interface: a Unix socket,
// /var/run/mwan/control.sock, root's and the web server's group's (mode 0660,
// the group from IPFire's httpd uid.conf), so the page, running as nobody,
// reaches root only through it and other users not at all. A request is one
// JSON line (core/control-request.ts), bounded in size and time, answered
// with one line: the status model, a CSRF token, or the outcome of one of the
// four admin actions, which go through the engine as the CLI's do. It is
// optional: whatever goes wrong here is logged and failover goes on.

import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, lstatSync, unlinkSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import type { Command } from "../core/engine/types.ts";
import { MAX_REQUEST_BYTES, parseControlRequest } from "../core/control-request.ts";
import { readTextIfExists } from "../adapters/files.ts";
import type { Paths } from "../adapters/paths.ts";

export interface ControlHandlers {
  status(): unknown; // the status model, as `mwan status --json` prints it
  profiles(): string[];
  command(command: Command): { switched: boolean; refused: string | null };
}

interface Log {
  info(message: string): void;
  warn(message: string): void;
}

// A request is answered at once; a client that has not sent its line by then
// is cut off, so a stuck page costs the daemon one socket for this long.
const REQUEST_MS = 2000;
const MAX_CONNECTIONS = 8;
// Every page render takes a token; the page refreshes every half minute, so
// the last few dozen cover every page open in a browser for a while.
const TOKEN_TTL_MS = 30 * 60_000;
const MAX_TOKENS = 64;

export interface ControlSocket {
  close(): void;
}

export function startControlSocket(
  paths: Paths,
  log: Log,
  handlers: ControlHandlers,
): ControlSocket | undefined {
  const where = "/var/run/mwan/control.sock";
  let gid: number;
  try {
    gid = webGroup(paths);
    prepareSocketPath(paths);
  } catch (err) {
    log.warn(
      `the web page's socket ${where} is not served: ${err instanceof Error ? err.message : String(err)}`,
    );
    return undefined;
  }
  const tokens = new Map<string, number>(); // token → expiry, oldest first
  const issue = (): string => {
    const now = Date.now();
    for (const [t, until] of tokens) if (until <= now || tokens.size >= MAX_TOKENS) tokens.delete(t);
    const token = randomBytes(32).toString("hex");
    tokens.set(token, now + TOKEN_TTL_MS);
    return token;
  };
  const valid = (token: string) => (tokens.get(token) ?? 0) > Date.now();

  const answer = (line: string): unknown => {
    const req = parseControlRequest(line);
    if ("problem" in req) return { ok: false, error: req.problem };
    if (req.kind === "status") return { ok: true, status: handlers.status() };
    if (req.kind === "token") return { ok: true, token: issue() };
    if (!valid(req.token)) return { ok: false, error: "the page's token is not valid (reload the page)" };
    const c = req.command;
    if (c.kind === "switchTo" && !handlers.profiles().includes(c.profile))
      return { ok: false, error: `no profile ${c.profile}` };
    return { ok: true, ...handlers.command(c) };
  };

  const serve = (sock: Socket) => {
    const timer = setTimeout(() => sock.destroy(), REQUEST_MS);
    sock.on("close", () => clearTimeout(timer));
    sock.on("error", () => sock.destroy());
    let buf = Buffer.alloc(0);
    sock.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf(10);
      if (end < 0 && buf.length <= MAX_REQUEST_BYTES) return;
      sock.removeAllListeners("data");
      let reply: unknown;
      try {
        reply =
          end < 0 || end > MAX_REQUEST_BYTES
            ? { ok: false, error: `a request is one line of at most ${MAX_REQUEST_BYTES} bytes` }
            : answer(buf.subarray(0, end).toString("utf8"));
      } catch (err) {
        reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      sock.end(`${JSON.stringify(reply)}\n`);
    });
  };

  let server: Server | undefined = createServer(serve);
  server.maxConnections = MAX_CONNECTIONS;
  server.on("error", (err) => {
    log.warn(`the web page's socket ${where} stopped: ${err.message}`);
    close();
  });
  server.listen(paths.controlSocket, () => {
    try {
      // Bound with the umask's mode, which lets no one else write (connect)
      // until the group is set.
      chownSync(paths.controlSocket, 0, gid);
      chmodSync(paths.controlSocket, 0o660);
    } catch (err) {
      log.warn(
        `the web page's socket ${where} is not served: ${err instanceof Error ? err.message : String(err)}`,
      );
      close();
    }
  });
  const close = () => {
    if (!server) return;
    const s = server;
    server = undefined;
    try {
      s.close();
      unlinkSync(paths.controlSocket);
    } catch {
      // not listening, or already gone
    }
  };
  return { close };
}

// The group IPFire's web server runs as (`Group nobody` in uid.conf), by
// number from /etc/group.
function webGroup(paths: Paths): number {
  const conf = readTextIfExists(paths.httpdUidConf, "/etc/httpd/conf/uid.conf", 64 << 10);
  if (conf === undefined) throw new Error("/etc/httpd/conf/uid.conf is missing");
  const name = /^\s*Group\s+(\S+)\s*$/m.exec(conf)?.[1];
  if (!name) throw new Error("/etc/httpd/conf/uid.conf names no Group");
  const groups = readTextIfExists(paths.groupFile, "/etc/group", 1 << 20) ?? "";
  for (const line of groups.split("\n")) {
    const [group, , id] = line.split(":");
    if (group === name && id !== undefined && /^\d+$/.test(id)) return Number(id);
  }
  throw new Error(`/etc/group has no group ${name}`);
}

// /var/run/mwan must be root's and writable by no one else, or another user
// could put their own socket in its place; an old socket is replaced.
function prepareSocketPath(paths: Paths): void {
  const dir = lstatSync(paths.runMwan);
  if (!dir.isDirectory()) throw new Error("/var/run/mwan is not a directory");
  if (dir.uid !== 0 || (dir.mode & 0o022) !== 0) throw new Error("/var/run/mwan is not root's alone");
  let old;
  try {
    old = lstatSync(paths.controlSocket);
  } catch {
    return;
  }
  if (!old.isSocket()) throw new Error("something that is not a socket is in its place");
  unlinkSync(paths.controlSocket);
}
