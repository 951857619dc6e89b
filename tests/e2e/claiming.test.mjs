// End-to-end: accounts and claiming, on the real server with demo data, at 360x800.
// A new donor registers, claims a one-unit item wish, marks it delivered; the demo worker
// confirms it; the wish is then fulfilled. Run by `make e2e` (node --test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phoneContext, screenshotDir, demo, logIn } from './support.mjs';

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

const { worker, donor, volunteer } = demo;

// Console errors and uncaught exceptions, which is also where CSP violations show up.
// `allowed` lists the failed requests a test expects (the browser logs every 4xx response),
// as [status, path] pairs, e.g. [401, '/api/me'] for "nobody is logged in yet".
function watchProblems(page, allowed = [[401, '/api/me']]) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const url = message.location()?.url ?? '';
    const expected = allowed.some(
      ([status, path]) => text.includes(`status of ${status}`) && new URL(url, server.url).pathname === path,
    );
    if (!expected) problems.push(`${text} (${url})`);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

async function getJson(path) {
  const response = await fetch(`${server.url}${path}`);
  assert.equal(response.status, 200, path);
  return response.json();
}

/// The day it is in China (UTC+8), as YYYY-MM-DD, `days` from now.
function chinaDate(days = 0) {
  return new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}

test('a new donor claims a wish, delivers it, a worker confirms it, the wish is fulfilled', async () => {
  const { items } = await getJson('/api/wishes?kind=item');
  const wish = items.find((w) => w.quantity === 1 && w.remaining === 1 && w.status === 'open');
  assert.ok(wish, 'the demo data has an open one-unit item wish');

  // --- The donor ---
  const donorContext = await phoneContext(browser);
  const page = await donorContext.newPage();
  const problems = watchProblems(page, [
    [401, '/api/me'],
    [422, '/api/auth/register'],
  ]);
  await page.goto(`${server.url}/wishes/${wish.id}`);
  // A visitor first gets the page the server drew (first_screen.test.mjs checks it), with the
  // app mounting behind it: both have a tab bar and a claim panel until the app takes over.
  await page.locator('#shell').waitFor({ state: 'detached' });
  await page.locator('.detail__title').waitFor();
  assert.equal(await page.locator('.tabbar__login').innerText(), '登录');

  // Logged out: the panel leads to the login page, which comes back here afterwards.
  await page.locator('.claim-panel__login', { hasText: '登录后认领' }).click();
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === `/wishes/${wish.id}`);
  await page.locator('.auth__switch a', { hasText: '注册一个' }).click();
  await page.waitForURL((url) => url.pathname === '/register' && url.searchParams.get('next') === `/wishes/${wish.id}`);

  const phone = `139${String(Date.now()).slice(-8)}`;
  const name = `测试${phone.slice(-4)}`;
  await page.locator('input[name=display_name]').fill(name);
  await page.locator('input[name=phone]').fill(phone);
  // A well-known password is refused, with the reason under the field.
  await page.locator('input[name=password]').fill('12345678');
  // The privacy notice is linked, and must be accepted before an account is made.
  assert.equal(await page.locator('.register__privacy a').getAttribute('href'), '/privacy');
  await page.locator('input[name=privacy]').check();
  assert.ok(await page.locator('input[name=role][value=donor]').isChecked(), 'donor is the default role');
  await page.locator('.auth-form__submit').click();
  await page.locator('.field__error[data-field=password]').waitFor();
  assert.equal(
    await page.locator('.field__error[data-field=password]').innerText(),
    '这个密码太常见,容易被猜到,请换一个',
  );
  await page.locator('input[name=password]').fill('xingyi-e2e-donor-2026');
  await page.screenshot({ path: `${screenshotDir}/register-360x800.png`, fullPage: true });
  await page.locator('.auth-form__submit').click();
  await page.waitForURL(`${server.url}/wishes/${wish.id}`);
  await page.locator('.tabbar[data-session=in]').waitFor();

  // Claim the one unit.
  await page.locator('.claim-panel__submit').waitFor();
  assert.equal(await page.locator('.stepper__value').inputValue(), '1');
  assert.ok(await page.locator('.stepper__plus').isDisabled(), 'only one unit remains');
  await page.locator('textarea[name=note]').fill('周六上午送到驿站');
  await page.screenshot({ path: `${screenshotDir}/claim-form-360x800.png`, fullPage: true });
  await page.locator('.claim-panel__submit').click();
  // Saved on the phone first, then taken by the server: only then does it say "认领成功".
  await page.locator('.claim-success:not(.claim-success--pending)').waitFor();
  const success = await page.locator('.claim-success').innerText();
  assert.match(success, /认领成功/);
  assert.match(success, new RegExp(`请在 \\d+月\\d+日 \\d\\d:\\d\\d 前送达 ${wish.station}`));
  assert.equal(await page.locator('.detail__remaining').innerText(), '0');
  assert.equal(await page.locator('.detail .status').innerText(), '已被认领');
  await page.screenshot({ path: `${screenshotDir}/claim-success-360x800.png`, fullPage: true });

  // The session survives a reload (the cookie does), and the page still says the wish is
  // theirs rather than offering the form as if new.
  await page.reload();
  await page.locator('.tabbar[data-session=in]').waitFor();
  await page.locator('.claim-panel__held').waitFor();
  assert.match(await page.locator('.claim-panel__held').innerText(), /你已认领 1/);
  await page.screenshot({ path: `${screenshotDir}/detail-held-360x800.png`, fullPage: true });

  // 我的认领: the claim, its deadline, then delivered.
  await page.locator('.tabbar__claims').click();
  await page.waitForURL(`${server.url}/me/claims`);
  const card = page.locator('.claim-card', { hasText: wish.title });
  await card.waitFor();
  assert.equal(await card.locator('.claim-status').innerText(), '进行中');
  assert.match(await card.locator('.claim-card__deadline').innerText(), new RegExp(`前送达 ${wish.station}`));
  assert.equal(await card.locator('.claim-card__contact').count(), 0, 'donors never see a household contact');
  await page.screenshot({ path: `${screenshotDir}/my-claims-360x800.png`, fullPage: true });
  await card.locator('.claim-card__deliver', { hasText: '标记已送达' }).click();
  // It cannot be taken back: asked first.
  await card.locator('.claim-card__deliver-yes').click();
  await card.locator('.claim-status', { hasText: '已送达,待确认' }).waitFor();
  assert.equal(await card.locator('.claim-card__deliver').count(), 0);

  // --- The worker, on another phone ---
  const workerContext = await phoneContext(browser);
  const workerPage = await workerContext.newPage();
  const workerProblems = watchProblems(workerPage);
  await workerPage.goto(`${server.url}/worker/claims`);
  await workerPage.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/worker/claims');
  await logIn(workerPage, worker);
  await workerPage.waitForURL(`${server.url}/worker/claims`);
  await workerPage.locator('.tabbar[data-session=in]').waitFor();
  const queued = workerPage.locator('.claim-card[data-status=delivered]', { hasText: wish.title });
  await queued.waitFor();
  // Who claimed, and a number to call them.
  const claimer = await queued.locator('.claim-card__claimer').innerText();
  assert.ok(claimer.startsWith(`认领人:${name}(爱心人士) 拨打 `), claimer);
  assert.match(await queued.locator('.claim-card__call').getAttribute('href'), /^tel:1\d{10}$/);
  await workerPage.screenshot({ path: `${screenshotDir}/worker-claims-360x800.png`, fullPage: true });
  await queued.locator('.claim-card__confirm', { hasText: '确认收到' }).click();
  await queued.locator('.claim-card__confirm-yes').click();
  await workerPage
    .locator('.claim-card', { hasText: wish.title })
    .locator('.claim-status', { hasText: '已确认收到' })
    .waitFor();

  // --- The wish is fulfilled ---
  await page.goto(`${server.url}/wishes/${wish.id}`);
  await page.locator('.detail .status', { hasText: '已实现' }).waitFor();
  assert.equal(await page.locator('.detail__remaining').innerText(), '0');
  // Its page says it is done (once: the claim panel adds no second notice).
  assert.match(await page.locator('.finished__title').innerText(), /已经实现/);
  assert.equal(await page.locator('.claim-panel__notice').count(), 0);
  const timeline = await page.locator('.timeline').innerText();
  assert.match(timeline, /确认收到/);
  assert.match(timeline, /认领了/);
  await page.screenshot({ path: `${screenshotDir}/fulfilled-360x800.png`, fullPage: true });

  // 我的 shows the whole name (the tab bar has no room for it); logging out there ends the
  // session: 我的认领 asks to log in again.
  await page.locator('.tabbar__me').click();
  assert.equal(await page.locator('.account__name').innerText(), name);
  await page.screenshot({ path: `${screenshotDir}/account-360x800.png`, fullPage: true });
  await page.locator('.account__logout').click();
  await page.locator('.tabbar__login').waitFor();
  await page.goto(`${server.url}/me/claims`);
  await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/me/claims');

  assert.deepEqual(problems, []);
  assert.deepEqual(workerProblems, []);
  await donorContext.close();
  await workerContext.close();
});

