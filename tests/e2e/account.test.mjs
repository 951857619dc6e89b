// End-to-end: a person's hold on their account, at 360x800, with a local SMS gateway. A donor
// who forgot the password resets it with the code texted to the phone; a newcomer proves the
// number at sign-up; a password is changed (the old one asked again) and every device signed
// out. Run by `make e2e` (node --test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, phoneContext, phoneAt, screenshotDir, demo, logIn } from './support.mjs';

let server;
let browser;
let gateway;
let secretDir;
const texts = [];

before(async () => {
  // The operator's SMS gateway: keeps what it is sent.
  gateway = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      texts.push(JSON.parse(body));
      response.writeHead(200).end('{}');
    });
  });
  await new Promise((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  secretDir = mkdtempSync(join(tmpdir(), 'microwish-sms-'));
  const secret = join(secretDir, 'sms.secret');
  writeFileSync(secret, 'a-shared-secret-of-the-gateway\n');
  server = await startServer({
    args: ['--sms-gateway', `http://127.0.0.1:${gateway.address().port}/sms`, '--sms-secret-file', secret],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
  gateway?.close();
  if (secretDir) rmSync(secretDir, { recursive: true, force: true });
});

// The code in the next text to `phone` (waits for it).
async function codeTextedTo(phone, purpose) {
  for (let tries = 0; tries < 100; tries++) {
    const text = texts.find((text) => text.phone === phone && text.params?.purpose === purpose);
    if (text) {
      texts.splice(texts.indexOf(text), 1);
      return text.params.code;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${purpose} code texted to ${phone}: ${JSON.stringify(texts)}`);
}

test('a donor who forgot the password sets a new one with the code texted to the phone', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.locator('.auth__forgot').click();
  await page.waitForURL(`${server.url}/reset`);
  await page.locator('input[name=phone]').fill(demo.donor.phone);
  await page.locator('.code-field__send').click();
  await page.locator('.code-field__sent').waitFor();
  assert.ok(await page.locator('.code-field__send').isDisabled(), 'resting for a minute');
  const code = await codeTextedTo(demo.donor.phone, 'reset');
  // A wrong code is explained under the field.
  await page.locator('input[name=code]').fill(code === '000000' ? '000001' : '000000');
  await page.locator('input[name=new_password]').fill('a-brand-new-password');
  await page.locator('.auth-form__submit').click();
  await page.locator('.field__error[data-field=code]').waitFor();
  assert.match(await page.locator('.field__error[data-field=code]').innerText(), /验证码/);
  await page.screenshot({ path: `${screenshotDir}/reset-wrong-code-360x800.png`, fullPage: true });
  await page.locator('input[name=code]').fill(code);
  await page.locator('.auth-form__submit').click();
  await page.waitForURL(`${server.url}/`);
  await page.goto(`${server.url}/me`);
  await page.locator('.account__name').waitFor();
  assert.equal(await page.locator('.account__verified').innerText(), '已验证');
  await context.close();

  // The old password no longer works; the new one does.
  const login = (password) =>
    fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: demo.donor.phone, password }),
    });
  assert.equal((await login(demo.donor.password)).status, 401);
  assert.equal((await login('a-brand-new-password')).status, 200);
});

test('a newcomer proves the number at sign-up, then changes the password and signs out everywhere', async () => {
  const phone = `139${String(Date.now()).slice(-8)}`;
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}/register?next=/me`);
  await page.locator('input[name=display_name]').fill('新邻居');
  await page.locator('input[name=phone]').fill(phone);
  await page.locator('.code-field__send').click();
  const code = await codeTextedTo(phone, 'register');
  await page.locator('input[name=code]').fill(code);
  await page.locator('input[name=password]').fill('a-long-first-password');
  await page.locator('input[name=privacy]').check();
  await page.locator('.auth-form__submit').click();
  await page.waitForURL(`${server.url}/me`);
  assert.equal(await page.locator('.account__verified').innerText(), '已验证');

  // A second device of the same person.
  const laptop = await phoneContext(browser);
  const other = await laptop.newPage();
  await other.goto(`${server.url}/login?next=/me`);
  await logIn(other, { phone, password: 'a-long-first-password' });
  await other.waitForURL(`${server.url}/me`);

  // The password changes: the current one is asked again.
  await page.locator('.account__password summary').click();
  await page.locator('input[name=current_password]').fill('not-my-password');
  await page.locator('.account__password input[name=new_password]').fill('a-long-second-password');
  await page.locator('.account__password button[type=submit]').click();
  await page.locator('.field__error[data-field=current_password]').waitFor();
  await page.locator('input[name=current_password]').fill('a-long-first-password');
  await page.locator('.account__password button[type=submit]').click();
  await page.locator('.account__password-changed').waitFor();
  await page.screenshot({ path: `${screenshotDir}/account-security-360x800.png`, fullPage: true });
  // The other device was signed out by the change.
  const otherMe = await other.evaluate(async () => (await fetch('/api/me')).status);
  assert.equal(otherMe, 401);

  // Signing out everywhere ends this session too.
  await page.locator('.account__end-sessions').click();
  // This device is a visitor's now: 我的 offers the way back in.
  await page.locator('.account__login').waitFor();
  const me = await page.evaluate(async () => (await fetch('/api/me')).status);
  assert.equal(me, 401);
  await context.close();
  await laptop.close();
});

test('a half-typed password form on 我的 stays open and filled when the session is checked again', async () => {
  const { context, page, problems } = await phoneAt(server, browser, '/me', { account: demo.volunteer });
  // Synced, and the device has kept who is signed in (the next load opens from it): under load
  // the session's answer can be written after the pull's.
  await page.locator('.sync-status[data-state=synced]').waitFor();
  await page.waitForFunction(
    () =>
      new Promise((resolve) => {
        const open = indexedDB.open('microwish');
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          const read = open.result.transaction('meta').objectStore('meta').getAll();
          read.onerror = () => resolve(false);
          read.onsuccess = () => {
            open.result.close();
            resolve(/"me\\?"\s*:\s*\{/.test(JSON.stringify(read.result)));
          };
        };
      }),
    null,
    { polling: 200, timeout: 10_000 },
  );
  // The next load opens from the device's cache; the server's answer on the session waits.
  let answer;
  const held = new Promise((resolve) => { answer = resolve; });
  await page.route('**/api/me', async (route) => {
    await held;
    await route.continue();
  });
  await page.reload();
  await page.locator('.account__password summary').click();
  await page.locator('input[name=current_password]').fill('half-typed');
  const checked = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/me');
  answer();
  assert.equal((await checked).status(), 200);
  await page.locator('.sync-status[data-state=synced]').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.account__password').evaluate((fold) => fold.open), true, 'still open');
  assert.equal(await page.locator('input[name=current_password]').inputValue(), 'half-typed', 'still filled');
  assert.deepEqual(problems, []);
  await context.close();
});
