// Notices (通知) end to end: a donor's delivery confirmed by the worker puts 1 on the donor's
// tab bar and names it in the inbox; and the same notice pushed to the donor's phone: the server
// encrypts it to the device's keys and posts it to its push service (here a local endpoint the
// operator allowed), the service worker shows it in the page's language and opens it when tapped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createECDH, createDecipheriv, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { join } from 'node:path';
import { startServer, launchBrowser, phoneContext, demo, logIn, screenshotDir, visit } from './support.mjs';

// A donor of their own (the demo's donor already has notices), signed in on `page`.
async function newDonor(page, server) {
  await page.goto(`${server.url}/login`);
  const phone = `139${String(randomInt(10_000_000, 99_999_999))}`;
  const name = '爱心人士 吴女士';
  const answer = await page.evaluate(
    async (body) => (await fetch('/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    })).status,
    { display_name: name, phone, password: 'a-donor-password-2026', role: 'donor' },
  );
  assert.equal(answer, 201);
  return { phone, name };
}

// The donor claims one unit of an open item wish and says it is delivered (through the API, as
// the app would); the wish's title and the claim's id come back.
async function claimAndDeliver(page) {
  return page.evaluate(async () => {
    const send = (path, body) => fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const wishes = (await (await fetch('/api/wishes?status=open&kind=item&limit=50')).json()).items;
    const wish = wishes.find((w) => w.remaining >= 1);
    const claim = await (await send(`/api/wishes/${wish.id}/claims`, { quantity: 1 })).json();
    const delivered = await send(`/api/claims/${claim.id}/deliver`, {});
    if (!delivered.ok) throw new Error(`deliver: ${delivered.status}`);
    return { title: wish.title, claim: claim.id };
  });
}

async function workerPage(browser, server) {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await logIn(page, demo.worker);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return { context, page };
}

test("a donor's confirmed delivery puts 1 on their tab bar and is named in the inbox", async () => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const donorContext = await phoneContext(browser);
    const donor = await donorContext.newPage();
    const who = await newDonor(donor, server);
    const { title } = await claimAndDeliver(donor);
    await visit(donor, `${server.url}/`);
    await donor.locator('.tabbar__notices').waitFor();
    assert.equal(await donor.locator('.tabbar__badge').count(), 0, 'nothing yet');

    // The worker confirms it, the way a worker does.
    const worker = await workerPage(browser, server);
    await worker.page.goto(`${server.url}/worker/claims`);
    const card = worker.page.locator('.claim-card', { hasText: title }).filter({ hasText: who.name });
    await card.locator('.claim-card__confirm').click();
    await card.locator('.claim-card__confirm-yes').click();
    await worker.page.locator('.claim-card[data-status=confirmed]', { hasText: title }).first().waitFor();

    // The donor's phone hears of it without reloading.
    const badge = donor.locator('.tabbar__notices .tabbar__badge');
    await badge.waitFor({ timeout: 15_000 });
    assert.equal(await badge.innerText(), '1');
    await donor.screenshot({ path: join(screenshotDir, 'notices-badge.png') });

    await donor.locator('.tabbar__notices').click();
    await donor.waitForURL(`${server.url}/notices`);
    const first = donor.locator('.inbox-notice').first();
    assert.equal(await first.getAttribute('data-kind'), 'claim_confirmed');
    assert.match(await first.innerText(), /认领已确认/);
    await first.locator('.inbox-notice__subject', { hasText: title }).waitFor();
    assert.equal(await donor.locator('.inbox-notice--unread').count(), 1);

    // Opening it goes to the claim and reads it: the badge goes, and the server knows.
    await first.click();
    await donor.waitForURL(`${server.url}/me/claims`);
    await donor.locator('.tabbar__badge').waitFor({ state: 'detached' });
    await donor.waitForFunction(async () => (await (await fetch('/api/me/notices')).json()).unread === 0);
    await worker.context.close();
    await donorContext.close();
  } finally {
    await browser.close();
    server.stop();
  }
});

// A push service on this machine: keeps what the server posts to it.
async function localPushService() {
  const received = [];
  const service = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url, headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(201).end();
    });
  });
  await new Promise((resolve) => service.listen(0, '127.0.0.1', resolve));
  return { service, received, address: `127.0.0.1:${service.address().port}` };
}

// A device's push keys, as a browser makes them (RFC 8291: a P-256 pair and an auth secret).
function deviceKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16) };
}

// RFC 8291's aes128gcm, read as the device would.
function decrypt(body, { ecdh, auth }) {
  const salt = body.subarray(0, 16);
  const idLength = body[20];
  const serverKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = ecdh.computeSecret(serverKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), serverKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, keyInfo, 32));
  const key = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', key, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  return padded.subarray(0, padded.lastIndexOf(2)).toString('utf8');
}

// The browsers of these tests run incognito, where Chromium has no push service: the page's
// PushManager hands out a subscription to the local service with `keys` instead (the rest, the
// permission prompt included, is the browser's own).
// It lasts across page loads, as a browser's does.
function fakePushManager({ endpoint, p256dh, auth }) {
  const kept = 'test.push-subscribed';
  const subscription = {
    endpoint,
    options: { userVisibleOnly: true },
    toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
    unsubscribe: async () => {
      localStorage.removeItem(kept);
      return true;
    },
  };
  PushManager.prototype.subscribe = async () => {
    localStorage.setItem(kept, 'yes');
    return subscription;
  };
  PushManager.prototype.getSubscription = async () => (localStorage.getItem(kept) ? subscription : null);
}

