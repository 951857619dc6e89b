// End-to-end: a shop's years of giving (issue 28), on the real server with demo data, at
// 360x800. The demo shoe shop sees its ten years on 我的捐赠; a worker adds a past year from
// 商户认捐 → 往年记录; a visitor opens the shop's public thank-you page. Screenshots in zh-CN
// and English under target/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshotDir, demo, phoneAt as supportPhoneAt } from './support.mjs';

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

const phoneAt = (path, options) => supportPhoneAt(server, browser, path, options);

async function shopId() {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ phone: demo.shop.phone, password: demo.shop.password }),
  });
  assert.equal(login.status, 200);
  return (await login.json()).id;
}

test('the shoe shop sees its ten years, a worker adds one, a visitor reads the thank-you page', async () => {
  const shop = await shopId();

  // --- The shop: 我的捐赠 · 历年捐赠 ---
  for (const english of [false, true]) {
    const { context, page, problems } = await phoneAt('/shop', { account: demo.shop, english });
    const headline = page.locator('.shop-years__headline');
    await headline.waitFor();
    assert.match(await headline.innerText(), english ? /10 years of giving/ : /已连续捐赠 10 年/);
    assert.equal(await page.locator('.shop-years tbody tr').count(), 10);
    assert.ok(await page.locator('tr[data-from-records=true]').count() >= 8, 'past years marked');
    assert.match(
      await page.locator('tr[data-from-records=true]').first().innerText(),
      english ? /From records/ : /往年记录/,
    );
    assert.equal(
      await page.locator('.shop-record__link').getAttribute('href'),
      `/shops/${shop}`,
      'the page is public in the demo',
    );
    await page.locator('.shop-record').scrollIntoViewIfNeeded();
    const lang = english ? 'en' : 'zh';
    await page.screenshot({ path: `${screenshotDir}/shop-years-${lang}-360x800.png`, fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  }

  // --- A worker: 商户认捐 → 往年记录, adds the year before the first recorded ---
  const { context, page, problems } = await phoneAt('/worker/pledges', { account: demo.worker });
  await page.locator(`a.pledge-list__record[href="/worker/shops/${shop}"]`).first().click();
  await page.waitForURL(`${server.url}/worker/shops/${shop}`);
  const rows = page.locator('.shop-years tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 10);
  const oldest = Number(await rows.last().getAttribute('data-year'));
  await page.locator('input[name=year]').fill(String(oldest - 1));
  await page.locator('input[name=units]').fill('60');
  await page.locator('input[name=wishes]').fill('50');
  await page.locator('input[name=note]').fill('开店第一年');
  await page.locator('.shop-year-form button[type=submit]').click();
  await page.locator(`tr[data-year="${oldest - 1}"]`).waitFor();
  assert.equal(await rows.count(), 11);
  assert.match(await page.locator('.shop-years__headline').innerText(), /已连续捐赠 11 年/);
  // A year the form refuses: more wishes than units.
  await page.locator('input[name=year]').fill(String(oldest - 2));
  await page.locator('input[name=units]').fill('5');
  await page.locator('input[name=wishes]').fill('6');
  await page.locator('.shop-year-form button[type=submit]').click();
  await page.locator('.shop-year-form .field__error[data-field=wishes]').waitFor();
  assert.match(await page.locator('.field__error[data-field=wishes]').innerText(), /心愿数在 0 到件数之间/);
  await page.screenshot({ path: `${screenshotDir}/worker-shop-years-zh-360x800.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();

  // --- A visitor: the public thank-you page ---
  for (const english of [false, true]) {
    const { context, page, problems } = await phoneAt(`/shops/${shop}`, { english });
    const title = page.locator('.shop-thanks__title');
    await title.waitFor();
    assert.match(
      await title.innerText(),
      english ? /for 11 years of giving/ : /感谢大拇哥童鞋店.*连续 11 年的爱心/,
    );
    const text = await page.locator('.shop-thanks').innerText();
    assert.doesNotMatch(text, /开店第一年/, 'a worker\'s note is not public');
    assert.doesNotMatch(text, /小宇/, 'a household\'s thanks is not public');
    assert.equal(await page.locator('.shop-years tbody tr').count(), 11);
    const lang = english ? 'en' : 'zh';
    await page.screenshot({ path: `${screenshotDir}/shop-thanks-${lang}-360x800.png`, fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  }
});
