// End-to-end: workers run it, at 360x800, on the real server with demo data.
// A worker registers a household and posts a wish for it with no network; back online both
// reach the server once and a donor's phone shows the wish without reloading; the donor
// claims and delivers it; the worker confirms and writes down the household's thanks; the
// donor reads them. A new volunteer cannot book a house call until a worker approves them;
// then they book one and see the address (never the name). Run by `make e2e` (node --test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phoneContext, screenshotDir, demo, visit } from './support.mjs';

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

const { worker, donor } = demo;

function watchProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // Expected refusals the browser logs: nobody logged in yet, a volunteer not approved yet,
    // and requests cut off by going offline.
    if (/status of (401|403)/.test(text) || text.includes('ERR_INTERNET_DISCONNECTED')) return;
    problems.push(`${text} (${message.location()?.url ?? ''})`);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

async function phoneAs(account, next) {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[name=phone]').fill(account.phone);
  await page.locator('input[name=password]').fill(account.password);
  await page.locator('.auth-form__submit').click();
  await page.waitForURL(`${server.url}${next}`);
  await page.locator('.tabbar[data-session=in]').waitFor();
  return { context, page, problems };
}

async function getJson(path) {
  const response = await fetch(`${server.url}${path}`);
  assert.equal(response.status, 200, path);
  return response.json();
}

async function eventually(check, timeout, what) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('a worker registers a household and posts its wish offline; a donor meets it; thanks come back', async () => {
  const title = '一只保温水壶';
  const { context: workerContext, page: workerPage, problems: workerProblems } =
    await phoneAs(worker, '/worker/households');
  // A donor's phone is already on the wish list.
  const donorContext = await phoneContext(browser);
  const donorList = await donorContext.newPage();
  const donorProblems = watchProblems(donorList);
  await visit(donorList, server.url);
  await donorList.locator('.wish-card').first().waitFor();

  // --- No network: the household and its wish are saved on the phone ---
  await workerPage.locator('.household-tools__new').click();
  await workerPage.waitForURL(`${server.url}/worker/households/new`);
  await workerContext.setOffline(true);
  await workerPage.locator('.sync-status[data-state=offline]').waitFor();
  await workerPage.locator('input[name=name]').fill('钱桂芳');
  await workerPage.locator('input[name=address]').fill('星怡花园9幢101室');
  await workerPage.locator('input[name=phone]').fill('13962800199');
  await workerPage.locator('select[name=grid]').selectOption('grid-1');
  await workerPage.locator('input[name=groups][value=elderly_alone]').check();
  // She agreed to her wish being published (on 1 January: never a future date).
  await workerPage.locator('select[name=consent_on_year]').selectOption(String(new Date().getFullYear()));
  await workerPage.locator('select[name=consent_on_month]').selectOption('1');
  await workerPage.locator('select[name=consent_on_day]').selectOption('1');
  await workerPage.locator('.household-form__submit').click();
  await workerPage.waitForURL(/\/worker\/households\/[0-9a-f-]{36}$/);
  await workerPage.locator('.household-wishes__post').click();
  await workerPage.waitForURL(/\/worker\/wishes\/new\?household=/);
  await workerPage.locator('input[name=title]').fill(title);
  await workerPage.locator('textarea[name=description]').fill('冬天想喝口热水');
  await workerPage.locator('select[name=category]').selectOption('daily');
  await workerPage.locator('input[name=unit]').fill('只');
  await workerPage.locator('input[name=alias]').fill('钱奶奶');
  await workerPage.screenshot({ path: `${screenshotDir}/worker-wish-form-offline-360x800.png`, fullPage: true });
  await workerPage.locator('.wish-form__publish').click();
  await workerPage.waitForURL(/\/worker\/households\/[0-9a-f-]{36}$/);
  await workerPage.locator('.household-wish', { hasText: title }).locator('.badge--pending').waitFor();
  const before = await getJson('/api/wishes?limit=200');
  assert.ok(!before.items.some((w) => w.title === title), 'nothing reached the server yet');

  // --- Back online: sent once; the donor's list shows it without reloading ---
  await workerContext.setOffline(false);
  await workerPage.locator('.household-wish', { hasText: title }).locator('.badge--pending')
    .waitFor({ state: 'detached', timeout: 15_000 });
  const card = donorList.locator('.wish-card', { hasText: title });
  await card.waitFor({ timeout: 10_000 });
  const listed = (await getJson('/api/wishes?limit=200')).items.filter((w) => w.title === title);
  assert.equal(listed.length, 1, 'one wish, however often it was sent');
  const wish = listed[0];
  assert.equal(wish.alias, '钱奶奶');
  assert.ok(!JSON.stringify(wish).includes('钱桂芳'), 'the name stays with the workers');

  // --- The donor claims and delivers it ---
  await donorList.goto(`${server.url}/login?next=/wishes/${wish.id}`);
  await donorList.locator('input[name=phone]').fill(donor.phone);
  await donorList.locator('input[name=password]').fill(donor.password);
  await donorList.locator('.auth-form__submit').click();
  await donorList.waitForURL(`${server.url}/wishes/${wish.id}`);
  await donorList.locator('.claim-panel__submit').click();
  await donorList.locator('.claim-success:not(.claim-success--pending)').waitFor();
  await donorList.goto(`${server.url}/me/claims`);
  const claimCard = donorList.locator('.claim-card', { hasText: title });
  await claimCard.locator('button', { hasText: '标记已送达' }).click();
  await claimCard.locator('.claim-card__deliver-yes').click();
  await claimCard.locator('.claim-status', { hasText: '已送达,待确认' }).waitFor();

  // --- The worker confirms it and writes down the household's thanks ---
  await workerPage.locator('.tabbar__queue').click();
  await workerPage.waitForURL(`${server.url}/worker/claims`);
  const queued = workerPage.locator('.claim-card', { hasText: title });
  await queued.locator('.claim-card__claimer', { hasText: donor.name }).waitFor();
  assert.equal(await queued.locator('.claim-card__call').getAttribute('href'), `tel:${donor.phone}`);
  await queued.locator('.claim-card__confirm', { hasText: '确认收到' }).click();
  await queued.locator('.claim-card__confirm-yes').click();
  const done = workerPage.locator('.claim-card[data-status=confirmed]', { hasText: title });
  await done.locator('input[name=thanks]').fill('钱奶奶说:谢谢张先生,水壶很暖和!');
  await workerPage.screenshot({ path: `${screenshotDir}/worker-thanks-360x800.png`, fullPage: true });
  await done.locator('.claim-card__thank').click();
  await done.locator('.claim-card__thanks', { hasText: '水壶很暖和' }).waitFor();

  // --- The donor reads them, without reloading ---
  await claimCard.locator('.claim-card__thanks', { hasText: '钱奶奶说:谢谢张先生,水壶很暖和!' })
    .waitFor({ timeout: 10_000 });
  await donorList.screenshot({ path: `${screenshotDir}/donor-thanks-360x800.png`, fullPage: true });
  const finished = (await getJson(`/api/wishes/${wish.id}`));
  assert.equal(finished.status, 'fulfilled');

  assert.deepEqual([...workerProblems, ...donorProblems], []);
  await workerContext.close();
  await donorContext.close();
});

