// Browser tests of duban's pages against `duban serve --demo` (see run.mjs): a department
// reports progress and the dashboard and the commitment's colour follow; the supervision office
// imports a decomposition table and issues a notice that the department answers; the public
// reader shows the commitments highlighted. Screenshots of each page go to target/e2e/.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { join } from "node:path";
import { ROOT, login, shot, startBrowser, startServer } from "./run.mjs";

const GREEN = ["done", "ahead", "on_track"];
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

describe("duban pages in a browser", () => {
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
    await page.goto(`${base}/`);
    reportPath = await page.getAttribute("a.button[href^='/reports/']", "href");
    assert.ok(reportPath, "the portal links a report");
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function doneCount() {
    await page.goto(`${base}${reportPath}/dashboard`);
    await page.waitForSelector("html[data-charts]");
    return Number(await page.textContent(".tile[data-status='done'] .n"));
  }

  test("a department reports progress; the dashboard count and the commitment's colour change", async () => {
    const before = await doneCount();
    await shot(page, "01-dashboard-before");

    const user = "nyncj";
    assert.ok(server.accounts[user], `demo account ${user}`);
    await page.context().clearCookies();
    await page.goto(`${base}/login`);
    await shot(page, "02-login");
    await login(page, base, user, server.accounts[user]);
    assert.match(page.url(), /\/tasks$/);
    await shot(page, "03-my-tasks");

    // The most urgent task that is not green and that this department leads.
    const uid = await page.evaluate((green) => {
      for (const row of document.querySelectorAll("#task-table tr[data-uid]")) {
        const status = row.querySelector("[data-status]").dataset.status;
        const leads = row.querySelector("a[href$='/progress'], form[action$='/sign-off']");
        if (leads && !green.includes(status)) return row.dataset.uid;
      }
      return null;
    }, GREEN);
    assert.ok(uid, "a task to report on");
    const signOff = page.locator(`form[action='/tasks/${uid}/sign-off'] button`);
    if ((await signOff.count()) > 0) {
      await Promise.all([page.waitForNavigation(), signOff.click()]);
      assert.match(await page.textContent(".flash.ok"), /已签收/);
    }

    await page.goto(`${base}/commitments/${uid}`);
    const statusBefore = await page.getAttribute("#status", "data-status");
    const colourBefore = await page.$eval("#status", (e) => getComputedStyle(e).backgroundColor);
    assert.ok(!GREEN.includes(statusBefore));

    await page.goto(`${base}/tasks/${uid}/progress`);
    const fill = async () => {
      for (const input of await page.$$("input[name^='value_']")) {
        await input.fill(await input.getAttribute("data-goal"));
      }
      if ((await page.$("#percent")) !== null) await page.fill("#percent", "100");
      if ((await page.$("#stage")) !== null) await page.selectOption("#stage", "completed");
      await page.fill("#narrative", "已全面完成年度任务，验收材料附后。");
      await page.setInputFiles("#evidence", { name: "验收报告.pdf", mimeType: "application/pdf", buffer: PDF });
    };
    await fill();
    await shot(page, "04-progress-form");
    await Promise.all([page.waitForNavigation(), page.click("#preview-button")]);
    assert.equal(await page.getAttribute("#preview", "data-status"), "done");
    await shot(page, "05-progress-preview");
    await fill();
    await Promise.all([page.waitForNavigation(), page.click("#save-button")]);

    assert.match(page.url(), new RegExp(`/commitments/${uid}`));
    assert.equal(await page.getAttribute("#status", "data-status"), "done");
    const colourAfter = await page.$eval("#status", (e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(colourAfter, colourBefore, "the commitment's colour changed");
    assert.match(await page.textContent("#timeline"), /验收报告\.pdf/);
    await shot(page, "06-commitment-after");

    assert.equal(await doneCount(), before + 1, "one more task done on the dashboard");
    await shot(page, "07-dashboard-after");
  });

  test("the supervisor imports a decomposition table and issues a notice; the department answers", async () => {
    await login(page, base, "duchashi", server.accounts.duchashi);
    assert.match(page.url(), /\/supervisor$/);
    await shot(page, "08-supervisor");

    await page.goto(`${base}/supervisor/import`);
    await page.setInputFiles("#file", join(ROOT, "e2e", "fixtures", "decomposition.xlsx"));
    await Promise.all([page.waitForNavigation(), page.click("#import-form button[type=submit]")]);
    assert.match(await page.textContent("#import-result"), /已导入 3 项/);
    await shot(page, "09-import-result");

    // The first row: 建成苏州现代农产品物流园交易市场, led by 市农业农村局.
    const href = await page.getAttribute("#import-report tbody tr:first-child a", "href");
    await page.goto(`${base}${href}`);
    assert.match(await page.textContent("#lead"), /市农业农村局/);
    const message = "请于10月15日前报告物流园交易市场建设进度及存在的困难。";
    await page.fill("#due", "2020-10-15");
    await page.fill("#message", message);
    await shot(page, "10-issue-notice");
    await Promise.all([page.waitForNavigation(), page.click("#notice-form button[type=submit]")]);
    assert.match(await page.textContent("main"), /物流园交易市场建设进度/);
    await shot(page, "11-notices-issued");

    await login(page, base, "nyncj", server.accounts.nyncj);
    await page.goto(`${base}/notices`);
    const card = page.locator("section.notice", { hasText: message });
    await Promise.all([page.waitForNavigation(), card.locator("a.button").click()]);
    await page.fill("#answer", "交易市场主体已完工，正在进行设备安装，预计11月投用。");
    await shot(page, "12-answer-notice");
    await Promise.all([page.waitForNavigation(), page.click("#answer-form button[type=submit]")]);
    assert.match(await page.textContent(".flash.ok"), /答复已提交/);

    await login(page, base, "duchashi", server.accounts.duchashi);
    await page.goto(`${base}/supervisor/notices`);
    const row = page.locator("#notice-table tr", { hasText: "物流园交易市场建设进度" });
    assert.match(await row.textContent(), /已答复/);
    assert.match(await row.textContent(), /预计11月投用/);
    await shot(page, "13-notices-answered");

    await page.goto(`${base}/supervisor/bulletin`);
    assert.match(await page.textContent("#bulletin"), /督查通报/);
    await shot(page, "14-bulletin");
  });

  test("the public reader shows the commitments highlighted in place", async () => {
    await page.context().clearCookies();
    await page.goto(`${base}${reportPath}`);
    const marks = await page.$$eval("#report-text a.cm", (as) =>
      as.map((a) => ({ status: a.dataset.status, bg: getComputedStyle(a).backgroundColor })),
    );
    assert.ok(marks.length >= 50, `${marks.length} highlighted commitments`);
    const statuses = new Set(marks.map((m) => m.status));
    assert.ok(statuses.size >= 3, `several statuses: ${[...statuses]}`);
    assert.ok(marks.every((m) => m.bg !== "rgba(0, 0, 0, 0)"), "every commitment has a colour");
    assert.ok(new Set(marks.map((m) => m.bg)).size >= 3, "coloured by status");
    await shot(page, "15-reader");

    await page.click(".toc a >> nth=1");
    await page.goto(`${base}/`);
    await shot(page, "16-portal");
    await page.goto(`${base}/search?q=${encodeURIComponent("养老")}`);
    assert.ok((await page.$$("#search-results mark")).length > 0);
    await shot(page, "17-search");
  });
});
