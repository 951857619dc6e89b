// Languages: 中文 by default; English chosen on 我的 changes every page at once, is remembered
// on the device (a reload, a new page, logging out) and can be switched back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phoneContext, screenshotDir, demo, logIn, appTookOver } from './support.mjs';

const cjk = /[\u4e00-\u9fff]/;

test('English is chosen on 我的, remembered, and switched back', async () => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/login`);
    await logIn(page, demo.donor);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    assert.equal(await page.locator('.tabbar__me').innerText(), '我的');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');

    await page.locator('.tabbar__me').click();
    await page.locator('input[name=language][value=en]').check();
    await page.locator('.tabbar__me', { hasText: 'Me' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.locator('.account__role').innerText(), 'Donor');
    await page.screenshot({ path: `${screenshotDir}/account-english-360x800.png`, fullPage: true });

    // The wish list, a wish and my claims: the app's own words are English (the wishes'
    // titles and aliases are the community's, in Chinese).
    await page.goto(server.url + '/');
    await page.locator('.wish-card').first().waitFor();
    const tab = await page.locator('.tabbar').innerText();
    assert.ok(!cjk.test(tab), tab);
    const tags = await page.locator('.wish-card__tags').first().innerText();
    assert.ok(!cjk.test(tags), tags);
    assert.match(await page.locator('.wish-card__due').first().innerText(), /^by [A-Z][a-z]{2} \d+ · /);
    await page.screenshot({ path: `${screenshotDir}/list-english-360x800.png` });
    await page.locator('.wish-card[data-kind=item][data-status=open]').first().click();
    await page.locator('.claim-panel__submit', { hasText: 'Claim' }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/detail-english-360x800.png`, fullPage: true });
    await page.goto(server.url + '/me/claims');
    await page.locator('h1', { hasText: 'My claims' }).waitFor();

    // The shell index.html draws before the app arrives says what the app then says, in
    // either language (the app held back: no service worker, so no wasm from its cache).
    for (const language of ['en', 'zh-CN']) {
      const words = async (page, root) => ({
        title: await page.locator(`${root} .hero__title`).innerText(),
        tagline: await page.locator(`${root} .hero__tagline`).innerText(),
        search: await page.locator(`${root} .search__input:visible`).getAttribute('placeholder'),
        button: await page.locator(`${root} .search__button:visible`).innerText(),
      });
      const shellContext = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 360, height: 800 } });
      await shellContext.addInitScript((chosen) => localStorage.setItem('microwish.language', chosen), language);
      const shellPage = await shellContext.newPage();
      await shellPage.route('**/*.wasm', (route) => route.abort());
      await shellPage.goto(server.url + '/');
      assert.equal(await shellPage.getAttribute('html', 'lang'), language === 'en' ? 'en' : 'zh-CN');
      const shell = await words(shellPage, '#shell');
      await shellPage.unroute('**/*.wasm');
      await shellPage.reload();
      await appTookOver(shellPage);
      await shellPage.locator('.wish-card').first().waitFor();
      assert.deepEqual(shell, await words(shellPage, 'body'), language);
      await shellContext.close();
    }

    // Back to Chinese.
    await page.goto(server.url + '/me');
    await page.locator('input[name=language][value="zh-CN"]').check();
    await page.locator('.tabbar__me', { hasText: '我的' }).waitFor();
    await page.reload();
    await page.locator('.tabbar__me', { hasText: '我的' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.stop();
  }
});