test('a pushed notice is shown by the service worker in the page\'s language and opens when tapped', async () => {
  const push = await localPushService();
  const server = await startServer({ args: ['--allow-push-endpoint', push.address] });
  const browser = await launchBrowser();
  try {
    const keys = deviceKeys();
    const context = await phoneContext(browser);
    await context.grantPermissions(['notifications'], { origin: server.url });
    await context.addInitScript(fakePushManager, {
      endpoint: `http://${push.address}/push/device-1`,
      p256dh: keys.p256dh,
      auth: keys.auth.toString('base64url'),
    });
    const page = await context.newPage();
    await newDonor(page, server);

    // 我的 offers 通知我; nothing is asked before the tap.
    await page.goto(`${server.url}/me`);
    const notifyMe = page.locator('.notice-settings__on');
    await notifyMe.waitFor();
    await page.screenshot({ path: join(screenshotDir, 'notices-me.png'), fullPage: true });
    await notifyMe.click();
    await page.locator('.notice-settings__off').waitFor();
    await page.locator('.notice-settings__state').waitFor();
    await page.screenshot({ path: join(screenshotDir, 'notices-me-on.png'), fullPage: true });

    // The worker confirms the donor's delivery: the server pushes it.
    const { claim } = await claimAndDeliver(page);
    const worker = await workerPage(browser, server);
    const confirmed = await worker.page.evaluate(async (id) => (await fetch(`/api/claims/${id}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
    })).status, claim);
    assert.equal(confirmed, 200);
    const deadline = Date.now() + 20_000;
    while (push.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [sent] = push.received;
    assert.ok(sent, 'the server pushed the notice');
    assert.equal(sent.path, '/push/device-1');
    assert.equal(sent.headers['content-encoding'], 'aes128gcm');
    assert.match(sent.headers.authorization, /^vapid t=.+, k=.+/);
    const plain = decrypt(sent.body, keys);
    const payload = JSON.parse(plain);
    assert.equal(payload.kind, 'claim_confirmed');
    assert.deepEqual(Object.keys(payload).sort(), ['id', 'kind', 'refs']);
    assert.equal(payload.refs.claim_id, claim);

    // Chromium hands that message to the service worker, as its push service would.
    const cdp = await context.newCDPSession(page);
    const registration = new Promise((resolve) => cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL.startsWith(server.url) && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    }));
    await cdp.send('ServiceWorker.enable');
    const registrationId = await Promise.race([
      registration,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no service worker registration within 20 s')), 20_000)),
    ]);
    const sw = context.serviceWorkers().find((one) => one.url().startsWith(server.url))
      ?? await context.waitForEvent('serviceworker');
    const shown = async () => sw.evaluate(async () => (await self.registration.getNotifications())
      .map((n) => ({ title: n.title, body: n.body, lang: n.lang, data: n.data })));
    // A push goes to the active worker: on a loaded machine it may still be precaching.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    // The page listens before the push is delivered (a listener added after the message
    // came would wait for ever on a loaded machine).
    await page.evaluate(() => {
      window.heardFromWorker = new Promise((resolve) => navigator.serviceWorker.addEventListener(
        'message', (event) => resolve(event.data), { once: true }));
    });
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: server.url, registrationId, data: plain });
    const heard = await page.evaluate(() => Promise.race([
      window.heardFromWorker,
      new Promise((resolve) => setTimeout(() => resolve('nothing within 20 s'), 20_000)),
    ]));
    assert.deepEqual(heard, { type: 'notice', id: payload.id, kind: 'claim_confirmed' }, 'the page pulls at once');
    let notifications = await shown();
    assert.equal(notifications.length, 1);
    assert.equal(notifications[0].title, '认领已确认');
    assert.equal(notifications[0].body, '微心愿 · 点开查看');
    assert.equal(notifications[0].data.id, payload.id);

    // In English once the page speaks it (the service worker reads the language the page left).
    await page.evaluate(() => localStorage.setItem('microwish.language', 'en'));
    await page.reload();
    await page.locator('.tabbar__notices').waitFor();
    await page.waitForFunction(async () => (await (await caches.open('microwish.settings'))
      .match('/settings/language').then((r) => r?.text())) === 'en');
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: server.url, registrationId, data: plain });
    await page.waitForTimeout(300);
    notifications = await shown();
    assert.equal(notifications.length, 1, 'the same notice replaced, not doubled');
    assert.equal(notifications[0].title, 'Claim confirmed');

    // Tapped: the page opens the notice, reads it and goes on to the claims.
    await sw.evaluate(async () => {
      const [notification] = await self.registration.getNotifications();
      const tap = new Event('notificationclick');
      tap.notification = notification;
      tap.waitUntil = () => {};
      self.dispatchEvent(tap);
    });
    await page.waitForURL(`${server.url}/me/claims`, { timeout: 15_000 });
    await page.waitForFunction(async () => (await (await fetch('/api/me/notices')).json()).unread === 0);
    assert.equal((await shown()).length, 0, 'closed once tapped');

    // 关闭本机通知: the server forgets the device.
    await page.goto(`${server.url}/me`);
    await page.locator('.notice-settings__off').click();
    await page.locator('.notice-settings__on').waitFor();
    await worker.context.close();
  } finally {
    await browser.close();
    server.stop();
    push.service.close();
  }
});
