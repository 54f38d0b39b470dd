// A reporting round in a browser, with 催办 that reaches people (issue 10): the test starts a
// tiny SMTP receiver and a group-robot HTTP receiver on loopback, then `duban serve --demo`
// with those as its channels. The admin gives two liaisons an e-mail address (one of a
// department that will report, one of a department that will not), the supervision office
// opens the third quarter's round in the web, two departments report their missing tasks, the
// office clicks 一键催办: the mail reaches the missing department's liaison (and not the one
// who reported), the robot gets the JSON POST naming the missing department, and the round's
// page shows who is missing (未报送). Screenshots: target/e2e/round-*.png.

import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { login, shot, startBrowser, startServer } from "./run.mjs";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
const MISSING = { login: "wjw", name: "市卫生健康委", email: "wjw-liaison@e2e.example" };
const REPORTING = [
  { login: "fgw", name: "市发展改革委", email: "fgw-liaison@e2e.example" },
  { login: "jyj", name: "市教育局" },
];

/**
 * A minimal SMTP receiver (RFC 5321's plain dialogue: 220, EHLO/HELO 250, MAIL/RCPT 250,
 * DATA 354, "." 250, QUIT 221). Resolves to { port, mails, close }; each mail is
 * { from, to: [...], data }.
 */
function smtpReceiver() {
  const mails = [];
  const server = createTcpServer((socket) => {
    let buffer = "";
    let mail = { from: "", to: [], data: "" };
    let inData = false;
    socket.setEncoding("utf8");
    socket.write("220 e2e.example ESMTP test receiver\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            mails.push(mail);
            mail = { from: "", to: [], data: "" };
            socket.write("250 2.0.0 queued\r\n");
          } else {
            mail.data += (line.startsWith("..") ? line.slice(1) : line) + "\r\n";
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") socket.write("250 e2e.example\r\n");
        else if (verb === "MAIL") {
          mail.from = line.slice(5);
          socket.write("250 2.1.0 ok\r\n");
        } else if (verb === "RCPT") {
          mail.to.push(line.slice(line.indexOf(":") + 1).trim().replace(/^<|>$/g, ""));
          socket.write("250 2.1.5 ok\r\n");
        } else if (verb === "DATA") {
          inData = true;
          socket.write("354 end with <CRLF>.<CRLF>\r\n");
        } else if (verb === "QUIT") {
          socket.end("221 2.0.0 bye\r\n");
        } else socket.write("250 ok\r\n"); // RSET, NOOP
      }
    });
    socket.on("error", () => {});
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve({ port: server.address().port, mails, close: () => new Promise((r) => server.close(r)) }),
    );
  });
}

/** A group-robot receiver: every POST's path and JSON body. Resolves to { port, posts, close }. */
function robotReceiver() {
  const posts = [];
  const server = createHttpServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      let json = null;
      try {
        json = JSON.parse(body);
      } catch {
        // kept as null: the assertion names it
      }
      posts.push({ method: req.method, url: req.url, type: req.headers["content-type"], json });
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve({ port: server.address().port, posts, close: () => new Promise((r) => server.close(r)) }),
    );
  });
}

