// The browser-test harness: starts `duban serve --demo` on a fresh SQLite file and a free
// loopback port, waits for /healthz, reads the demo passwords the server prints once, and
// launches Debian's chromium (never a downloaded browser) through playwright-core with a fresh
// profile. The tests themselves are in *.test.mjs beside this file (`node --test e2e/`).
//
// Environment: DUBAN_BIN overrides the server binary (default target/debug/duban, built with
// `cargo build -p duban` when missing); CHROMIUM overrides the browser path.

import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

/** The repository root. */
export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Where screenshots go. */
export const SHOTS = join(ROOT, "target", "e2e");

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function serverBinary() {
  const bin = process.env.DUBAN_BIN || join(ROOT, "target", "debug", "duban");
  if (!existsSync(bin)) {
    execFileSync("cargo", ["build", "--quiet", "-p", "duban"], { cwd: ROOT, stdio: "inherit" });
  }
  return bin;
}

function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("chromium not found: install Debian's chromium (apt-get install -y chromium)");
  }
}

/**
 * Starts the demo server. Resolves to { url, accounts, stop } once /healthz answers; `accounts`
 * maps each demo login to its password. `args` are more flags for `duban serve` (the 催办
 * channels: `--smtp`, `--mail-from`, `--webhook`, `--remind-days`, `--reminder-tick-ms`).
 */
export async function startServer({ args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "duban-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    serverBinary(),
    ["serve", "--demo", "--database", `sqlite:${join(dir, "e2e.db")}`, "--addr", `127.0.0.1:${port}`, ...args],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  let exited = null;
  child.on("exit", (code) => (exited = code));

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== null) throw new Error(`duban serve exited with ${exited}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`duban serve did not answer /healthz within 90 s:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const accounts = {};
  const lines = output.split("\n");
  const start = lines.findIndex((l) => l.includes("demo accounts"));
  for (const line of start >= 0 ? lines.slice(start + 1) : []) {
    const m = line.match(/^\s+(\S+)\s+(\S+)\s+\S+/);
    if (!m) break;
    accounts[m[1]] = m[2];
  }
  if (Object.keys(accounts).length === 0) {
    throw new Error(`no demo accounts in the server's output:\n${output}`);
  }

  const stop = async () => {
    if (exited === null) {
      child.kill("SIGTERM");
      await new Promise((r) => {
        const t = setTimeout(() => {
          child.kill("SIGKILL");
          r();
        }, 5000);
        child.once("exit", () => {
          clearTimeout(t);
          r();
        });
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, accounts, stop, output: () => output };
}

/** Launches headless chromium with a fresh profile. Resolves to { context, page, close }. */
export async function startBrowser() {
  const profile = mkdtempSync(join(tmpdir(), "duban-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 1360, height: 900 },
    locale: "zh-CN",
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

/** Saves a full-page screenshot as target/e2e/NAME.png. */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the login form (after signing out whoever was signed in). */
export async function login(page, base, user, password) {
  await page.context().clearCookies();
  await page.goto(`${base}/login`);
  await page.fill("#login", user);
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click("form.stack button[type=submit]")]);
}
