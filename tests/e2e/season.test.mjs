// End-to-end: what a season of use tripped over (issue 26), at 360x800. Campaigns: only running
// drives are listed as ongoing, a drive's bar counts against the goal its text names, an ended
// drive's page says so. Elder mode and English: the hero's figures never leave one character
// alone on a line, a chip row that scrolls fades at its edge, the first wish shows on the first
// screen in elder mode, and links drawn as buttons centre their labels. Workers: 待确认 shows
// how many wait, 工作台 posts a wish (choosing the household first), and worker and shop pages
// lead back to their own home. Run by `make e2e`.
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

// A phone whose 我的 settings are already chosen (elder mode, English).
async function phone({ elder = false, english = false } = {}) {
  const context = await phoneContext(browser);
  await context.addInitScript(([elder, english]) => {
    if (elder) localStorage.setItem('microwish.elder', 'on');
    if (english) localStorage.setItem('microwish.language', 'en');
  }, [elder, english]);
  return context;
}

test('only running drives are ongoing, counted against their goal; an ended one says so', async () => {
  const campaigns = (await (await fetch(`${server.url}/api/campaigns`)).json()).items;
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10); // China's date
  const ended = campaigns.find((campaign) => campaign.ends_on && campaign.ends_on < today);
  const running = campaigns.filter((campaign) => !(campaign.ends_on && campaign.ends_on < today)
    && !(campaign.starts_on && campaign.starts_on > today));
  assert.ok(ended, 'the demo has a drive that ended (六一童心愿)');
  assert.ok(running.length > 0, 'and one that runs');

  const context = await phone();
  const page = await context.newPage();
  await visit(page, `${server.url}/`);
  await page.locator('.campaign-card').first().waitFor();
  const listed = await page.locator('.campaign-card__title').allInnerTexts();
  assert.ok(!listed.includes(ended.title), `${ended.title} is not ongoing: ${listed}`);
  assert.deepEqual(new Set(listed), new Set(running.map((campaign) => campaign.title)));
  for (const campaign of running.filter((campaign) => campaign.goal > 0)) {
    const bar = page.locator('.campaign-card', { hasText: campaign.title }).locator('.progress');
    assert.equal(await bar.getAttribute('aria-valuemax'), String(campaign.goal), campaign.title);
  }

  await page.goto(`${server.url}/campaigns/${ended.id}`);
  await page.locator('.campaign__ended').waitFor();
  assert.equal(await page.locator('.campaign__ended').innerText(), '活动已结束');
  await page.screenshot({ path: `${screenshotDir}/campaign-ended-360x800.png` });
  await context.close();
});

// Lines of each element's text that hold a single character (CJK wraps anywhere).
function lonelyCharacters(selector) {
  const lonely = [];
  for (const element of document.querySelectorAll(selector)) {
    const text = element.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) continue;
    const lines = new Map();
    for (let i = 0; i < text.length; i++) {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const top = Math.round(range.getBoundingClientRect().top);
      lines.set(top, (lines.get(top) ?? '') + text.data[i]);
    }
    for (const line of lines.values()) {
      if (line.trim().length === 1) lonely.push(`${element.textContent}: "${line}"`);
    }
  }
  return lonely;
}

for (const [label, options] of [
  ['elder mode', { elder: true }],
  ['English', { english: true }],
  ['elder mode in English', { elder: true, english: true }],
]) {
  test(`the list reads well in ${label}`, async () => {
    const context = await phone(options);
    const page = await context.newPage();
    await visit(page, `${server.url}/`);
    await page.locator('.wish-card').first().waitFor();
    await page.locator('.hero .stats dd').first().waitFor({ state: 'attached' });
    assert.deepEqual(await page.evaluate(lonelyCharacters, '.hero .stats dd, .requests-strip dd'), []);
    // A row that scrolls hints at it: its right edge fades.
    for (const row of await page.locator('.chips__row').all()) {
      const mask = await row.evaluate((element) => getComputedStyle(element).maskImage
        || getComputedStyle(element).webkitMaskImage);
      assert.match(mask, /gradient/);
    }
    if (options.elder) {
      const top = await page.locator('.wish-card').first().evaluate((card) => card.getBoundingClientRect().top);
      assert.ok(top < 800 - 160, `the first wish begins at y=${top}, on the first screen`);
    }
    await page.screenshot({ path: `${screenshotDir}/list-${label.replaceAll(' ', '-')}-360x800.png` });
    await page.goto(`${server.url}/me`);
    const login = page.locator('.account__login');
    await login.waitFor();
    assert.equal(await login.evaluate((element) => getComputedStyle(element).textAlign), 'center');
    await context.close();
  });
}

// Signs `account` in on a fresh phone and opens `path`.
async function signedIn(account, path) {
  const context = await phone();
  const page = await context.newPage();
  await page.goto(`${server.url}/login?next=${encodeURIComponent(path)}`);
  await page.locator('input[name=phone]').fill(account.phone);
  await page.locator('input[name=password]').fill(account.password);
  await page.locator('.auth-form__submit').click();
  await page.waitForURL(`${server.url}${path}`);
  return { context, page };
}

