// TEST CODE: IPFire's web interface around a test root, for mwan's page:
// the project's stand-ins for IPFire's Perl (test/ipfire/web/) put where
// IPFire has its own, and Debian's Apache with mod_cgid serving the root's
// cgi-bin as nobody:nogroup (Debian's names for IPFire's nobody:nobody), as
// IPFire's vhost does (contract §7: ScriptAlias, Options ExecCGI without
// FollowSymLinks, the security headers), on 127.0.0.1 with a free port.

import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { makeTempDir } from "../helpers/temp-root.ts";

const STANDIN = join(import.meta.dir, "../ipfire/web");
const MODULES = "/usr/lib/apache2/modules";
// A 1x1 PNG: browsers take PNG bytes for favicon.ico.
const FAVICON =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

// Without these the machine's closed network refuses Chromium's connections.
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// IPFire's Perl and theme in the root, and the web server's user and group
// as IPFire's uid.conf names them (Debian's nogroup for IPFire's nobody).
export function ipfireWeb(root: string): void {
  // Apache's nobody must reach the tree, as on IPFire's /.
  chmodSync(root, 0o755);
  const at = (rel: string) => join(root, rel);
  for (const dir of ["var/ipfire/main", "etc/httpd/conf", "srv/web/ipfire/html/themes/ipfire/include/css"])
    mkdirSync(at(dir), { recursive: true });
  for (const f of ["general-functions.pl", "lang.pl", "header.pl"])
    copyFileSync(join(STANDIN, f), at(`var/ipfire/${f}`));
  copyFileSync(join(STANDIN, "style.css"), at("srv/web/ipfire/html/themes/ipfire/include/css/style.css"));
  writeFileSync(at("var/ipfire/main/settings"), "LANGUAGE=en\n");
  // IPFire has one; without it every page logs a 404 in the browser.
  writeFileSync(at("srv/web/ipfire/html/favicon.ico"), Buffer.from(FAVICON, "base64"));
  writeFileSync(at("etc/httpd/conf/uid.conf"), "User nobody\nGroup nogroup\n");
  const nogroup = readFileSync("/etc/group", "utf8")
    .split("\n")
    .find((l) => l.startsWith("nogroup:"));
  writeFileSync(at("etc/group"), `root:x:0:\n${nogroup}\n`);
}

export class Apache {
  private constructor(
    readonly url: string,
    readonly dir: string,
    private readonly proc: Subprocess,
  ) {}

  // Serves ROOT/srv/web/ipfire (html and cgi-bin) until stop().
  static async start(root: string): Promise<Apache> {
    const dir = makeTempDir();
    chmodSync(dir, 0o755); // the workers (nobody) reach cgid's socket here
    const port = freePort();
    const web = join(root, "srv/web/ipfire");
    const conf = join(dir, "httpd.conf");
    writeFileSync(
      conf,
      `ServerRoot ${dir}
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
PidFile ${dir}/httpd.pid
DefaultRuntimeDir ${dir}
Mutex file:${dir}
ErrorLog ${dir}/error.log
LogLevel warn
User nobody
Group nogroup
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule alias_module ${MODULES}/mod_alias.so
LoadModule cgid_module ${MODULES}/mod_cgid.so
LoadModule headers_module ${MODULES}/mod_headers.so
LoadModule mime_module ${MODULES}/mod_mime.so
ScriptSock ${dir}/cgid.sock
TypesConfig /dev/null
AddType text/css .css
DocumentRoot ${web}/html
Header always set X-Content-Type-Options nosniff
Header always set Content-Security-Policy "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
Header always set Referrer-Policy strict-origin
Header always set X-Frame-Options sameorigin
<Directory ${web}/html>
  Options FollowSymLinks
  Require all granted
</Directory>
ScriptAlias /cgi-bin/ ${web}/cgi-bin/
<Directory ${web}/cgi-bin>
  AllowOverride None
  Options ExecCGI
  Require all granted
</Directory>
`,
    );
    const proc = Bun.spawn(["/usr/sbin/apache2", "-f", conf, "-DFOREGROUND"], {
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
      env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C" },
    });
    const apache = new Apache(`http://127.0.0.1:${port}`, dir, proc);
    const end = performance.now() + 10_000;
    for (;;) {
      try {
        await fetch(`${apache.url}/`);
        return apache;
      } catch {
        if (proc.exitCode !== null || performance.now() > end) {
          const err = await new Response(proc.stderr).text();
          throw new Error(`apache2 did not start: ${err}${apache.errorLog()}`);
        }
        await Bun.sleep(50);
      }
    }
  }

  errorLog(): string {
    try {
      return readFileSync(join(this.dir, "error.log"), "utf8");
    } catch {
      return "";
    }
  }

  // SIGTERM to the parent we started: it stops its own workers and cgid.
  async stop(): Promise<void> {
    this.proc.kill("SIGTERM");
    await this.proc.exited;
  }
}

// A port the kernel just handed out and took back.
function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}
