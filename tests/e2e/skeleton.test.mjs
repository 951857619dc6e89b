// End-to-end: the real server with demo data, the release SPA, Chromium at phone size.
// Run by `make e2e` (node --test), which builds both first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phoneContext, screenshotDir, visit, appTookOver } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('a donor browses, filters to house calls and opens a wish', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  // A visitor's page logs no error at all (no 401 from asking who is signed in).
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));

  await visit(page, server.url);
  await page.locator('.wish-card').first().waitFor();
  const cards = page.locator('.wish-card');
  const allCount = await cards.count();
  assert.ok(allCount >= 10, `expected at least 10 wish cards, saw ${allCount}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.match(await page.locator('.hero__title').innerText(), /微心愿/);
  await page.screenshot({ path: `${screenshotDir}/list-360x800.png` });

  // Filter to service tasks (上门服务) with the kind chip.
  await page.locator('.chips[aria-label="类型"] .chip', { hasText: '上门服务' }).click();
  await page.waitForFunction(
    (before) => {
      const kinds = [...document.querySelectorAll('.wish-card')].map((c) => c.dataset.kind);
      return kinds.length > 0 && kinds.length < before && kinds.every((k) => k === 'service');
    },
    allCount,
  );
  const serviceCount = await cards.count();
  assert.match(page.url(), /[?&]kind=service/);
  await page.screenshot({ path: `${screenshotDir}/services-360x800.png` });

  // Open the first house call.
  const title = await cards.first().locator('.wish-card__title').innerText();
  await cards.first().click();
  await page.waitForURL(/\/wishes\/[0-9a-f-]{36}$/);
  await page.locator('.detail__title').waitFor();
  assert.equal(await page.locator('.detail__title').innerText(), title);
  // A house call's address is never shown to the public.
  assert.match(await page.locator('.detail__facts').innerText(), /仅告知接单的志愿者/);
  assert.match(await page.locator('.tag--service').innerText(), /上门服务/);
  await page.screenshot({ path: `${screenshotDir}/detail-360x800.png`, fullPage: true });

  // A reload on a client route is served by the server's fallback.
  await page.reload();
  await appTookOver(page);
  await page.locator('.detail__title').waitFor();
  assert.equal(await page.locator('.detail__title').innerText(), title);

  // Back to the list: the filter is still on, even after the reload.
  await page.locator('.topbar__back').click();
  await page.locator('.wish-card').first().waitFor();
  assert.equal(await cards.count(), serviceCount);

  assert.deepEqual(problems, []);
  await context.close();
});

test('search, campaigns and unknown pages', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await visit(page, server.url);
  await page.locator('.wish-card').first().waitFor();

  await page.locator('.search__input').fill('书包');
  await page.locator('.search__input').press('Enter');
  await page.waitForFunction(() => {
    const titles = [...document.querySelectorAll('.wish-card__title')].map((t) => t.textContent);
    return titles.length > 0 && titles.every((t) => t.includes('书包'));
  });

  await page.locator('.campaign-card', { hasText: '暖心行动送书包' }).click();
  await page.waitForURL(/\/campaigns\//);
  await page.locator('.campaign .detail__title').waitFor();
  assert.equal(await page.locator('.campaign .detail__title').innerText(), '暖心行动送书包');
  assert.ok((await page.locator('.wish-card').count()) >= 4);
  await page.screenshot({ path: `${screenshotDir}/campaign-360x800.png`, fullPage: true });

  await page.goto(`${server.url}/no/such/page`);
  await page.locator('.not-found h1').waitFor();
  assert.equal(await page.locator('.not-found h1').innerText(), '页面不存在');
  await context.close();
});

test('a first visit with the server unreachable gives a clear message and a working retry', async () => {
  const context = await phoneContext(browser);
  // Nothing is cached yet, and the API cannot be reached.
  await context.route('**/api/**', (route) => route.abort('connectionrefused'));
  const page = await context.newPage();
  await page.goto(server.url);
  await page.locator('.load-error').waitFor();
  assert.match(await page.locator('.load-error__message').innerText(), /连不上服务器/);
  assert.match(await page.locator('.sync-status').innerText(), /离线/);
  await page.screenshot({ path: `${screenshotDir}/error-360x800.png` });

  await context.unroute('**/api/**');
  await page.locator('.load-error button').click();
  await page.locator('.wish-card').first().waitFor();
  // The chip filters the cached list at once.
  await page.locator('.chips[aria-label="类型"] .chip', { hasText: '物品心愿' }).click();
  await page.waitForFunction(() => {
    const kinds = [...document.querySelectorAll('.wish-card')].map((c) => c.dataset.kind);
    return kinds.length > 0 && kinds.every((k) => k === 'item');
  });
  await context.close();
});
