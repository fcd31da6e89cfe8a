// mwan's page in IPFire's web interface, end to end: installed by
// `mwan install` into a stand-in IPFire, served by a real Apache as nobody,
// talking to a real daemon through its control socket, driven by a real
// headless Chromium. The daemon switches RED for real (test/daemon/rig.ts).

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, lstatSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { CABLE, DaemonRig, PRIMARY } from "../daemon/rig.ts";
import { cleanup } from "../helpers/temp-root.ts";
import { skipNetTests } from "../net/netns.ts";
import { Apache, CHROMIUM_ARGS, ipfireWeb } from "./web-rig.ts";

describe.skipIf(skipNetTests())("mwan's web page", () => {
  let rig: DaemonRig;
  let apache: Apache;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const url = () => `${apache.url}/cgi-bin/mwan.cgi`;

  beforeAll(async () => {
    rig = await DaemonRig.create();
    ipfireWeb(rig.root);
    await rig.ok("install");
    await rig.start();
    apache = await Apache.start(rig.root);
    // playwright gives the browser a fresh profile directory of its own.
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await apache?.stop();
    await rig?.cleanup();
    cleanup();
  });

  test("installed as a real file and rendered like an IPFire page, with what mwan status shows", async () => {
    const cgi = lstatSync(rig.path("srv/web/ipfire/cgi-bin/mwan.cgi"));
    expect(cgi.isFile()).toBe(true); // cgi-bin has no FollowSymLinks
    expect({ mode: cgi.mode & 0o7777, uid: cgi.uid, gid: cgi.gid }).toEqual({ mode: 0o755, uid: 0, gid: 0 });
    // A reason in the history is shown as text, never as markup.
    const hostile = `<img src=x onerror="document.title='owned'">`;
    const entry = { at: Date.now() - 60_000, from: CABLE.name, to: PRIMARY.name, ok: false, reason: "test" };
    appendFileSync(
      rig.path("var/ipfire/mwan/state/history"),
      `${JSON.stringify({ ...entry, result: hostile, ms: 10 })}\n`,
    );
    const res = await page.goto(url());
    expect(res?.status()).toBe(200);
    // IPFire's skeleton, from the stand-in header.pl, and the menu.d entry.
    expect(await page.textContent("#main_header h1")).toBe("Multi-WAN failover");
    expect(await page.getAttribute("#cssmenu a[href='/cgi-bin/mwan.cgi']", "href")).toBe("/cgi-bin/mwan.cgi");
    expect(await page.locator("section.is-box h2.title").allTextContents()).toEqual([
      "RED",
      "Profiles",
      "Targets",
      "Recent switches",
    ]);
    const status = JSON.parse((await rig.ok("status", "--json")).stdout);
    expect(await page.textContent(".mwan-headline")).toBe(status.headline);
    expect(await page.textContent("#mwan-active")).toContain(`${PRIMARY.name} (primary)`);
    const rows = await page.locator("tr.mwan-profile").evaluateAll((trs) => trs.map((tr) => tr.textContent));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain("carries RED (up)");
    expect(rows[1]).toContain(`${CABLE.name}backup`);
    expect(await page.locator("section.is-box:has(h2:text('Targets')) tr").count()).toBe(
      1 + status.targets.length,
    );
    expect(await page.textContent("#main_inner")).toContain(`test; ${hostile}`);
    expect(await page.locator("#main_inner img").count()).toBe(0);
    expect(await page.title()).toContain("Multi-WAN failover");
    expect(errors).toEqual([]);
  });

  test("switch, confirmed in the browser, moves RED and the page then shows it", async () => {
    const before = rig.history().length;
    // Cancelled: nothing is sent.
    page.once("dialog", (d) => void d.dismiss());
    await page.click(`tr[data-profile='${CABLE.name}'] input[type=submit]`);
    await Bun.sleep(300);
    expect(rig.history()).toHaveLength(before);
    expect(rig.snapshot()?.hold).toBe(false);

    let asked = "";
    page.once("dialog", (d) => {
      asked = d.message();
      void d.accept();
    });
    await page.click(`tr[data-profile='${CABLE.name}'] input[type=submit]`);
    await page.waitForSelector(".mwan-done");
    expect(asked).toContain(CABLE.name);
    expect(await page.textContent(".mwan-done")).toContain("Started");
    await rig.switchedTo(CABLE.name, before, 15_000);
    expect(rig.heldProfile()).toBe(CABLE.name);
    expect(rig.history().at(-1)?.reason).toMatch(/^operator/);
    // The page refreshes itself (a meta refresh to a GET) until it shows it.
    await page.locator("#mwan-active", { hasText: `${CABLE.name} (backup)` }).waitFor({ timeout: 15_000 });
    expect(await page.textContent("#main_inner")).toContain("Held by the admin");
    expect(new URL(page.url()).search).toBe("");
    expect(errors).toEqual([]);
  }, 40_000);

  test("a POST without a valid token, or from another site, is refused and changes nothing", async () => {
    await page.goto(url());
    const token = await page.getAttribute("input[name=TOKEN]", "value");
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const post = (body: string, referer = url()) =>
      fetch(url(), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Referer: referer },
        body,
      }).then((r) => r.text());
    const n = rig.history().length;
    const forged = "0".repeat(64);
    expect(await post(`ACTION=failback&TOKEN=${forged}`)).toContain("the page&#39;s token is not valid");
    expect(await post("ACTION=resume")).toContain("Refused:</strong> no valid token");
    // IPFire's own check: a form posted from a page of another host.
    expect(await post(`ACTION=failback&TOKEN=${token}`, "http://198.51.100.7/x")).toContain(
      "not a request this page makes",
    );
    await Bun.sleep(500);
    expect(rig.history()).toHaveLength(n);
    expect(rig.snapshot()).toMatchObject({ active: CABLE.name, hold: true });
    expect(rig.heldProfile()).toBe(CABLE.name);
  });

  test("the socket is root's and the web server group's: another uid's connection is refused", async () => {
    const sock = rig.path("var/run/mwan/control.sock");
    const st = lstatSync(sock);
    expect(st.isSocket()).toBe(true);
    expect({ mode: st.mode & 0o777, uid: st.uid, gid: st.gid }).toEqual({ mode: 0o660, uid: 0, gid: 65534 });
    const connect = (uid: string, gid: string) =>
      Bun.spawn(
        [
          ...["setpriv", `--reuid=${uid}`, `--regid=${gid}`, "--clear-groups"],
          ...["perl", "-MIO::Socket::UNIX", "-e", CONNECT, sock],
        ],
        { stdout: "pipe", stderr: "pipe" },
      );
    const other = connect("1000", "1000");
    expect(await other.exited).toBe(2);
    expect(await new Response(other.stderr).text()).toContain("Permission denied");
    const web = connect("nobody", "nogroup");
    expect(await web.exited).toBe(0);
    expect(JSON.parse(await new Response(web.stdout).text())).toMatchObject({ ok: true });
  });

  test("with the daemon stopped the page says so, in the admin's language", async () => {
    await rig.ok("daemon", "stop");
    await page.goto(url());
    expect(await page.textContent("section.is-box h2.title")).toBe("The mwan daemon is not running");
    await Bun.write(join(rig.root, "var/ipfire/main/settings"), "LANGUAGE=de\n");
    await page.goto(url());
    expect(await page.textContent("section.is-box h2.title")).toBe("Der mwan-Dienst läuft nicht");
    expect(errors).toEqual([]);
    expect(apache.errorLog()).not.toMatch(/AH01215|error/i);
  });
});

// Connects as whoever runs it: exit 2 when the connection is refused.
const CONNECT = `my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or do { print STDERR "$!\\n"; exit 2 };
print $s qq({"request":"token"}\\n); print scalar <$s>;`;
