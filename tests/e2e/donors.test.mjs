// End-to-end: what donors tripped over in a season of use (issue 26), at 360x800, in Chinese,
// English and elder mode. A claim on a wish the community withdrew says the wish was withdrawn
// (not that the gift was refused), gives the worker's reason and thanks the donor; a finished
// wish's page shows the household's thanks and other open wishes; a visitor sees no sync
// status; a claim still waiting on the phone looks different ("待发送") and, if refused, is
// explained; the logout question names the changes it would lose and makes sending them the
// prominent choice. Run by `make e2e`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, launchBrowser, phoneContext, screenshotDir, demo, tapLogOut, seriousViolations, visit } from './support.mjs';

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

async function api(path, { method = 'GET', body, token } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.cookie = `mw_session=${token}`;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null), response };
}

function sessionOf(response) {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('mw_session='));
  assert.ok(cookie, 'a session cookie');
  return cookie.split(';')[0].slice('mw_session='.length);
}

async function logInAs(account) {
  const { status, response } = await api('/api/auth/login', {
    method: 'POST',
    body: { phone: account.phone, password: account.password },
  });
  assert.equal(status, 200);
  return sessionOf(response);
}

let donors = 0;
/** A new donor's session token (registered through the API). */
async function newDonor() {
  donors += 1;
  const phone = `136${String(Date.now()).slice(-6)}${String(donors).padStart(2, '0')}`;
  const { status, response } = await api('/api/auth/register', {
    method: 'POST',
    body: { display_name: `爱心${donors}`, phone, password: 'donors-e2e-2026', role: 'donor' },
  });
  assert.equal(status, 201);
  return sessionOf(response);
}

