// End-to-end: a worker imports households on 统计与导出 at 360x800: chooses a CSV, reads the
// preview (a problem by row and column, nothing to apply), chooses the corrected file, reads
// its counts, applies it, and finds the household registered.
// Run by `make e2e` (node --test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
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

const header = '姓名 name,地址 address,电话 phone,网格 grid,群体 groups,备注 notes';

test('a worker previews a spreadsheet of households, sees its problem, then imports the fixed one', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}/login?next=${encodeURIComponent('/worker/stats')}`);
  await logIn(page, demo.worker);
  await page.waitForURL(`${server.url}/worker/stats`);
  const section = page.locator('section.import');
  await section.waitFor();
  assert.equal(await section.locator('.import__template').getAttribute('download'), 'households-template.csv');

  const wrong = `\ufeff${header}\r\n马玉珍,星怡花园31幢104室,13962800811,第九网格,独居老人,\r\n`;
  await section.locator('input[type=file]').setInputFiles({
    name: 'households.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(wrong, 'utf8'),
  });
  await section.locator('.import__error').first().waitFor();
  const problem = await section.locator('.import__error').first().textContent();
  assert.match(problem, /第 2 行 · 网格/);
  assert.match(problem, /找不到/);
  // In Chinese throughout: the cell as typed, not the server's English detail.
  assert.match(problem, /“第九网格”/);
  assert.doesNotMatch(problem, /[A-Za-z]{3,}/);
  assert.equal(await section.locator('.import__apply').count(), 0, 'nothing to apply with a problem');
  await section.screenshot({ path: join(screenshotDir, 'import-preview-problem.png') });

  const right = `\ufeff${header}\r\n马玉珍,星怡花园31幢104室,139-6280-0811,第一网格,独居老人,听力不好\r\n`;
  await section.locator('input[type=file]').setInputFiles({
    name: 'households.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(right, 'utf8'),
  });
  await section.locator('.import__apply').waitFor();
  assert.match(await section.locator('.import__summary').textContent(), /新增 1/);
  await section.screenshot({ path: join(screenshotDir, 'import-preview.png') });
  await section.locator('.import__apply').click();
  await section.locator('.import__done').waitFor();
  await section.screenshot({ path: join(screenshotDir, 'import-applied.png') });

  const listed = await page.evaluate(async () => {
    const response = await fetch('/api/households?q=0811');
    return response.json();
  });
  assert.equal(listed.items.length, 1);
  assert.equal(listed.items[0].phone, '13962800811');
  assert.deepEqual(errors, []);
  await context.close();
});
