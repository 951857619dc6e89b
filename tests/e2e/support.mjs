// Shared set-up of the end-to-end tests: a real server on a free port with a fresh
// demo database, and the system Chromium driven by playwright-core (no browser download).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');
export const screenshotDir = join(root, 'target', 'e2e');
mkdirSync(screenshotDir, { recursive: true });

// `dist`: the built SPA to serve (a test may serve a copy that it changes).
export async function startServer({ dist = join(root, 'dist') } = {}) {
  const binary = process.env.MICROWISH_SERVER ?? join(root, 'target/debug/microwish-server');
  const dir = mkdtempSync(join(tmpdir(), 'microwish-e2e-'));
  const child = spawn(
    binary,
    ['serve', '--addr', '127.0.0.1:0', '--database', `sqlite://${dir}/e2e.db`, '--dist', dist, '--demo'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 30_000);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
  });
  return {
    url,
    stop() {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export function phoneContext(browser) {
  return browser.newContext({
    viewport: { width: 360, height: 800 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
}

// The demo's logins (printed by `microwish-server serve --demo`).
export const demo = {
  worker: { phone: '13800000001', password: 'xingyi-worker-2026', name: '网格长 李红' },
  donor: { phone: '13800000002', password: 'xingyi-donor-2026', name: '爱心人士 张先生' },
  volunteer: { phone: '13800000003', password: 'xingyi-volunteer-2026' },
  shop: { phone: '13800000004', password: 'xingyi-shop-2026', name: '大拇哥童鞋店 王荣亮' },
};

// Fills in and sends the login form the page shows.
export async function logIn(page, { phone, password }) {
  await page.locator('input[name=phone]').fill(phone);
  await page.locator('input[name=password]').fill(password);
  await page.locator('.auth-form__submit').click();
}
