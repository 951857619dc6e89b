// End-to-end: paired communities (结对帮扶, issue 28), on the real server with the paired demo
// (`--demo-pairing`: 桔园村 paired with 星怡社区), at 360x800. The two workers end the pairing,
// ask again and agree on 结对社区; the shoe shop then pledges to 桔园村, whose worker gives a pair
// to a child's wish there; 星怡's worker never sees that pledge, and the shop sees where its
// pair went (alias and grid, no name). Screenshots in zh-CN and English under target/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshotDir, demo, phoneAt as supportPhoneAt } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ args: ['--demo-pairing'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const phoneAt = (path, options) => supportPhoneAt(server, browser, path, options);
// 桔园村's worker (printed by `serve --demo --demo-pairing`).
const village = { phone: '13800000031', password: 'juyuan-worker-2026' };

test('two workers pair their communities, and the shop gives shoes the village worker allocates', async () => {
  // --- 桔园村's worker sees the pairing, in both languages ---
  for (const english of [false, true]) {
    const { context, page, problems } = await phoneAt('/worker', { account: village, english });
    const link = page.locator('.console__link[href="/worker/pairings"]');
    await link.waitFor();
    assert.equal(await link.locator('.badge--count').count(), 0, 'nothing waits for an answer');
    await link.click();
    await page.waitForURL(`${server.url}/worker/pairings`);
    const row = page.locator('.pairing[data-status=active]');
    await row.waitFor();
    assert.match(await row.innerText(), english ? /Paired with 星怡社区/ : /与 星怡社区 结对/);
    const lang = english ? 'en' : 'zh';
    await page.screenshot({ path: `${screenshotDir}/pairings-${lang}-360x800.png`, fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  }

  // --- 星怡's worker ends it (asked twice), then asks again ---
  const xingyi = await phoneAt('/worker/pairings', { account: demo.worker });
  const active = xingyi.page.locator('.pairing[data-status=active]');
  await active.locator('button', { hasText: '结束结对' }).click();
  await active.locator('.confirm-step__question', { hasText: '确定结束与桔园村的结对吗' }).waitFor();
  await active.locator('button', { hasText: '确定结束' }).click();
  await xingyi.page.locator('.pairing[data-status=ended]').waitFor();
  await xingyi.page.locator('select[name=community_id]').selectOption({ label: '桔园村' });
  await xingyi.page.locator('.pairing-form button[type=submit]').click();
  const asked = xingyi.page.locator('.pairing[data-status=proposed]');
  await asked.waitFor();
  assert.match(await asked.innerText(), /已邀请 桔园村 结对/);
  assert.match(await asked.innerText(), /等待同意/);
  // The asking side may only take it back.
  assert.equal(await asked.locator('button', { hasText: '同意结对' }).count(), 0);
  await asked.locator('button', { hasText: '撤回邀请' }).waitFor();

  // --- The shop opens its pledge form while the question waits: only its own community ---
  const shop = await phoneAt('/shop/pledges/new', { account: demo.shop });
  await shop.page.locator('input[name=title]').waitFor();
  await shop.page.locator('.sync-status[data-state=synced]').waitFor();
  assert.equal(await shop.page.locator('fieldset.destination').count(), 0, 'not paired (yet)');

  // --- 桔园村's worker is told on 工作台, and agrees ---
  const juyuan = await phoneAt('/worker', { account: village });
  const link = juyuan.page.locator('.console__link[href="/worker/pairings"]');
  assert.equal(await link.locator('.badge--count').innerText(), '1', 'one question waits');
  await link.click();
  await juyuan.page.waitForURL(`${server.url}/worker/pairings`);
  const question = juyuan.page.locator('.pairing[data-status=proposed]');
  await question.waitFor();
  assert.match(await question.innerText(), /星怡社区 邀请与本社区结对/);
  await juyuan.page.screenshot({ path: `${screenshotDir}/pairings-asked-360x800.png`, fullPage: true });
  await question.locator('button', { hasText: '同意结对' }).click();
  await juyuan.page.locator('.pairing[data-status=active]').waitFor();

  // --- The open form offers 桔园村 at once (the shop's phone is told, and pulls), and the shop
  // pledges ten pairs to it ---
  const destination = shop.page.locator('fieldset.destination');
  await destination.locator('label', { hasText: '星怡社区(本社区)' }).waitFor({ timeout: 10_000 });
  assert.ok(
    await destination.locator('label', { hasText: '星怡社区(本社区)' }).locator('input').isChecked(),
    'the shop\'s own community unless it chooses another',
  );
  await destination.locator('label', { hasText: '桔园村(结对社区)' }).click();
  await shop.page.locator('input[name=title]').fill('冬季童鞋(送桔园村)');
  await shop.page.locator('input[name=by_variant]').uncheck();
  await shop.page.locator('input[name=quantity]').fill('10');
  await destination.scrollIntoViewIfNeeded();
  await shop.page.screenshot({ path: `${screenshotDir}/pledge-to-partner-360x800.png` });
  await shop.page.locator('button[type=submit]').click();
  await shop.page.waitForURL(`${server.url}/shop`);
  const card = shop.page.locator('.pledge-card', { hasText: '冬季童鞋(送桔园村)' });
  await card.waitFor();
  await shop.page.locator('.pledge-card--pending').waitFor({ state: 'detached' });
  const pledgeId = await card.getAttribute('data-pledge');

  // --- 桔园村's worker gives a pair to 杨同学's wish ---
  await juyuan.page.goto(`${server.url}/worker/pledges`);
  const theirs = juyuan.page.locator(`.pledge-card[data-pledge="${pledgeId}"]`);
  await theirs.locator('a', { hasText: '分配给心愿' }).click();
  await juyuan.page.waitForURL(`${server.url}/worker/pledges/${pledgeId}`);
  await juyuan.page.locator('.wish-choice', { hasText: '一双冬季运动鞋(33码)' }).first().click();
  await juyuan.page.locator('button[type=submit]', { hasText: '分配 1 双' }).click();
  await juyuan.page.waitForURL(`${server.url}/worker/pledges`);
  await theirs.locator('.pledge-card__summary', { hasText: '已分配 1' }).waitFor();

  // --- 星怡's worker does not see the village's pledge ---
  await xingyi.page.goto(`${server.url}/worker/pledges`);
  await xingyi.page.locator('.pledge-card').first().waitFor();
  assert.equal(await xingyi.page.locator(`.pledge-card[data-pledge="${pledgeId}"]`).count(), 0);

  // --- The shop sees where its pair went: the alias and the village's grid, no name ---
  await card.locator('.pledge-card__summary', { hasText: '已分配 1' }).waitFor({ timeout: 10_000 });
  await card.locator('.allocation__place', { hasText: '杨同学 · 桔园村网格' }).waitFor();
  assert.ok(!(await card.innerText()).includes('杨小军'), 'no real name reaches the shop');
  await card.scrollIntoViewIfNeeded();
  await shop.page.screenshot({ path: `${screenshotDir}/shop-gave-to-partner-360x800.png` });

  // --- The same choice in English ---
  const english = await phoneAt('/shop/pledges/new', { account: demo.shop, english: true });
  const choices = english.page.locator('fieldset.destination');
  await choices.locator('label', { hasText: '星怡社区 (ours)' }).waitFor();
  await choices.locator('label', { hasText: '桔园村 (paired)' }).waitFor();
  assert.match(await choices.innerText(), /Which community receives them/);
  await choices.scrollIntoViewIfNeeded();
  await english.page.screenshot({ path: `${screenshotDir}/pledge-to-partner-en-360x800.png` });

  for (const phone of [xingyi, juyuan, shop, english]) {
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  }
});