test('a worker sees what waits on the tab, posts a wish from the console, and goes back where they came from', async () => {
  // A donor delivers two units to the station.
  const donor = await signedIn(demo.donor, '/');
  await donor.page.evaluate(async () => {
    const send = (path, body) => fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const wishes = (await (await fetch('/api/wishes?status=open&kind=item&limit=50')).json()).items;
    for (const wish of wishes.filter((w) => w.remaining >= 1).slice(0, 2)) {
      const claim = await (await send(`/api/wishes/${wish.id}/claims`, { quantity: 1 })).json();
      const delivered = await send(`/api/claims/${claim.id}/deliver`, {});
      if (!delivered.ok) throw new Error(`deliver: ${delivered.status}`);
    }
  });
  await donor.context.close();

  const { context, page } = await signedIn(demo.worker, '/worker');
  // 待确认 counts the claims delivered and not yet confirmed, as its first section lists them.
  await page.goto(`${server.url}/worker/claims`);
  const firstSection = page.locator('.claims').first();
  await firstSection.locator('.claim-list > li').first().waitFor();
  const waiting = await firstSection.locator('.claim-list > li').count();
  assert.ok(waiting >= 2, `the two deliveries wait: ${waiting}`);
  assert.equal(await page.locator('.tabbar__queue .tabbar__badge').innerText(), String(waiting));
  await page.screenshot({ path: `${screenshotDir}/worker-queue-badge-360x800.png` });

  // 工作台 → 发布心愿 → whom for → the form.
  await page.locator('.tabbar__console').click();
  await page.locator('.console__new-wish').click();
  await page.waitForURL(`${server.url}/worker/wishes/new`);
  await page.locator('.choose-household__link').first().waitFor();
  await page.screenshot({ path: `${screenshotDir}/worker-choose-household-360x800.png` });
  await page.locator('.choose-household__link').first().click();
  await page.waitForURL(/\/worker\/wishes\/new\?household=/);
  await page.locator('input[name=title]').waitFor();

  // A worker's pages lead back to the console, not to the wish list.
  await page.goto(`${server.url}/worker/pledges`);
  const back = page.locator('.topbar__back');
  assert.equal(await back.innerText(), '‹ 返回工作台');
  await back.click();
  await page.waitForURL(`${server.url}/worker`);
  await context.close();

  const shop = await signedIn(demo.shop, '/shop/pledges/new');
  assert.equal(await shop.page.locator('.topbar__back').innerText(), '‹ 返回我的捐赠');
  assert.equal(await shop.page.locator('.topbar__back').getAttribute('href'), '/shop');
  await shop.context.close();
});

test('a worker edits a drive and ends it early; it is then no longer ongoing', async () => {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ phone: demo.worker.phone, password: demo.worker.password }),
  });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const later = new Date(Date.now() + 8 * 3600 * 1000 + 30 * 86400_000).toISOString().slice(0, 10);
  const created = await fetch(`${server.url}/api/campaigns`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, cookie },
    body: JSON.stringify({ title: '冬日暖心包', goal: 20, unit: '份', starts_on: today, ends_on: later }),
  });
  assert.equal(created.status, 201);
  const drive = await created.json();

  const { context, page } = await signedIn(demo.worker, `/campaigns/${drive.id}`);
  // No filters here: an empty drive says how wishes join it, not "try other filters".
  assert.match(await page.locator('.empty').innerText(), /这个活动还没有心愿/);
  await page.locator('.campaign__edit').click();
  await page.waitForURL(`${server.url}/worker/campaigns/${drive.id}/edit`);
  assert.equal(await page.locator('input[name=title]').inputValue(), '冬日暖心包', 'filled as it is');
  await page.locator('input[name=goal]').fill('30');
  await page.screenshot({ path: `${screenshotDir}/campaign-edit-360x800.png`, fullPage: true });
  await page.locator('.campaign-form button[type=submit]').click();
  await page.waitForURL(`${server.url}/campaigns/${drive.id}`);
  await page.locator('.campaign__goal', { hasText: '30' }).waitFor();

  await page.locator('.campaign__end').click();
  await page.locator('.campaign__ask').waitFor();
  await page.screenshot({ path: `${screenshotDir}/campaign-end-ask-360x800.png`, fullPage: true });
  await page.locator('.campaign__end-yes').click();
  await page.locator('.campaign__ended').waitFor();
  assert.equal(await page.locator('.campaign__end').count(), 0, 'nothing left to end');
  await page.screenshot({ path: `${screenshotDir}/campaign-ended-early-360x800.png`, fullPage: true });

  // The server has it ended; the home page no longer lists it as ongoing.
  await eventuallyEnded(drive.id);
  await visit(page, `${server.url}/`);
  await page.locator('.campaign-card').first().waitFor();
  assert.ok(!(await page.locator('.campaign-card__title').allInnerTexts()).includes('冬日暖心包'));
  await context.close();
});

async function eventuallyEnded(id) {
  for (let tries = 0; tries < 50; tries++) {
    const campaign = await (await fetch(`${server.url}/api/campaigns/${id}`)).json();
    if (campaign.ended_at) {
      assert.equal(campaign.goal, 30);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail('the end reached the server');
}