test('a new volunteer waits for approval, is approved, books a house call and sees where to go', async () => {
  const phone = `1370000${String(Date.now() % 10000).padStart(4, '0')}`;
  const newcomer = { phone, password: 'volunteer-e2e-2026', name: '志愿者 小吴' };
  const registered = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ display_name: newcomer.name, phone, password: newcomer.password, role: 'volunteer' }),
  });
  assert.equal(registered.status, 201);
  const { items } = await getJson('/api/wishes?kind=service&status=open');
  const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86400_000).toISOString().slice(0, 10);
  const wish = items.find((w) => w.remaining > 0 && (!w.needed_by || w.needed_by >= tomorrow));
  assert.ok(wish, 'an open house call');

  // Not approved yet: told so instead of a booking form.
  const { page, problems } = await phoneAs(newcomer, `/wishes/${wish.id}`);
  await page.locator('.claim-panel__notice', { hasText: '需要社区工作人员当面审核' }).waitFor();
  assert.equal(await page.locator('.claim-panel__submit').count(), 0);

  // The worker approves them after meeting them.
  const { page: workerPage, problems: workerProblems } = await phoneAs(worker, '/worker');
  await workerPage.locator('.console__link', { hasText: '志愿者审核' }).click();
  await workerPage.waitForURL(`${server.url}/worker/volunteers`);
  const card = workerPage.locator('.volunteers[data-status=pending] .volunteer-card', { hasText: newcomer.name });
  await card.locator('input[name=note]').fill('已面谈,志愿者登记');
  await workerPage.screenshot({ path: `${screenshotDir}/worker-volunteers-360x800.png`, fullPage: true });
  await card.locator('.volunteer-card__approve').click();
  await workerPage
    .locator('.volunteers[data-status=approved] .volunteer-card', { hasText: newcomer.name })
    .locator('.badge--pending')
    .waitFor({ state: 'detached', timeout: 10_000 });

  // The volunteer's open page turns into the booking form by itself; they book.
  await page.locator('.claim-form select[name=slot_date]').waitFor({ timeout: 10_000 });
  await page.locator('select[name=slot_start]').selectOption('10:00');
  await page.locator('select[name=slot_end]').selectOption('11:00');
  await page.locator('.claim-panel__submit').click();
  await page.locator('.claim-success:not(.claim-success--pending)').waitFor();
  await page.locator('.claim-success__link').click();
  const booked = page.locator('.claim-card', { hasText: wish.title });
  await booked.locator('.claim-card__contact').waitFor();
  const contact = await booked.locator('.claim-card__contact').innerText();
  const households = await (await fetch(`${server.url}/api/wishes/${wish.id}`)).json();
  assert.ok(households.alias && contact.includes(households.alias), 'greeted by the alias');
  assert.match(contact, /星怡花园/, 'the address');
  await page.screenshot({ path: `${screenshotDir}/volunteer-approved-booking-360x800.png`, fullPage: true });
  assert.deepEqual([...problems, ...workerProblems], []);
});
