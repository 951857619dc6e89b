// End-to-end: shops and numbers, on the real server with demo data, at 360x800.
// The shoe shop pledges 104 pairs in sizes 28–36; a worker gives 3 pairs of size 32 to a
// wish; a donor watching that wish sees its remaining drop by 3; the shop sees the 3 pairs
// and where they went; the worker's report counts them. Run by `make e2e` (node --test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phoneContext, screenshotDir, demo } from './support.mjs';

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

const { worker, shop } = demo;
const SIZES = { 28: 8, 29: 10, 30: 12, 31: 12, 32: 14, 33: 14, 34: 12, 35: 12, 36: 10 };

function watchProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Nobody is logged in on the first page load.
    if (message.text().includes('status of 401')) return;
    problems.push(message.text());
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
  return { page, problems };
}

/// Calls the API as `account` (a cookie of its own).
async function apiAs(account) {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: account.phone, password: account.password }),
  });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (method, path, body) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, 'content-type': 'application/json', origin: server.url },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
}

test('a shop pledges 104 pairs in sizes, a worker gives 3 of size 32, everyone sees it', async () => {
  // --- The shop pledges on its phone ---
  const { page: shopPage, problems: shopProblems } = await phoneAs(shop, '/shop');
  await shopPage.locator('a', { hasText: '认捐物品' }).click();
  await shopPage.waitForURL(`${server.url}/shop/pledges/new`);
  await shopPage.locator('input[name=title]').fill('儿童运动鞋(今年)');
  await shopPage.locator('button', { hasText: '填入童鞋 28–36 码' }).click();
  const rows = shopPage.locator('.variant-row');
  assert.equal(await rows.count(), 9);
  for (const [index, quantity] of Object.values(SIZES).entries()) {
    await rows.nth(index).locator('.variant-row__quantity').fill(String(quantity));
  }
  await shopPage.locator('.variants__total', { hasText: '合计 104 双' }).waitFor();
  await shopPage.locator('input[name=yearly]').check();
  await shopPage.locator('textarea[name=note]').fill('六一前送到各网格驿站');
  await shopPage.screenshot({ path: `${screenshotDir}/shop-pledge-form-360x800.png`, fullPage: true });
  await shopPage.locator('button[type=submit]').click();
  await shopPage.waitForURL(`${server.url}/shop`);
  const card = shopPage.locator('.pledge-card', { hasText: '儿童运动鞋(今年)' });
  await card.locator('.pledge-card__summary', { hasText: '104 双:已分配 0 · 已送达 0 · 已确认 0' }).waitFor();
  // Saved on the server, not just on the phone.
  await shopPage.locator('.pledge-card--pending').waitFor({ state: 'detached' });
  const pledgeId = await card.getAttribute('data-pledge');

  // --- A wish that needs three pairs of size 32, posted by the worker ---
  const asWorker = await apiAs(worker);
  const households = await asWorker('GET', '/api/households?q=黄志强');
  const household = households.body.items[0];
  const posted = await asWorker('POST', '/api/wishes', {
    household_id: household.id,
    kind: 'item',
    title: '三双运动鞋',
    description: '三个孩子都穿32码',
    category: 'clothing',
    quantity: 3,
    unit: '双',
    alias: '黄师傅',
    publish: true,
  });
  assert.equal(posted.status, 201, JSON.stringify(posted.body));
  const wish = posted.body;

  // --- A donor is looking at that wish ---
  const donorContext = await phoneContext(browser);
  const donorPage = await donorContext.newPage();
  const donorProblems = watchProblems(donorPage);
  await donorPage.goto(`${server.url}/wishes/${wish.id}`);
  await donorPage.locator('.detail__remaining', { hasText: '3' }).waitFor();

  // --- The worker allocates 3 pairs of size 32 ---
  const { page: workerPage, problems: workerProblems } = await phoneAs(worker, '/worker');
  await workerPage.locator('.console__link', { hasText: '商户认捐' }).click();
  await workerPage.waitForURL(`${server.url}/worker/pledges`);
  await workerPage
    .locator(`.pledge-card[data-pledge="${pledgeId}"] a`, { hasText: '分配给心愿' })
    .click();
  await workerPage.waitForURL(`${server.url}/worker/pledges/${pledgeId}`);
  await workerPage.locator('.size-choice', { hasText: '32码' }).click();
  await workerPage.locator('.allocate-form__left', { hasText: '还可分配 14 双' }).waitFor();
  // The wish that names size 32 is suggested first.
  const suggested = workerPage.locator('.wish-choices--suggested .wish-choice').first();
  await suggested.locator('.wish-choice__title', { hasText: '三双运动鞋' }).waitFor();
  // Each suggestion says why; a coat or a school uniform (clothing too) is no fit for shoes.
  assert.match(await suggested.locator('.wish-choice__why').innerText(), /写明32码/);
  for (const card of await workerPage.locator('.wish-choices--suggested .wish-choice').all()) {
    assert.match(await card.innerText(), /鞋|32/, 'only shoes, or wishes naming the size');
  }
  // The other wishes are a section that opens, and says how many it holds.
  assert.match(await workerPage.locator('.allocate-form__others summary').innerText(), /其他待认领的物品心愿\(\d+个/);
  await suggested.click();
  await workerPage.locator('.stepper__plus').click();
  await workerPage.locator('.stepper__plus').click();
  await workerPage.screenshot({ path: `${screenshotDir}/worker-allocate-360x800.png`, fullPage: true });
  await workerPage.locator('button[type=submit]', { hasText: '分配 3 双' }).click();
  await workerPage.waitForURL(`${server.url}/worker/pledges`);
  await workerPage
    .locator(`.pledge-card[data-pledge="${pledgeId}"] .pledge-card__summary`, { hasText: '已分配 3' })
    .waitFor();

  // --- The donor's phone: three fewer, without reloading ---
  await donorPage.locator('.detail__remaining', { hasText: '0' }).waitFor({ timeout: 10_000 });
  await donorPage.screenshot({ path: `${screenshotDir}/donor-wish-after-allocation-360x800.png` });

  // --- The shop: 3 allocated, and where (wish, alias, grid) ---
  await card.locator('.pledge-card__summary', { hasText: '104 双:已分配 3 · 已送达 0 · 已确认 0' }).waitFor({ timeout: 10_000 });
  const went = card.locator(`.allocation[data-wish="${wish.id}"]`);
  await went.locator('.allocation__wish', { hasText: '三双运动鞋' }).waitFor();
  await went.locator('.allocation__place', { hasText: '黄师傅 · 第三网格' }).waitFor();
  await went.locator('.allocation__units', { hasText: '32码 × 3 双' }).waitFor();
  assert.equal(await card.locator('.size-chip', { hasText: '32码' }).locator('.size-chip__count').innerText(), '3/14');
  assert.ok(!(await card.innerText()).includes('黄志强'), 'no real name reaches the shop');
  await shopPage.screenshot({ path: `${screenshotDir}/shop-donations-360x800.png`, fullPage: true });

  // --- The shop drops them at the station; the worker's report counts them ---
  await went.locator('button', { hasText: '已送到驿站' }).click();
  await went.locator('.confirm-step__question', { hasText: '确定已经送到' }).waitFor();
  await went.locator('button', { hasText: '确定,已送到' }).click();
  await went.locator('.allocation__status--delivered').waitFor();
  await shopPage.locator('.pledge-card--pending').waitFor({ state: 'detached' });
  await workerPage.goto(`${server.url}/worker/stats`);
  const shopRow = workerPage.locator('.report-table tr', { hasText: '大拇哥童鞋店' });
  await shopRow.waitFor();
  const cells = await shopRow.locator('td').allInnerTexts();
  // The demo's 5 pairs and these 3.
  assert.deepEqual(cells.map(Number), [8, 8, 4]);
  await workerPage.locator('.chart__svg').first().waitFor();
  await workerPage.screenshot({ path: `${screenshotDir}/worker-stats-360x800.png`, fullPage: true });

  assert.deepEqual([...shopProblems, ...donorProblems, ...workerProblems], []);
});

test('a shop asks before a drop-off, takes it back, changes its pledge and withdraws the rest', async () => {
  const asShop = await apiAs(shop);
  const asWorker = await apiAs(worker);
  const pledged = await asShop('POST', '/api/pledges', {
    title: '儿童雨靴',
    category: 'clothing',
    unit: '双',
    variants: [{ label: '30码', quantity: 4 }, { label: '32码', quantity: 6 }],
  });
  assert.equal(pledged.status, 201, JSON.stringify(pledged.body));
  const pledgeId = pledged.body.id;
  const household = (await asWorker('GET', '/api/households?q=黄志强')).body.items[0];
  const wish = await asWorker('POST', '/api/wishes', {
    household_id: household.id, kind: 'item', title: '两双雨靴', description: '孩子穿32码',
    category: 'clothing', quantity: 2, unit: '双', alias: '黄师傅', publish: true,
  });
  assert.equal(wish.status, 201, JSON.stringify(wish.body));
  const allocated = await asWorker('POST', `/api/pledges/${pledgeId}/allocations`, {
    wish_id: wish.body.id, quantity: 2, variant: '32码',
  });
  assert.equal(allocated.status, 201, JSON.stringify(allocated.body));

  const { page, problems } = await phoneAs(shop, '/shop');
  const card = page.locator(`.pledge-card[data-pledge="${pledgeId}"]`);
  const went = card.locator('.allocation').first();
  // "Dropped at the station" asks first; "not yet" changes nothing.
  await went.locator('button', { hasText: '已送到驿站' }).click();
  await went.locator('.confirm-step__question', { hasText: '确定已经送到第三网格' }).waitFor();
  await page.screenshot({ path: `${screenshotDir}/shop-drop-off-check-360x800.png` });
  await went.locator('button', { hasText: '还没有' }).click();
  await went.locator('.confirm-step').waitFor({ state: 'detached' });
  assert.equal(await went.getAttribute('data-status'), 'allocated');
  await went.locator('button', { hasText: '已送到驿站' }).click();
  await went.locator('button', { hasText: '确定,已送到' }).click();
  await went.locator('.allocation__waiting', { hasText: '等工作人员确认' }).waitFor();
  await card.locator('.pledge-card__summary', { hasText: '已送达 2' }).waitFor();
  // Marked by mistake: taken back, on the server too.
  await went.locator('button', { hasText: '撤回“已送到”' }).click();
  await went.locator('.allocation__status--allocated').waitFor();
  await page.locator('.pledge-card--pending').waitFor({ state: 'detached' });
  const afterUndo = await asShop('GET', `/api/pledges/${pledgeId}`);
  assert.equal(afterUndo.body.allocations[0].status, 'allocated');

  // Changed: size 32 cannot go below the 2 given out; then 10 pairs of size 32.
  await card.locator('a', { hasText: '修改认捐' }).click();
  await page.waitForURL(`${server.url}/shop/pledges/${pledgeId}/edit`);
  assert.equal(await page.locator('input[name=title]').inputValue(), '儿童雨靴');
  const size32 = page.locator('.variant-row').nth(1).locator('.variant-row__quantity');
  assert.equal(await size32.inputValue(), '6');
  await size32.fill('1');
  await page.locator('button[type=submit]', { hasText: '保存修改' }).click();
  await page.locator('.field__error', { hasText: '不能少于已分配出去的数量' }).waitFor();
  await page.screenshot({ path: `${screenshotDir}/shop-pledge-edit-360x800.png`, fullPage: true });
  await size32.fill('10');
  await page.locator('button[type=submit]', { hasText: '保存修改' }).click();
  await page.waitForURL(`${server.url}/shop`);
  await card.locator('.pledge-card__summary', { hasText: '14 双:已分配 2' }).waitFor();
  await page.locator('.pledge-card--pending').waitFor({ state: 'detached' });
  assert.equal((await asShop('GET', `/api/pledges/${pledgeId}`)).body.quantity, 14);

  // Withdrawn after a second yes: 12 pairs taken back, the 2 given out still go.
  await card.locator('button', { hasText: '撤回未分配的 12 双' }).click();
  await card.locator('.confirm-step__question', { hasText: '撤回后不能恢复' }).waitFor();
  await card.locator('button', { hasText: '确定撤回' }).click();
  await card.locator('.badge--withdrawn', { hasText: '已撤回' }).waitFor();
  await card.locator('.pledge-card__left', { hasText: '已撤回未分配的 12 双' }).waitFor();
  await page.locator('.pledge-card--pending').waitFor({ state: 'detached' });
  assert.equal(await card.locator('a', { hasText: '修改认捐' }).count(), 0);
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}/shop-pledge-withdrawn-360x800.png` });
  const server_side = await asShop('GET', `/api/pledges/${pledgeId}`);
  assert.equal(server_side.body.remaining, 0);
  assert.ok(server_side.body.withdrawn_at);
  // Nothing more can be given out of it.
  const more = await asWorker('POST', `/api/pledges/${pledgeId}/allocations`, {
    wish_id: wish.body.id, quantity: 1, variant: '30码',
  });
  assert.equal(more.status, 409);
  // In English too.
  await page.evaluate(() => localStorage.setItem('microwish.language', 'en'));
  await page.reload();
  await card.locator('.badge--withdrawn', { hasText: 'Withdrawn' }).waitFor();
  await card.locator('.pledge-card__left', { hasText: '12 双 not allocated were withdrawn' }).waitFor();
  await went.locator('button', { hasText: 'Delivered to the station' }).click();
  await went.locator('.confirm-step__question', { hasText: 'Have they really reached' }).waitFor();
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}/shop-pledge-withdrawn-en-360x800.png` });
  await page.evaluate(() => localStorage.removeItem('microwish.language'));
  assert.deepEqual(problems, []);
});

test('a worker starts a campaign and downloads the spreadsheets', async () => {
  const { page, problems } = await phoneAs(worker, '/worker/campaigns/new');
  await page.locator('input[name=title]').fill('冬日暖阳送棉被');
  await page.locator('input[name=goal]').fill('20');
  await page.locator('input[name=unit]').fill('床');
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/campaigns\/.+/);
  await page.locator('.campaign__goal', { hasText: '已认领 0 / 目标 20 床' }).waitFor();

  await page.goto(`${server.url}/worker/stats`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.export-link--wishes').click(),
  ]);
  const path = await download.path();
  const bytes = await import('node:fs').then((fs) => fs.readFileSync(path));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'Excel reads the BOM as UTF-8');
  assert.match(download.suggestedFilename(), /^wishes-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.deepEqual(problems, []);
});