/** A phone at 360x800 (elder mode, English as asked), signed in with `token` if given. */
async function phone({ token, elder = false, english = false } = {}) {
  const context = await phoneContext(browser);
  await context.addInitScript(([elder, english]) => {
    if (elder) localStorage.setItem('microwish.elder', 'on');
    if (english) localStorage.setItem('microwish.language', 'en');
  }, [elder, english]);
  if (token) {
    await context.addCookies([
      { name: 'mw_session', value: token, url: server.url },
      { name: 'mw_signed_in', value: '1', url: server.url },
    ]);
  }
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

const used = new Set();
/** An open item wish no other test of this file has used, with `quantity` units all unclaimed. */
async function freshWish(quantity) {
  const { body } = await api('/api/wishes?kind=item&status=open&limit=200');
  const wish = body.items.find((w) => !used.has(w.id) && w.remaining === w.quantity
    && (quantity === undefined || w.quantity === quantity));
  assert.ok(wish, `an untouched open item wish${quantity ? ` of ${quantity}` : ''}`);
  used.add(wish.id);
  return wish;
}

async function claim(token, wish, quantity = 1) {
  const { status, body } = await api(`/api/wishes/${wish.id}/claims`, { method: 'POST', token, body: { quantity } });
  assert.equal(status, 201, JSON.stringify(body));
  return body;
}

/** Controls in `selector` smaller than a thumb (44 px either way). */
function smallTargets(page, selector) {
  return page.evaluate((selector) => [...document.querySelectorAll(selector)]
    .map((element) => ({ element, box: element.getBoundingClientRect() }))
    .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
    .map(({ element, box }) => `${element.className} ${Math.round(box.width)}x${Math.round(box.height)}`), selector);
}

test('a visitor sees no sync status; a signed-in donor still does', async () => {
  const visitor = await phone();
  await visit(visitor.page, server.url);
  await visitor.page.locator('.wish-card').first().waitFor();
  await visitor.page.locator('.tabbar[data-session=out]').waitFor();
  // Long enough for the first pull to finish and the bar to settle.
  await sleep(2500);
  assert.equal(await visitor.page.locator('.sync-status').count(), 0,
    `a visitor is shown: ${await visitor.page.locator('.sync-status').allInnerTexts()}`);
  await visitor.page.screenshot({ path: `${screenshotDir}/donors-visitor-no-sync-360x800.png` });
  assert.deepEqual(visitor.errors, []);
  await visitor.context.close();

  const donor = await phone({ token: await newDonor() });
  await visit(donor.page, server.url);
  await donor.page.locator('.sync-status[data-state=synced]').waitFor({ timeout: 10_000 });
  await donor.context.close();
});

test('a claim on a withdrawn wish says so, gives the reason and thanks the donor', async () => {
  const wish = await freshWish();
  const token = await newDonor();
  const held = await claim(token, wish);
  const worker = await logInAs(demo.worker);
  const reason = '受助人已搬离本社区';
  const cancelled = await api(`/api/wishes/${wish.id}/cancel`, { method: 'POST', token: worker, body: { reason } });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));

  for (const [look, options] of [['zh', {}], ['en', { english: true }], ['elder', { elder: true }]]) {
    const { context, page, errors } = await phone({ token, ...options });
    await page.goto(`${server.url}/me/claims`);
    const card = page.locator('.claim-card', { has: page.locator(`.claim-card__title[href="/wishes/${wish.id}"]`) });
    await card.waitFor({ timeout: 10_000 });
    const status = card.locator('.claim-status');
    await card.locator('.claim-status--withdrawn').waitFor({ timeout: 10_000 });
    const said = (await status.innerText()).trim();
    const reasonText = await card.locator('.claim-card__reason').innerText();
    const thanks = card.locator('.claim-card__withdrawn-thanks');
    if (look === 'en') {
      assert.equal(said, 'Wish withdrawn');
      assert.match(reasonText, new RegExp(`Why it was withdrawn: ${reason}`));
      assert.match(await thanks.innerText(), /Thank you/);
    } else {
      assert.equal(said, '心愿已撤回', 'not "已退回", as if the gift were refused');
      assert.match(reasonText, new RegExp(`撤回原因:${reason}`));
      assert.match(await thanks.innerText(), /谢谢你的心意/);
      assert.doesNotMatch(await card.innerText(), /已退回|退回原因/);
    }
    const onward = card.locator('.claim-card__other-wishes');
    assert.equal(await onward.getAttribute('href'), '/');
    assert.deepEqual(await smallTargets(page, '.claim-card__other-wishes'), []);
    assert.deepEqual(await seriousViolations(page), []);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshotDir}/donors-withdrawn-${look}-360x800.png` });
    if (look === 'zh') {
      await onward.click();
      await page.waitForURL(`${server.url}/`);
      await page.locator('.wish-card').first().waitFor();
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
  assert.equal(held.status, 'active');
});

test('a finished wish shows the household\'s thanks to its donor and other open wishes to help', async () => {
  const wish = await freshWish(1);
  const token = await newDonor();
  const held = await claim(token, wish);
  assert.equal((await api(`/api/claims/${held.id}/deliver`, { method: 'POST', token, body: {} })).status, 200);
  const worker = await logInAs(demo.worker);
  const confirmed = await api(`/api/claims/${held.id}/confirm`, { method: 'POST', token: worker, body: {} });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  const words = '谢谢您,孩子很喜欢!';
  const thanked = await api(`/api/claims/${held.id}/thanks`, { method: 'POST', token: worker, body: { text: words } });
  assert.ok(thanked.status < 300, JSON.stringify(thanked.body));
  assert.equal((await api(`/api/wishes/${wish.id}`)).body.status, 'fulfilled');

  for (const [look, options] of [['zh', {}], ['en', { english: true }], ['elder', { elder: true }], ['visitor', { visitor: true }]]) {
    const { context, page, errors } = await phone({ token: options.visitor ? undefined : token, ...options });
    await page.goto(`${server.url}/wishes/${wish.id}`);
    const finished = page.locator('.finished');
    await finished.waitFor({ timeout: 10_000 });
    assert.match(await finished.locator('.finished__title').innerText(),
      look === 'en' ? /come true/ : /心愿已经实现/);
    if (look === 'visitor') {
      assert.equal(await finished.locator('.finished__thanks').count(), 0, 'thanks are for the donor only');
    } else {
      await finished.locator('.finished__thanks', { hasText: words }).waitFor({ timeout: 10_000 });
    }
    // Other open wishes to help, each a link to its page, and a way to all of them.
    const more = page.locator('.finished__more .wish-card');
    await more.first().waitFor();
    const count = await more.count();
    assert.ok(count >= 1 && count <= 3, `${count} other wishes`);
    for (const href of await more.evaluateAll((cards) => cards.map((card) => card.getAttribute('href')))) {
      assert.notEqual(href, `/wishes/${wish.id}`);
      const other = (await api(href.replace('/wishes/', '/api/wishes/'))).body;
      assert.equal(other.status, 'open', `${href} is open`);
    }
    assert.equal(await page.locator('.finished__all').getAttribute('href'), '/');
    assert.deepEqual(await smallTargets(page, '.finished__all, .finished__more .wish-card'), []);
    assert.deepEqual(await seriousViolations(page), []);
    await page.screenshot({ path: `${screenshotDir}/donors-finished-${look}-360x800.png` });
    await page.locator('.finished__more').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshotDir}/donors-finished-more-${look}-360x800.png` });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

