// End-to-end: a volunteer's service certificate (issue 28, item 2), at 360x800. The demo
// volunteer (with house calls the worker confirmed) issues one from 我的, opens it and prints it
// (A4 PDF); a visitor opens its verification link and reads that it is valid; the worker
// revokes it from the volunteers page, with a reason; the visitor then reads 已撤销. Screenshots
// (zh-CN and English) go to /tmp/cert-shots. Run by `make e2e`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, launchBrowser, demo, phoneAt as supportPhoneAt } from './support.mjs';

const shots = '/tmp/cert-shots';
mkdirSync(shots, { recursive: true });

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

// This file's server and browser.
const phoneAt = (path, options) => supportPhoneAt(server, browser, path, options);

// The QR code has been drawn (the server's SVG loaded).
async function qrShown(page) {
  const qr = page.locator('.certificate__qr img');
  await qr.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('.certificate__qr img');
    return img && img.complete && img.naturalWidth > 0;
  });
}

test('a volunteer prints a certificate anyone can verify, until a worker revokes it', async () => {
  const volunteer = await phoneAt('/me', { account: demo.volunteer });
  const { page } = volunteer;
  await page.locator('.vetting__certificates').click();
  await page.waitForURL(`${server.url}/me/certificates`);
  await page.locator('.certificate-issue').waitFor();
  // This year so far, unless changed: from the first of January of last year instead, so the
  // demo's confirmed house calls fall in it whatever today is.
  const year = Number(await page.locator('select[name=to_year]').inputValue());
  assert.equal(await page.locator('select[name=from_month]').inputValue(), '1', 'from January');
  await page.locator('select[name=from_year]').selectOption(String(year - 1));
  await page.screenshot({ path: `${shots}/issue-zh-360x800.png`, fullPage: true });
  await page.locator('.certificate-issue__submit').click();
  await page.waitForURL(/\/certificates\/[0-9a-f-]{36}$/);
  const link = page.url();

  const certificate = page.locator('.certificate');
  await certificate.waitFor();
  assert.equal(await page.locator('.certificate__status--valid').innerText(), '有效');
  assert.equal(await page.locator('.certificate__title').innerText(), '志愿服务时长证明');
  const text = await certificate.innerText();
  assert.match(text, /志愿者 陈师傅/);
  assert.match(text, /星怡社区/);
  assert.match(text, /网格长 李红/, 'who confirmed the visits');
  assert.match(text, /上门服务\s*\d+ 次/);
  assert.match(text, new RegExp(`${year - 1}年1月1日 至 ${year}年`), 'the period with its years');
  await qrShown(page);
  await page.screenshot({ path: `${shots}/certificate-zh-360x800.png`, fullPage: true });
  await page.pdf({ path: `${shots}/certificate-a4.pdf`, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.tabbar').isVisible(), false, 'no tab bar on paper');
  assert.equal(await page.locator('.certificate__print').isVisible(), false, 'no buttons on paper');
  await page.screenshot({ path: `${shots}/certificate-print-360x800.png`, fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // The list on 我的 shows it.
  await page.goto(`${server.url}/me/certificates`);
  await page.locator('.certificate-row[data-valid=true]').first().waitFor();
  await page.screenshot({ path: `${shots}/issued-zh-360x800.png`, fullPage: true });

  // A visitor (a school, an employer) opens the link from the QR code: valid.
  const visitor = await phoneAt(new URL(link).pathname);
  await visitor.page.locator('.certificate__status--valid').waitFor();
  assert.equal(await visitor.page.locator('.certificate__status').innerText(), '有效');
  const seen = await visitor.page.locator('.certificate').innerText();
  assert.match(seen, /志愿者 陈师傅/);
  const english = await phoneAt(new URL(link).pathname, { english: true });
  await english.page.locator('.certificate__status--valid').waitFor();
  assert.equal(await english.page.locator('.certificate__status').innerText(), 'Valid');
  assert.equal(await english.page.locator('.certificate__title').innerText(), 'Volunteer service certificate');
  await qrShown(english.page);
  await english.page.screenshot({ path: `${shots}/certificate-en-360x800.png`, fullPage: true });

  // The worker revokes it from the volunteers page, with a reason.
  const worker = await phoneAt('/worker/volunteers', { account: demo.worker });
  const card = worker.page.locator('.volunteers[data-status=approved] .volunteer-card', { hasText: '陈师傅' });
  await card.locator('.volunteer-card__certificates summary').click();
  const row = card.locator('.certificate-row[data-valid=true]').first();
  await row.waitFor();
  await card.locator('.certificate__revoke').first().click();
  await card.locator('.certificate__revoke-yes').click();
  await card.locator('.form-error').waitFor();
  await card.locator('input[name=revoke_reason]').fill('服务时长登记有误,重新开具');
  await worker.page.screenshot({ path: `${shots}/revoke-zh-360x800.png`, fullPage: true });
  await card.locator('.certificate__revoke-yes').click();
  await card.locator('.certificate-row[data-valid=false]').first().waitFor({ timeout: 10_000 });
  await worker.page.screenshot({ path: `${shots}/revoked-worker-zh-360x800.png`, fullPage: true });

  // The visitor sees it is no longer valid (not why); the volunteer reads why.
  await visitor.page.reload();
  await visitor.page.locator('.certificate__status--revoked').waitFor();
  assert.equal(await visitor.page.locator('.certificate__status').innerText(), '已撤销');
  assert.doesNotMatch(await visitor.page.locator('.certificate').innerText(), /重新开具/);
  await visitor.page.screenshot({ path: `${shots}/revoked-visitor-zh-360x800.png`, fullPage: true });
  await english.page.reload();
  await english.page.locator('.certificate__status--revoked').waitFor();
  assert.equal(await english.page.locator('.certificate__status').innerText(), 'Revoked');
  await english.page.screenshot({ path: `${shots}/revoked-visitor-en-360x800.png`, fullPage: true });
  await page.goto(link);
  await page.locator('.certificate__reason').waitFor();
  assert.match(await page.locator('.certificate__reason').innerText(), /服务时长登记有误/);

  for (const phone of [volunteer, visitor, english, worker]) {
    assert.deepEqual(phone.problems, [], 'no script errors');
    await phone.context.close();
  }
});