test('a volunteer books a house call in China time and then sees where to go', async () => {
  const { items } = await getJson('/api/wishes?kind=service');
  const tomorrow = chinaDate(1);
  const wish = items.find((w) => w.status === 'open' && w.remaining > 0 && (!w.needed_by || w.needed_by >= tomorrow));
  assert.ok(wish, 'the demo data has an open house call due tomorrow or later');

  const context = await phoneContext(browser);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${server.url}/login?next=/wishes/${wish.id}`);
  await logIn(page, volunteer);
  await page.waitForURL(`${server.url}/wishes/${wish.id}`);

  // The form suggests tomorrow (China time), 09:00–10:00.
  await page.locator('.claim-form select[name=slot_date]').waitFor();
  assert.equal(await page.locator('select[name=slot_date]').inputValue(), tomorrow);
  // The day is written the app's way (not the phone's 11/29/2026).
  const dayShown = await page.locator('select[name=slot_date] option:checked').innerText();
  assert.match(dayShown, /^\d+月\d+日 周.\(明天\)$/);
  await page.locator('select[name=slot_start]').selectOption('14:00');
  await page.locator('select[name=slot_end]').selectOption('15:30');
  await page.screenshot({ path: `${screenshotDir}/house-call-form-360x800.png`, fullPage: true });
  await page.locator('.claim-panel__submit').click();
  await page.locator('.claim-success:not(.claim-success--pending)').waitFor();
  const [, month, day] = tomorrow.split('-').map(Number);
  assert.match(await page.locator('.claim-success').innerText(), new RegExp(`请在 ${month}月${day}日 14:00–15:30 上门`));

  // The volunteer holding the house call sees the household's address and phone.
  await page.locator('.claim-success__link').click();
  const card = page.locator('.claim-card', { hasText: wish.title });
  await card.waitFor();
  assert.match(await card.locator('.claim-card__slot').innerText(), new RegExp(`${month}月${day}日 14:00–15:30`));
  await card.locator('.claim-card__contact').waitFor();
  assert.match(await card.locator('.claim-card__contact a').getAttribute('href'), /^tel:1\d{10}$/);

  // Giving it back asks first.
  await card.locator('.claim-card__release').click();
  await card.locator('.claim-card__ask', { hasText: '确定放弃' }).waitFor();
  await page.screenshot({ path: `${screenshotDir}/release-ask-360x800.png`, fullPage: true });
  await card.locator('.claim-card__release-yes').click();
  await card.locator('.claim-status', { hasText: '已放弃' }).waitFor();
  assert.equal(await card.locator('.claim-card__contact').count(), 0, 'the contact goes with the claim');

  assert.deepEqual(problems, []);
  await context.close();
});

test('late in the evening the house-call form starts tomorrow and calls it 明天', async () => {
  const today = chinaDate(0);
  const tomorrow = chinaDate(1);
  const { items } = await getJson('/api/wishes?kind=service');
  const wish = items.find((w) => w.status === 'open' && w.remaining > 0 && (!w.needed_by || w.needed_by > tomorrow));
  assert.ok(wish, 'the demo data has an open house call due after tomorrow');
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}/login?next=/wishes/${wish.id}`);
  await logIn(page, volunteer);
  await page.waitForURL(`${server.url}/wishes/${wish.id}`);
  // 22:30 in China: no visit may start today any more.
  await page.clock.setFixedTime(new Date(`${today}T22:30:00+08:00`));
  await page.reload();
  const first = page.locator('select[name=slot_date] option').first();
  await first.waitFor({ state: 'attached' });
  assert.equal(await first.getAttribute('value'), tomorrow);
  assert.match(await first.innerText(), /^\d+月\d+日 周.\(明天\)$/);
  await context.close();
});