/** A donor's phone on `wish`'s page, synced, then offline. */
async function offlineOnWish(wish, options = {}) {
  const token = await newDonor();
  const phoneOf = await phone({ token, ...options });
  const { context, page } = phoneOf;
  await page.goto(`${server.url}/wishes/${wish.id}`);
  await page.locator('.claim-panel__submit').waitFor();
  await page.locator('.sync-status[data-state=synced]').waitFor({ timeout: 10_000 });
  await context.setOffline(true);
  await page.locator('.sync-status[data-state=offline]').waitFor({ timeout: 2000 });
  return { ...phoneOf, token };
}

test('a claim waiting on the phone reads 待发送 in 我的认领 and, once refused, is explained', async () => {
  const wish = await freshWish(1);
  const { context, page, errors } = await offlineOnWish(wish);
  await page.locator('.claim-panel__submit').click();
  await page.locator('.claim-success--pending').waitFor();

  await page.locator('.tabbar__claims').click();
  await page.waitForURL(/\/me\/claims$/);
  const card = page.locator('.live-claim', { has: page.locator(`.claim-card__title[href="/wishes/${wish.id}"]`) });
  await card.waitFor();
  assert.equal((await card.locator('.claim-status').innerText()).trim(), '待发送', 'not "进行中" before the server took it');
  assert.equal(await card.locator('.claim-card').evaluate((element) => getComputedStyle(element).borderTopStyle), 'dashed');
  await page.screenshot({ path: `${screenshotDir}/donors-waiting-360x800.png` });

  // Meanwhile someone else takes the last unit; back online, the claim is refused and said so.
  await claim(await newDonor(), wish);
  await context.setOffline(false);
  const notice = page.locator('.sync-notice');
  await notice.waitFor({ timeout: 10_000 });
  assert.match(await notice.innerText(), new RegExp(`你离线时认领的「${wish.title}」已被其他人认领完了`));
  await card.waitFor({ state: 'detached', timeout: 10_000 });
  await page.screenshot({ path: `${screenshotDir}/donors-waiting-refused-360x800.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the logout question names the change and makes sending it first the prominent choice', async () => {
  for (const [look, options] of [['zh', {}], ['en', { english: true }], ['elder', { elder: true }]]) {
    const wish = await freshWish();
    const { context, page, errors } = await offlineOnWish(wish, options);
    await page.locator('.claim-panel__submit').click();
    await page.locator('.claim-success--pending').waitFor();
    await tapLogOut(page);
    const prompt = page.locator('.logout-prompt');
    await prompt.waitFor();

    // It says what would be lost: which wish, how many.
    const changes = await prompt.locator('.logout-prompt__changes li').allInnerTexts();
    assert.deepEqual(changes, [look === 'en'
      ? `Claim 1 ${wish.unit} of “${wish.title}”`
      : `认领「${wish.title}」1 ${wish.unit}`]);

    // Sending first is the filled, full-width button on top; dropping the change is a plain
    // destructive link-like button, last.
    const look_ = await prompt.evaluate((root) => ['send', 'keep', 'discard'].map((name) => {
      const button = root.querySelector(`.logout-prompt__${name}`);
      const style = getComputedStyle(button);
      const box = button.getBoundingClientRect();
      return { name, background: style.backgroundColor, top: box.top, width: box.width, height: box.height };
    }));
    const [send, keep, discard] = look_;
    const transparent = (colour) => colour === 'rgba(0, 0, 0, 0)' || colour === 'transparent';
    assert.ok(!transparent(send.background) && send.background !== 'rgb(255, 255, 255)', `send is filled: ${send.background}`);
    assert.ok(transparent(discard.background), `discard is not a filled button: ${discard.background}`);
    assert.ok(send.top < keep.top && keep.top < discard.top, 'send, keep, then discard');
    assert.ok(discard.width < send.width, 'discard is narrower than the safe choice');
    assert.ok(discard.height >= 44, `discard is still a thumb's target: ${discard.height}`);
    assert.deepEqual(await seriousViolations(page), []);
    await page.screenshot({ path: `${screenshotDir}/donors-logout-${look}-360x800.png` });

    if (look === 'zh') {
      // Discarding still works, and says it loses the change.
      assert.match(await prompt.locator('.logout-prompt__discard').innerText(), /丢失/);
      await prompt.locator('.logout-prompt__discard').click();
      await page.locator('.tabbar__login').waitFor({ timeout: 10_000 });
      await sleep(1000);
      assert.equal((await api(`/api/wishes/${wish.id}`)).body.remaining, wish.remaining, 'nothing was sent');
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
