// Browser test of a new report's path (see run.mjs): the supervision office uploads a report,
// sees it as a draft that an anonymous visitor cannot see, corrects a target, deletes a false
// one, adds one from a text selection, publishes, and the portal shows it with the corrections;
// the draft page's correction log lists each one. Bad input on each step answers with a zh-CN
// message and changes nothing. Screenshots go to target/e2e/ (drafts-*.png).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ROOT, login, shot, startBrowser, startServer } from "./run.mjs";

// The demo's made-up 2021 draft, retitled 2022 so that it is a new report.
const REPORT = readFileSync(join(ROOT, "testdata", "demo", "suzhou-2021-draft.txt"), "utf8")
  .replaceAll("2021年苏州市政府工作报告", "2022年苏州市政府工作报告")
  .replaceAll("2021年1月", "2022年1月")
  .replaceAll("2021年工作安排", "2022年工作安排");
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const INCOME = "居民人均可支配收入增长与经济增长基本同步";

describe("a new report: upload, correct, publish", () => {
  let server;
  let browser;
  let page;
  let base;
  let draftPath;

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

  async function commitmentCount() {
    return page.locator("#list .commitment").count();
  }

  async function logRows() {
    return page.locator("#corrections tbody tr").count();
  }

  test("the supervisor uploads a report; bad files are refused by name", async () => {
    await login(page, base, "duchashi", server.accounts.duchashi);
    await page.goto(`${base}/drafts`);
    // The demo ships an unpublished draft already.
    const before = await page.locator("#draft-list tbody tr").count();
    assert.ok(before >= 1, "the demo's draft is listed");
    await shot(page, "drafts-01-list");

    await page.setInputFiles("#files", { name: "scan.png", mimeType: "image/png", buffer: PNG });
    await Promise.all([page.waitForNavigation(), page.click("#upload-form button[type=submit]")]);
    assert.match(await page.textContent("#upload-error"), /scan\.png/);
    assert.equal(await page.locator("#draft-list tbody tr").count(), before);

    // A text file that is no report: named, nothing stored.
    await page.setInputFiles("#files", {
      name: "会议通知.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("今天天气很好，我们下午三点在三楼会议室开会。"),
    });
    await Promise.all([page.waitForNavigation(), page.click("#upload-form button[type=submit]")]);
    assert.match(await page.textContent("#upload-error"), /会议通知\.txt.*看不出是政府工作报告/);
    assert.equal(await page.locator("#draft-list tbody tr").count(), before);
    await shot(page, "drafts-01b-not-a-report");

    await page.setInputFiles("#files", {
      name: "2022年苏州市政府工作报告.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(REPORT),
    });
    await Promise.all([page.waitForNavigation(), page.click("#upload-form button[type=submit]")]);
    assert.match(page.url(), /\/drafts\/\d+/);
    draftPath = new URL(page.url()).pathname;
    assert.match(await page.textContent("#draft-state"), /草稿/);
    assert.match(await page.textContent("#draft-notice"), /已导入为草稿/);
    assert.ok((await commitmentCount()) > 5);
    assert.ok((await page.locator("#report-text mark.cm").count()) > 5, "commitments highlighted");
    assert.ok((await page.locator("#report-text mark.tg").count()) > 3, "targets highlighted");
    await shot(page, "drafts-02-draft");

    // The same report again is refused by its title.
    await page.goto(`${base}/drafts`);
    await page.setInputFiles("#files", {
      name: "again.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(REPORT),
    });
    await Promise.all([page.waitForNavigation(), page.click("#upload-form button[type=submit]")]);
    assert.match(await page.textContent("#upload-error"), /2022年苏州市政府工作报告/);
  });

  test("an anonymous visitor does not see the draft", async () => {
    const id = draftPath.split("/").pop();
    const response = await fetch(`${base}/reports/${id}`);
    assert.equal(response.status, 404);
    const portal = await (await fetch(`${base}/`)).text();
    assert.ok(!portal.includes(`/reports/${id}`), "the portal does not link the draft");
    const drafts = await fetch(`${base}/drafts`, { redirect: "manual" });
    assert.equal(drafts.status, 303);
  });

  test("the supervisor corrects a target, deletes a false one, adds one from a selection", async () => {
    await page.goto(`${base}${draftPath}`);
    const jobs = page.locator("form.target", { has: page.locator("input[name=indicator][value*='就业']") }).first();
    // A value that is not a number: named, nothing changed.
    await jobs.locator("input[name=value]").fill("很多");
    await Promise.all([page.waitForNavigation(), jobs.locator("button[value=edit_target]").click()]);
    assert.match(await page.textContent("#draft-error"), /数值/);
    assert.equal(await logRows(), 0);

    const jobs2 = page.locator("form.target", { has: page.locator("input[name=indicator][value*='就业']") }).first();
    await jobs2.locator("input[name=value]").fill("16万");
    await jobs2.locator("select[name=cmp]").selectOption("ge");
    await Promise.all([page.waitForNavigation(), jobs2.locator("button[value=edit_target]").click()]);
    assert.match(await page.textContent("#draft-notice"), /已更正/);
    assert.equal(await logRows(), 1);

    const lift = page.locator("form.target", { has: page.locator("input[name=indicator][value*='电梯']") }).first();
    await Promise.all([page.waitForNavigation(), lift.locator("button[value=delete_target]").click()]);
    assert.equal(await page.locator("input[name=indicator][value*='电梯']").count(), 0);
    assert.equal(await logRows(), 2);

    // An empty selection: named, nothing changed.
    await page.fill("#sel-start", "");
    await page.fill("#sel-end", "");
    await Promise.all([page.waitForNavigation(), page.click("#add-target")]);
    assert.match(await page.textContent("#draft-error"), /所选文字为空/);
    assert.equal(await logRows(), 2);

    // A span outside the text (typed into the number fields): named, nothing changed.
    await page.fill("#sel-start", "900000");
    await page.fill("#sel-end", "900010");
    await page.fill("#sel-indicator", "指标");
    await page.fill("#sel-value", "1");
    await Promise.all([page.waitForNavigation(), page.click("#add-commitment")]);
    assert.match(await page.textContent("#draft-error"), /超出报告全文/);
    assert.equal(await logRows(), 2);
    await shot(page, "drafts-02b-span-outside");

    // Select the income clause with the mouse's API and add it as a target.
    const select = async () => {
      await page.evaluate((needle) => {
        const text = document.getElementById("report-text");
        const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
          const at = node.data.indexOf(needle);
          if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + needle.length);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            return;
          }
        }
        throw new Error("clause not found in one run");
      }, INCOME);
      await page.waitForFunction(() => document.getElementById("sel-end").value !== "");
    };
    await select();
    assert.equal(await page.textContent("#selection-text"), INCOME);
    await page.fill("#sel-indicator", "居民人均可支配收入增长");
    await page.fill("#sel-value", "6");
    await page.fill("#sel-unit", "%");
    await page.selectOption("#sel-cmp", "approx");
    await Promise.all([page.waitForNavigation(), page.click("#add-target")]);
    if (await page.locator("#draft-error").count()) {
      // Not inside a commitment yet: add the sentence as a commitment first, then the target.
      assert.match(await page.textContent("#draft-error"), /请先把这句添加为任务/);
      await select();
      await Promise.all([page.waitForNavigation(), page.click("#add-commitment")]);
      assert.match(await page.textContent("#draft-notice"), /已更正/);
      await select();
      await page.fill("#sel-indicator", "居民人均可支配收入增长");
      await page.fill("#sel-value", "6");
      await page.fill("#sel-unit", "%");
      await page.selectOption("#sel-cmp", "approx");
      await Promise.all([page.waitForNavigation(), page.click("#add-target")]);
    }
    assert.match(await page.textContent("#draft-notice"), /已更正/);
    assert.equal(await page.locator("input[name=indicator][value='居民人均可支配收入增长']").count(), 1);
    // The correction log: one row per correction made (the refused ones left none), each with
    // when, who and what.
    const rows = await logRows();
    const added = (await page.locator("#corrections tbody tr", { hasText: "添加任务" }).count());
    assert.equal(rows, 3 + added);
    for (const label of ["修改指标", "删除指标", "添加指标"]) {
      assert.equal(await page.locator("#corrections tbody tr", { hasText: label }).count(), 1, label);
    }
    for (const row of await page.locator("#corrections tbody tr").all()) {
      const cells = await row.locator("td").allTextContents();
      assert.match(cells[0], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, "when");
      assert.equal(cells[1].trim(), "duchashi", "who");
    }
    await shot(page, "drafts-03-corrected");
  });

  test("the supervisor publishes once; the portal shows the corrections", async () => {
    await page.goto(`${base}${draftPath}`);
    const csrf = await page.getAttribute("#publish-form input[name=_csrf]", "value");
    await Promise.all([page.waitForNavigation(), page.click("#publish")]);
    assert.match(await page.textContent("#draft-state"), /已发布/);
    assert.match(await page.textContent("#draft-notice"), /已发布/);
    await shot(page, "drafts-04-published");

    // Publishing twice: refused with a message, nothing changed.
    const again = await page.evaluate(
      async ([path, token]) => {
        const r = await fetch(`${path}/publish`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: `_csrf=${encodeURIComponent(token)}`,
        });
        return { status: r.status, text: await r.text() };
      },
      [draftPath, csrf],
    );
    assert.equal(again.status, 409);
    assert.match(again.text, /无需再次发布/);

    const id = draftPath.split("/").pop();
    const portal = await (await fetch(`${base}/`)).text();
    assert.ok(portal.includes(`/reports/${id}`), "the portal links the new report");
    const reader = await fetch(`${base}/reports/${id}`);
    assert.equal(reader.status, 200);
    const report = await (await fetch(`${base}/api/v1/reports/${id}`)).json();
    const targets = report.commitments.flatMap((c) => c.targets);
    assert.ok(targets.some((t) => t.indicator.includes("就业") && t.value === "160000" && t.cmp === "ge"));
    assert.ok(!targets.some((t) => t.indicator.includes("电梯")));
    assert.ok(targets.some((t) => t.indicator === "居民人均可支配收入增长"));
    await page.context().clearCookies();
    await page.goto(`${base}/reports/${id}`);
    await shot(page, "drafts-05-public-reader");
  });
});
