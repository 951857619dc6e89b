// End-to-end: offline-first. The app opens and shows wishes with no network, accepts a claim
// offline and settles it once back online: applied exactly once, or rejected with a reason
// the user can read. Real server, release build, Chromium at 360x800.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
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

async function api(path, options = {}) {
  const response = await fetch(`${server.url}${path}`, options);
  return { status: response.status, body: await response.json().catch(() => null), response };
}

let phones = 0;
/** A new donor, logged in inside `context` (the session cookie set from a real registration). */
async function donorIn(context) {
  phones += 1;
  const phone = `137${String(Date.now()).slice(-6)}${String(phones).padStart(2, '0')}`;
  const { status, response } = await api('/api/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ display_name: `离线${phones}`, phone, password: 'offline-e2e-2026', role: 'donor' }),
  });
  assert.equal(status, 201);
  const token = response.headers.getSetCookie()[0].split(';')[0].split('=')[1];
  // What the browser keeps after a login: the session, and the hint that one was started.
  await context.addCookies([
    { name: 'mw_session', value: token, url: server.url },
    { name: 'mw_signed_in', value: '1', url: server.url },
  ]);
}

async function openItemWish(minRemaining, quantity) {
  const { body } = await api('/api/wishes?kind=item&status=open&limit=200');
  const wish = body.items.find(
    (w) => w.remaining >= minRemaining && (quantity === undefined || w.quantity === quantity),
  );
  assert.ok(wish, 'a suitable demo wish');
  return wish;
}

async function remainingOnServer(id) {
  return (await api(`/api/wishes/${id}`)).body.remaining;
}

/** Waits until `check` holds, polling; fails after `ms`. */
async function eventually(check, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(100);
  }
}

function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('the app opens offline, takes a claim offline, and applies it once when back online', async () => {
  const context = await phoneContext(browser);
  await donorIn(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const wish = await openItemWish(2);

  await visit(page, server.url);
  await page.locator('.wish-card').first().waitFor();
  // The service worker takes the shell; the sync loop fills the cache.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await appTookOver(page);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.locator('.wish-card').first().waitFor();
  const online = await page.locator('.wish-card').count();

  // No network at all: the list still shows, from the device.
  await context.setOffline(true);
  await page.reload();
  await appTookOver(page);
  await page.locator('.wish-card').first().waitFor();
  assert.equal(await page.locator('.wish-card').count(), online);
  await page.locator('.sync-status[data-state=offline]').waitFor();
  await page.screenshot({ path: `${screenshotDir}/offline-list-360x800.png` });

  // Claim offline: shown at once, marked as waiting.
  await page.locator(`.wish-card[href="/wishes/${wish.id}"]`).click();
  await page.locator('.claim-panel__submit').click();
  await page.locator('.claim-success').waitFor();
  assert.match(await page.locator('.claim-success__pending').innerText(), /联网后会自动提交/);
  assert.equal(await page.locator('.detail__remaining').innerText(), String(wish.remaining - 1));
  await page.screenshot({ path: `${screenshotDir}/offline-claim-360x800.png`, fullPage: true });
  assert.equal(await remainingOnServer(wish.id), wish.remaining, 'nothing reached the server yet');

  // Back online: the outbox goes out by itself, once.
  await context.setOffline(false);
  await eventually(async () => (await remainingOnServer(wish.id)) === wish.remaining - 1, 10_000, 'claim applied');
  await page.locator('.claim-success__pending').waitFor({ state: 'detached', timeout: 10_000 });
  await page.locator('.sync-status[data-state=synced]').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('.detail__remaining').innerText(), String(wish.remaining - 1));
  await sleep(1500);
  assert.equal(await remainingOnServer(wish.id), wish.remaining - 1, 'applied exactly once');
  assert.deepEqual(errors, []);
  await context.close();
});

test('two phones claim the last unit offline: one wins, the other is told why, both agree', async () => {
  const wish = await openItemWish(1, 1);
  const phones = [];
  for (const name of ['A', 'B']) {
    const context = await phoneContext(browser);
    await donorIn(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/wishes/${wish.id}`);
    await page.locator('.claim-panel__submit').waitFor();
    phones.push({ name, context, page, errors });
  }
  for (const { context, page } of phones) {
    await context.setOffline(true);
    await page.locator('.claim-panel__submit').click();
    await page.locator('.claim-success').waitFor();
    assert.equal(await page.locator('.detail__remaining').innerText(), '0');
  }
  const [first, second] = phones;
  await first.context.setOffline(false);
  await first.page.locator('.claim-success__pending').waitFor({ state: 'detached', timeout: 10_000 });
  await second.context.setOffline(false);

  // The second phone's claim is turned down and explained; its screen rolls back, then
  // catches up with the server: the unit is taken.
  const notice = second.page.locator('.sync-notice');
  await notice.waitFor({ timeout: 10_000 });
  assert.match(await notice.innerText(), new RegExp(`你离线时认领的「${wish.title}」已被其他人认领完了`));
  await second.page.screenshot({ path: `${screenshotDir}/offline-rejected-360x800.png`, fullPage: true });
  assert.equal(await second.page.locator('.claim-success').count(), 0);
  for (const { page } of phones) {
    await page.locator('.detail__remaining', { hasText: /^0$/ }).waitFor();
    await page.locator('.detail .status', { hasText: '已被认领' }).waitFor();
  }
  const { body } = await api(`/api/wishes/${wish.id}`);
  assert.equal(body.remaining, 0);
  assert.equal(body.claimed, 1, 'exactly one claim was applied');
  for (const { context, errors } of phones) {
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('a claim on one phone shows on another within 2 s, without a reload', async () => {
  const wish = await openItemWish(2);
  const a = await phoneContext(browser);
  const b = await phoneContext(browser);
  await donorIn(a);
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  await pageB.goto(`${server.url}/wishes/${wish.id}`);
  await pageB.locator('.detail__remaining', { hasText: new RegExp(`^${wish.remaining}$`) }).waitFor();
  await pageA.goto(`${server.url}/wishes/${wish.id}`);
  await pageA.locator('.claim-panel__submit').click();
  await pageA.locator('.claim-success').waitFor();

  const started = Date.now();
  await pageB
    .locator('.detail__remaining', { hasText: new RegExp(`^${wish.remaining - 1}$`) })
    .waitFor({ timeout: 2000 });
  const elapsed = Date.now() - started;
  assert.ok(elapsed <= 2000, `${elapsed} ms`);
  await a.close();
  await b.close();
});
