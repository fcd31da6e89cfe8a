// mwan's page on the virtual IPFire site (test/site): the same Apache,
// stand-in header.pl and headless Chromium as page.test.ts, but the daemon
// runs in the site's firewall namespace and a click on switch moves RED for
// real — IPFire's scripts, the real dhcpcd, the LAN behind NAT — and the
// page then shows it. The CGI reaches the daemon through its Unix socket,
// which is a file of the site's root, not of a network namespace.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { mwanBin } from "../helpers/run-bin.ts";
import { skipNetTests } from "../net/netns.ts";
import { BACKUP, PRIMARY, profileProblems, siteWithMwan, waitSettled } from "../site/scenario.ts";
import { ISP2, type Site } from "../site/site.ts";
import { Apache, CHROMIUM_ARGS, ipfireWeb } from "./web-rig.ts";

describe.skipIf(skipNetTests())("mwan's web page on the virtual site", () => {
  let site: Site;
  let apache: Apache;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    site = await siteWithMwan(mwanBin());
    // IPFire's web interface around the site's root; install again so the
    // page goes in, and a daemon start that finds uid.conf serves the socket.
    ipfireWeb(site.root);
    await site.mwanOk(["install"]);
    await site.mwanOk(["daemon", "restart"], 60_000);
    await waitSettled(site, PRIMARY, 30_000);
    apache = await Apache.start(site.root);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await apache?.stop();
    await site?.down();
  }, 60_000);

  test("a click on switch moves RED to the backup line, and the page then shows it", async () => {
    await page.goto(`${apache.url}/cgi-bin/mwan.cgi`);
    expect(await page.textContent("#mwan-active")).toContain(`${PRIMARY} (primary)`);
    // The standby line's health through its own NIC, as mwan status has it.
    const standby = page.locator(`tr[data-profile='${BACKUP}']`);
    for (let i = 0; i < 40 && !/from the side: up/.test((await standby.textContent()) ?? ""); i++) {
      await Bun.sleep(500);
      await page.reload();
    }
    expect(await standby.textContent()).toMatch(/from the side: up since .* \(\d+% loss, [\d.]+ ms\)/i);
    page.once("dialog", (d) => void d.accept());
    await page.click(`tr[data-profile='${BACKUP}'] input[type=submit]`);
    await page.waitForSelector(".mwan-done");
    await waitSettled(site, BACKUP, 40_000);
    // IPFire's files hold the whole backup profile, and the LAN is online through it.
    expect(profileProblems(site, ISP2)).toEqual([]);
    expect(await site.lanOnline()).toBe(true);
    await page.locator("#mwan-active", { hasText: `${BACKUP} (backup)` }).waitFor({ timeout: 40_000 });
    expect(errors).toEqual([]);
  }, 120_000);
});