test('a claim overtaken by someone else: the page follows what is left, and the smaller claim goes through', async () => {
  const { items } = await getJson('/api/wishes?kind=item');
  const wish = items.find((w) => w.status === 'open' && w.remaining >= 2 && w.remaining <= 6);
  assert.ok(wish, 'the demo data has an open item wish with a few units left');

  const context = await phoneContext(browser);
  const page = await context.newPage();
  const problems = watchProblems(page, [
    [401, '/api/me'],
    [409, `/api/wishes/${wish.id}/claims`],
  ]);
  await page.goto(`${server.url}/login?next=/wishes/${wish.id}`);
  await logIn(page, donor);
  await page.waitForURL(`${server.url}/wishes/${wish.id}`);
  const plus = page.locator('.stepper__plus');
  await plus.waitFor();
  for (let i = 1; i < wish.remaining; i += 1) await plus.click();
  assert.equal(await page.locator('.stepper__value').inputValue(), String(wish.remaining));

  // Meanwhile, on another phone, a volunteer takes all but one unit.
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(volunteer),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const other = await fetch(`${server.url}/api/wishes/${wish.id}/claims`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ quantity: wish.remaining - 1 }),
  });
  assert.equal(other.status, 201);

  // The page learns of it by itself (the server pokes, the app pulls): what is left and
  // the stepper follow, before the donor even taps.
  await page.locator('.detail__remaining', { hasText: /^1$/ }).waitFor({ timeout: 5000 });
  assert.equal(await page.locator('.stepper__value').inputValue(), '1');
  assert.ok(await page.locator('.stepper__plus').isDisabled());
  await page.screenshot({ path: `${screenshotDir}/claim-conflict-360x800.png`, fullPage: true });
  await page.locator('.claim-panel__submit').click();
  await page.locator('.claim-success').waitFor();
  assert.equal(await page.locator('.detail__remaining').innerText(), '0');

  assert.deepEqual(problems, []);
  await context.close();
});

test('wrong passwords and pages for other roles are explained', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const problems = watchProblems(page, [
    [401, '/api/me'],
    [401, '/api/auth/login'],
  ]);
  await page.goto(`${server.url}/login`);
  await logIn(page, { phone: volunteer.phone, password: 'not-the-password' });
  await page.locator('.form-error', { hasText: '手机号或密码不正确' }).waitFor();
  await page.screenshot({ path: `${screenshotDir}/login-error-360x800.png` });

  await logIn(page, volunteer);
  await page.waitForURL(`${server.url}/`);
  await page.goto(`${server.url}/worker/claims`);
  await page.locator('.notice__title', { hasText: '仅社区工作人员可用' }).waitFor();
  assert.equal(await page.locator('.tabbar__queue').count(), 0, 'no 待确认 tab for volunteers');
  assert.equal(await page.locator('.tabbar__claims').innerText(), '我的认领');

  assert.deepEqual(problems, []);
  await context.close();
});