/** The text of a mail's body, decoded from base64 or quoted-printable when it says so. */
function mailText(data) {
  const split = data.indexOf("\r\n\r\n");
  const head = data.slice(0, split);
  const body = data.slice(split + 4);
  if (/content-transfer-encoding:\s*base64/i.test(head)) {
    return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body
      .replace(/=\r\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

async function until(what, check, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("a reporting round with 催办 by e-mail and robot", () => {
  let smtp;
  let robot;
  let server;
  let browser;
  let page;
  let base;

  before(async () => {
    smtp = await smtpReceiver();
    robot = await robotReceiver();
    server = await startServer({
      args: [
        "--smtp",
        `127.0.0.1:${smtp.port}`,
        "--mail-from",
        "duban@e2e.example",
        "--webhook",
        `http://127.0.0.1:${robot.port}/cgi-bin/webhook/send?key=e2e`,
        "--remind-days",
        "0",
        "--reminder-tick-ms",
        "200",
      ],
    });
    browser = await startBrowser();
    page = browser.page;
    base = server.url;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    await robot?.close();
  });

  /** The admin sets a liaison's e-mail address on the user's page. */
  async function setEmail(who) {
    await page.goto(`${base}/admin`);
    await Promise.all([
      page.waitForNavigation(),
      page.click(`#user-table a:text-is("${who.login}")`),
    ]);
    await page.fill("#email", who.email);
    await Promise.all([page.waitForNavigation(), page.click("#edit-user button[type=submit]")]);
    assert.match(await page.textContent(".flash.ok"), /已保存/);
    assert.equal(await page.inputValue("#email"), who.email);
    await shot(page, `round-admin-${who.login}`);
  }

  /** A department reports every task its 本期待填报 lists, through the progress form. */
  async function reportPending(who) {
    await login(page, base, who.login, server.accounts[who.login]);
    assert.match(page.url(), /\/tasks$/);
    const hrefs = await page.$$eval("#pending a", (links) => links.map((a) => a.getAttribute("href")));
    assert.ok(hrefs.length > 0, `${who.name} has tasks to report this round`);
    await shot(page, `round-pending-${who.login}`);
    for (const href of hrefs) {
      const uid = href.split("/")[2];
      await page.goto(`${base}/tasks`);
      const signOff = page.locator(`form[action='/tasks/${uid}/sign-off'] button`);
      if ((await signOff.count()) > 0) {
        await Promise.all([page.waitForNavigation(), signOff.click()]);
      }
      await page.goto(`${base}${href}`);
      for (const input of await page.$$("input[name^='value_']")) {
        await input.fill(await input.getAttribute("data-goal"));
      }
      if ((await page.$("#percent")) !== null) await page.fill("#percent", "100");
      if ((await page.$("#stage")) !== null) await page.selectOption("#stage", "completed");
      await page.fill("#narrative", "本季度任务已完成，材料附后。");
      await page.setInputFiles("#evidence", { name: "季度报告.pdf", mimeType: "application/pdf", buffer: PDF });
      await Promise.all([page.waitForNavigation(), page.click("#save-button")]);
      assert.match(page.url(), new RegExp(`/commitments/${uid}`), await page.content());
    }
    await page.goto(`${base}/tasks`);
    assert.equal(await page.$$eval("#pending a", (l) => l.length), 0, `${who.name} has nothing left`);
  }

  /** The round page's line of a department: [已报送, 未报送, 其中超期, 未签收] and whether it is marked. */
  async function departmentLine(name) {
    return page.evaluate((name) => {
      for (const row of document.querySelectorAll("#round-departments tbody tr")) {
        const cells = [...row.querySelectorAll("td")].map((td) => td.textContent.trim());
        if (cells[0] === name) return { counts: cells.slice(1).map(Number), missing: row.classList.contains("missing") };
      }
      return null;
    }, name);
  }

  test("open, two departments report, the missing one is reminded by e-mail and robot", async () => {
    await login(page, base, "admin", server.accounts.admin);
    await setEmail(MISSING);
    await setEmail(REPORTING[0]);

    // The office opens the third quarter's round.
    await login(page, base, "duchashi", server.accounts.duchashi);
    await page.goto(`${base}/supervisor/rounds`);
    await page.selectOption("#period", "quarterly");
    await page.fill("#as_of", "2020-09-30");
    await page.fill("#due", "2020-10-10");
    await shot(page, "round-open");
    await Promise.all([page.waitForNavigation(), page.click("#open-round button[type=submit]")]);
    let roundPath = new URL(page.url()).pathname;
    if (!/\/supervisor\/rounds\/\d+$/.test(roundPath)) {
      roundPath = await page.getAttribute("#round-table a", "href");
      await page.goto(`${base}${roundPath}`);
    }
    for (const who of [MISSING, ...REPORTING]) {
      const line = await departmentLine(who.name);
      assert.ok(line && line.counts[1] > 0 && line.missing, `${who.name} is missing before: ${JSON.stringify(line)}`);
    }
    await shot(page, "round-before");

    for (const who of REPORTING) await reportPending(who);

    await login(page, base, "duchashi", server.accounts.duchashi);
    await page.goto(`${base}${roundPath}`);
    for (const who of REPORTING) {
      const line = await departmentLine(who.name);
      assert.equal(line.counts[1], 0, `${who.name} reported`);
      assert.equal(line.missing, false);
    }
    const missing = await departmentLine(MISSING.name);
    assert.ok(missing.counts[1] > 0 && missing.missing, `${MISSING.name} is still missing`);
    assert.match(await page.textContent("#round-tasks"), /未报送/);
    await shot(page, "round-reported");

    // 一键催办.
    assert.equal(smtp.mails.length, 0);
    assert.equal(robot.posts.length, 0);
    await Promise.all([page.waitForNavigation(), page.click("#remind button[type=submit]")]);
    assert.match(page.url(), /queued=[1-9]/);
    await shot(page, "round-reminded");

    const mail = await until("the e-mail to the missing department", () =>
      smtp.mails.find((m) => m.to.includes(MISSING.email)),
    );
    assert.match(mail.from, /duban@e2e\.example/);
    const text = mailText(mail.data);
    assert.match(text, new RegExp(`${MISSING.name}：任务「`));
    assert.match(text, /尚未报送/);
    assert.match(mail.data, /Message-ID:/i);

    const post = await until("the robot's POST for the missing department", () =>
      robot.posts.find((p) => p.json?.text?.content?.includes(MISSING.name)),
    );
    assert.equal(post.method, "POST");
    assert.match(post.type, /application\/json/);
    assert.equal(post.url, "/cgi-bin/webhook/send?key=e2e");
    assert.equal(post.json.msgtype, "text");
    assert.match(post.json.text.content, /【催办】2020年第三季度进度尚未报送/);

    // Those who reported are not chased: give the sender a few more ticks, then look.
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(!smtp.mails.some((m) => m.to.includes(REPORTING[0].email)), "no mail to a department that reported");
    for (const who of REPORTING) {
      assert.ok(
        !robot.posts.some((p) => p.json?.text?.content?.includes(`${who.name}：`)),
        `no robot message about ${who.name}`,
      );
    }

    // The round's page still shows who is missing, the task page the reminder sent.
    await page.goto(`${base}${roundPath}`);
    const still = await departmentLine(MISSING.name);
    assert.ok(still.missing && still.counts[1] > 0);
    await page.click(`#round-departments a:text-is("${MISSING.name}")`);
    await page.waitForLoadState();
    assert.match(await page.textContent("#round-tasks"), /未报送/);
    await shot(page, "round-missing");
    const taskHref = await page.getAttribute("#round-tasks tbody tr:has-text('未报送') a", "href");
    await page.goto(`${base}${taskHref}`);
    const reminders = await page.textContent("#reminders");
    assert.match(reminders, /催办/);
    assert.match(reminders, new RegExp(MISSING.email.replace(/\./g, "\\.")));
    await shot(page, "round-task-reminders");
  });
});
