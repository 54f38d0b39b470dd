// The pages on a phone (390 × 844) against `duban serve --demo` (see run.mjs): the portal, the
// reader, the dashboard, a department's task list, the supervisor's overview and the bulletin,
// the rounds, notices, drafts and the administrator's pages
// have no horizontal overflow, a header of at most two lines, and tables shown as labelled
// cards; printed, the bulletin shows no menu, buttons or forms and black text. Screenshots go
// to target/e2e/phone-*.png.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { login, shot, startBrowser, startServer } from "./run.mjs";

const WIDTH = 390;
const HEIGHT = 844;

describe("duban on a phone", () => {
  let server;
  let browser;
  let page;
  let base;
  let reportPath;

  before(async () => {
    server = await startServer();
    browser = await startBrowser();
    page = browser.page;
    base = server.url;
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
    await page.goto(`${base}/`);
    reportPath = await page.getAttribute("a.button[href^='/reports/']", "href");
    assert.ok(reportPath, "the portal links a report");
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens a page at phone width and checks overflow, the header and the card tables. */
  async function check(path, name) {
    await page.goto(`${base}${path}`);
    await page.waitForLoadState("load");
    if (await page.$("#chart-data")) await page.waitForSelector("html[data-charts]");
    const m = await page.evaluate(() => {
      const header = document.querySelector("header.topbar").getBoundingClientRect();
      const links = [...document.querySelectorAll("header.topbar nav a")].map(
        (a) => a.getBoundingClientRect().height,
      );
      const wide = [...document.querySelectorAll("main *")]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((e) => !e.closest("header nav, .chart, details:not([open])"))
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      const tables = [...document.querySelectorAll("table[data-cards]")];
      const visible = tables.filter((t) => t.getClientRects().length > 0);
      return {
        scrollWidth: document.documentElement.scrollWidth,
        header: header.height,
        lineHeight: parseFloat(getComputedStyle(document.querySelector(".brand")).lineHeight),
        tallestLink: Math.max(0, ...links),
        wide,
        tables: visible.length,
        headsShown: visible.filter((t) => {
          const head = t.querySelector("thead");
          return head && getComputedStyle(head).display !== "none";
        }).length,
        labels: visible.map((t) => {
          const cell = t.querySelector("td[data-label]");
          return cell ? getComputedStyle(cell, "::before").content : "none";
        }),
      };
    });
    await shot(page, `phone-${name}`);
    assert.ok(
      m.scrollWidth <= WIDTH,
      `${path}: the page is ${m.scrollWidth} px wide (${m.wide.join(", ")})`,
    );
    assert.ok(m.header <= 100, `${path}: the header is ${m.header} px tall`);
    assert.ok(
      m.tallestLink <= 2 * m.lineHeight,
      `${path}: a menu link is ${m.tallestLink} px tall (one character a line?)`,
    );
    assert.equal(m.headsShown, 0, `${path}: a card table still shows its header row`);
    for (const label of m.labels) {
      assert.ok(label !== "none" && label !== "normal", `${path}: a cell without its label`);
    }
    return m;
  }

  /** What shows in print media: menu, buttons and forms, the content, its text colour. */
  function printedView(content) {
    return page.evaluate((sel) => {
      const shown = (q) =>
        [...document.querySelectorAll(q)].filter((e) => e.getClientRects().length > 0).length;
      const node = document.querySelector(sel);
      return {
        nav: shown("header nav, header.topbar"),
        buttons: shown("button, .button, form, input, select"),
        content: node && node.getClientRects().length > 0 ? 1 : 0,
        colour: node ? getComputedStyle(node).color : "",
        office: document.querySelector("#bulletin-office")?.textContent ?? "",
      };
    }, content);
  }

  test("public pages: portal, reader, dashboard", async () => {
    await check("/", "portal");
    await check(reportPath, "reader");
    const dashboard = await check(`${reportPath}/dashboard`, "dashboard");
    assert.ok(dashboard.tables >= 1, "the dashboard's lagging tasks as cards");
  });

  test("a department's task list", async () => {
    const user = "nyncj";
    await login(page, base, user, server.accounts[user]);
    const tasks = await check("/tasks", "tasks");
    assert.ok(tasks.tables >= 1, "the task list as cards");

    // A task's page on the phone, and printed: the text, no menu, buttons or forms.
    const href = await page.getAttribute("#task-table a[href^='/commitments/']", "href");
    assert.ok(href, "the task list links a task");
    await check(href, "task");
    await page.emulateMedia({ media: "print" });
    const printed = await printedView("main .quote");
    await shot(page, "phone-task-print");
    await page.emulateMedia({ media: "screen" });
    assert.equal(printed.nav, 0, "the menu prints");
    assert.equal(printed.buttons, 0, "buttons or forms print");
    assert.equal(printed.content, 1, "the task's text does not print");
    assert.equal(printed.colour, "rgb(0, 0, 0)");
  });

  test("the supervisor's overview and bulletin, on screen and printed", async () => {
    const user = "duchashi";
    await login(page, base, user, server.accounts[user]);
    const overview = await check("/supervisor", "supervisor");
    assert.ok(overview.tables >= 1, "the overview's tables as cards");
    await check("/supervisor/bulletin", "bulletin");

    await page.emulateMedia({ media: "print" });
    const printed = await printedView("#bulletin p");
    await shot(page, "phone-bulletin-print");
    await page.emulateMedia({ media: "screen" });
    assert.equal(printed.nav, 0, "the menu prints");
    assert.equal(printed.buttons, 0, "buttons or forms print");
    assert.equal(printed.content, 1, "the bulletin does not print");
    assert.equal(printed.colour, "rgb(0, 0, 0)");
    assert.match(printed.office, /苏州市人民政府督查室/);
  });

  test("the office's rounds, notices and the administrator's pages", async () => {
    const office = "duchashi";
    await login(page, base, office, server.accounts[office]);
    await check("/supervisor/rounds", "rounds");
    await check("/supervisor/notices", "notices");
    const notice = await page.getAttribute("main a[href^='/notices/']", "href");
    assert.ok(notice, "the office's notice list links a notice");
    await check(notice, "notice");
    const drafts = await check("/drafts", "drafts");
    assert.ok(drafts.scrollWidth <= WIDTH);

    const admin = "admin";
    await login(page, base, admin, server.accounts[admin]);
    const home = await check("/admin", "admin");
    assert.ok(home.tables >= 1, "the administrator's user list as cards");
    const user = await page.getAttribute("a[href^='/admin/users/']", "href");
    assert.ok(user, "the user list links a user's page");
    await check(user, "admin-user");
    const department = await page.goto(`${base}/admin`).then(() =>
      page.getAttribute("a[href^='/admin/departments/']", "href"),
    );
    assert.ok(department, "the department list links a department's page");
    await check(department, "admin-department");
  });
});
