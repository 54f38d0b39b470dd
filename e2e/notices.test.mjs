// A supervision notice to the end in a browser, against `duban serve --demo` (see run.mjs): the
// office issues a notice on a task of 市农业农村局, the department answers with an attachment,
// the office returns it with a reason, the department sees the reason and answers again, the
// office closes it; the notice page keeps the whole history. Screenshots go to
// target/e2e/notices-*.png, one of them at a phone's width (390 px).

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { login, shot, startBrowser, startServer } from "./run.mjs";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
const OFFICE = "duchashi";
const DEPARTMENT = "nyncj";

describe("a notice returned and closed", () => {
  let server;
  let browser;
  let page;
  let base;

  before(async () => {
    server = await startServer();
    browser = await startBrowser();
    page = browser.page;
    base = server.url;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const as = (user) => login(page, base, user, server.accounts[user]);
  const submit = (selector) =>
    Promise.all([page.waitForNavigation(), page.click(`${selector} button[type=submit]`)]);

  test("issue, answer with a file, return with a reason, answer again, close", async () => {
    // A task the department leads.
    await as(DEPARTMENT);
    const uid = await page.evaluate(() => {
      for (const row of document.querySelectorAll("#task-table tr[data-uid]")) {
        if (row.querySelector("a[href$='/progress'], form[action$='/sign-off']")) return row.dataset.uid;
      }
      return null;
    });
    assert.ok(uid, "the department leads a task");

    // The office issues a notice from the task page.
    await as(OFFICE);
    await page.goto(`${base}/commitments/${uid}`);
    const due = await page.getAttribute("#due", "min");
    await page.fill("#due", due);
    const message = "请报告本任务的最新进展，并附相关材料。";
    await page.fill("#message", message);
    await submit("#notice-form");
    const id = page.url().match(/\/notices\/(\d+)/)?.[1];
    assert.ok(id, `the notice page after issuing: ${page.url()}`);
    assert.match(await page.textContent("#notice-state"), /待答复/);
    await shot(page, "notices-01-issued");

    // The department answers with an attachment.
    await as(DEPARTMENT);
    await page.goto(`${base}/notices`);
    const card = page.locator(`#notice-${id}`);
    assert.match(await card.textContent(), /最新进展/);
    await Promise.all([page.waitForNavigation(), card.locator("a.button").click()]);
    await page.fill("#answer", "已完成主体工程，验收材料见附件。");
    await page.setInputFiles("#evidence", { name: "验收材料.pdf", mimeType: "application/pdf", buffer: PDF });
    await shot(page, "notices-02-answer-form");
    await submit("#answer-form");
    assert.match(await page.textContent(".flash.ok"), /答复已提交/);
    assert.match(await page.textContent("#history"), /验收材料\.pdf/);

    // The office returns it with a reason.
    await as(OFFICE);
    await page.goto(`${base}/notices/${id}`);
    assert.match(await page.textContent("#notice-state"), /已答复/);
    const file = await page.getAttribute("#history a[href^='/evidence/']", "href");
    const served = await page.request.get(`${base}${file}`);
    assert.equal(served.status(), 200, "the office opens the attachment");
    await page.fill("#reason", "请补充验收单位的签章页。");
    await shot(page, "notices-03-return-form");
    await submit("#return-form");
    assert.match(await page.textContent(".flash.ok"), /已退回/);
    assert.match(await page.textContent("#notice-state"), /已退回/);

    // The department sees it to answer again, with the reason, and answers again.
    await as(DEPARTMENT);
    await page.goto(`${base}/notices`);
    const returned = page.locator(`#notice-${id}`);
    assert.match(await returned.textContent(), /请补充验收单位的签章页/);
    await shot(page, "notices-04-returned-list");
    await Promise.all([page.waitForNavigation(), returned.locator("a.button").click()]);
    await page.fill("#answer", "已补充签章页。");
    await submit("#answer-form");
    assert.match(await page.textContent("#notice-state"), /已答复/);

    // The office closes it; the history keeps both answers and the return.
    await as(OFFICE);
    await page.goto(`${base}/notices/${id}`);
    await submit("#close-form");
    assert.match(await page.textContent("#notice-state"), /已办结/);
    const history = await page.textContent("#history");
    assert.match(history, /第 1 次答复[\s\S]*验收材料\.pdf[\s\S]*请补充验收单位的签章页[\s\S]*第 2 次答复[\s\S]*已补充签章页/);
    assert.equal(await page.locator("#close-form").count(), 0, "nothing left to do");
    await shot(page, "notices-05-closed");
    await page.goto(`${base}/supervisor/notices`);
    assert.match(await page.textContent(`#notice-${id}`), /已办结/);
    await shot(page, "notices-06-office-list");

    // At a phone's width.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/notices/${id}`);
    await shot(page, "notices-07-phone");
    await page.setViewportSize({ width: 1360, height: 900 });
  });
});
