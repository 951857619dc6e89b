// End-to-end: the first visit on a slow or broken link. While the wasm downloads, the shell
// index.html draws shows how far it has come (src/loader.js); a failed download says so and
// tries again on a tap; a stalled one says it is still waiting and clears when bytes come.
// Service workers are blocked so that every visit downloads the wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, launchBrowser, phoneContext, screenshotDir, appTookOver } from './support.mjs';

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

async function firstVisit() {
  const context = await phoneContext(browser, { serviceWorkers: 'block' });
  return { context, page: await context.newPage() };
}

test('the shell fills its download bar as the wasm arrives, then the app takes over', async () => {
  const { context, page } = await firstVisit();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // ~150 KB/s: the wasm (~600 KB brotli) takes seconds, as on a weak 4G signal.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 100, downloadThroughput: 150 * 1024, uploadThroughput: 150 * 1024,
    });
    await page.goto(server.url);
    const seen = [];
    let shot = false;
    while ((await page.locator('#shell').count()) > 0) {
      const value = await page.locator('#shell .loading__bar').evaluate((bar) => bar.value).catch(() => null);
      if (value !== null) seen.push(value);
      if (!shot && value > 30 && value < 90) {
        await page.screenshot({ path: `${screenshotDir}/loading-progress-360x800.png` });
        shot = true;
      }
      await sleep(100);
    }
    await page.locator('.wish-card').first().waitFor();
    const between = seen.filter((value) => value > 0 && value < 100);
    assert.ok(between.length >= 3, `the bar moved through the download: ${seen.join(' ')}`);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'the bar never goes back');
    assert.equal(await page.locator('.load-problem').count(), 0, 'the notice left with the shell');
  } finally {
    await context.close();
  }
});

test('a failed download says so, and 重试 loads the app', async () => {
  const { context, page } = await firstVisit();
  try {
    await page.route('**/*.wasm', (route) => route.abort('internetdisconnected'));
    await page.goto(server.url);
    const notice = page.locator('#shell .load-problem');
    await notice.waitFor();
    assert.equal(await notice.getAttribute('role'), 'alert');
    assert.equal(await notice.locator('.load-problem__failed').innerText(), '加载失败,请检查网络后重试。');
    assert.ok(!(await notice.locator('.load-problem__stalled').isVisible()));
    // Nothing on the page still pretends to load.
    assert.ok(!(await page.locator('#shell .loading').isVisible()));
    assert.ok(!(await page.locator('#shell .skeleton-list').isVisible()));
    await page.screenshot({ path: `${screenshotDir}/loading-failed-360x800.png` });

    await page.unroute('**/*.wasm');
    await notice.locator('.load-problem__retry', { hasText: '重试' }).click();
    await appTookOver(page);
    await page.locator('.wish-card').first().waitFor();
  } finally {
    await context.close();
  }
});

test('a stalled download says it is still waiting, and the notice goes when bytes come', async () => {
  const { context, page } = await firstVisit();
  try {
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    await page.route('**/*.wasm', async (route) => {
      await released;
      await route.continue();
    });
    await page.goto(server.url);
    const stalled = page.locator('#shell .load-problem__stalled');
    // The loader waits 10 s without a byte before it speaks.
    await stalled.waitFor({ timeout: 20_000 });
    assert.equal(await stalled.innerText(), '网络很慢或已断开,仍在等待…');
    assert.ok(await page.locator('#shell .loading').isVisible(), 'still loading, not failed');
    assert.ok(await page.locator('#shell .load-problem__retry').isVisible());
    await page.screenshot({ path: `${screenshotDir}/loading-stalled-360x800.png` });

    release();
    await appTookOver(page);
    await page.locator('.wish-card').first().waitFor();
  } finally {
    await context.close();
  }
});
