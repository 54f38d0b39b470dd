// Browser test of the open-data page against `duban serve --demo` (see run.mjs): at 390 px the
// page has no horizontal scroll outside its tables, every download link of the whole store is
// there, and a download answers 200 with the dataset's header line.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { shot, startBrowser, startServer } from "./run.mjs";

describe("open data in a browser", () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await startBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("the open-data page works at 390 px and its downloads answer", async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/open-data`);
    assert.equal(await page.textContent("h1"), "开放数据");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
    const links = await page.$$eval("#downloads details[open] a[href^='/open-data/']", (as) =>
      as.map((a) => a.getAttribute("href")),
    );
    assert.equal(links.length, 24, `six tables × four formats: ${links.length}`);
    await shot(page, "40-open-data-390");
    const res = await fetch(`${server.url}/open-data/commitments.csv`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(text.split("\r\n")[0].includes("commitment_id,commitment_key"), text.slice(0, 80));
    const api = await fetch(`${server.url}/api/v1/open/commitments?per_page=2`);
    assert.equal(api.status, 200);
    const body = await api.json();
    assert.equal(body.items.length, 2);
    assert.ok(body.total > 2);
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.isVisible("header.topbar nav"), false, "print hides the navigation");
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 1360, height: 900 });
  });
});
