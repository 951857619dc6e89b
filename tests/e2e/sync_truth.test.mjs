// End-to-end: the phone tells the truth about its sync state and never loses queued work.
// The sync bar follows the network at once; a claim made offline says "saved, waiting" (not
// "claimed") until the server has taken it; logging out with changes waiting asks first and
// keeps them until they are sent; logging out offline wipes the device at once and ends the
// server's session when the network returns. Real server, demo data, Chromium at 360x800.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, launchBrowser, phoneContext, screenshotDir, tapLogOut, visit } from './support.mjs';

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

async function api(path, options = {}) {
  const response = await fetch(`${server.url}${path}`, options);
  return { status: response.status, body: await response.json().catch(() => null), response };
}

let phones = 0;
/** A new donor, logged in inside `context` (the session cookie set from a real registration);
 * returns the session token. */
async function donorIn(context) {
  phones += 1;
  const phone = `136${String(Date.now()).slice(-6)}${String(phones).padStart(2, '0')}`;
  const { status, response } = await api('/api/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ display_name: `同步${phones}`, phone, password: 'sync-truth-e2e-2026', role: 'donor' }),
  });
  assert.equal(status, 201);
  const token = response.headers.getSetCookie()[0].split(';')[0].split('=')[1];
  // What the browser keeps after a login: the session, and the hint that one was started.
  await context.addCookies([
    { name: 'mw_session', value: token, url: server.url },
    { name: 'mw_signed_in', value: '1', url: server.url },
  ]);
  return token;
}

/** GET /api/me with a given session cookie, from the test process (never offline). */
async function meStatus(token) {
  return (await api('/api/me', { headers: { cookie: `mw_session=${token}` } })).status;
}

// A wish not claimed by an earlier test when the demo has one left (the tests run one after
// the other and each reads `remaining` afresh, so sharing a wish is also safe).
const used = new Set();
async function openItemWish(minRemaining) {
  const { body } = await api('/api/wishes?kind=item&status=open&limit=200');
  const fits = body.items.filter((w) => w.remaining >= minRemaining);
  const wish = fits.find((w) => !used.has(w.id)) ?? fits[0];
  assert.ok(wish, 'a suitable demo wish');
  used.add(wish.id);
  return wish;
}

async function remainingOnServer(id) {
  return (await api(`/api/wishes/${id}`)).body.remaining;
}

/** Waits until `check` holds, polling; fails after `ms`. */
async function eventually(check, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await sleep(100);
  }
}

function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** How many records the device holds in the "claims" and "outbox" stores of IndexedDB
 * "microwish" (only once the app has opened it: opening it first would create it empty). */
function deviceCounts(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('microwish');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['claims', 'outbox'], 'readonly');
          const counts = {};
          for (const name of ['claims', 'outbox']) {
            const request = tx.objectStore(name).count();
            request.onsuccess = () => {
              counts[name] = request.result;
            };
          }
          tx.oncomplete = () => {
            db.close();
            resolve(counts);
          };
          tx.onerror = () => {
            db.close();
            reject(tx.error);
          };
        };
      }),
  );
}

const bar = (page, state) => page.locator(`.sync-status[data-state=${state}]`);

/** A logged-in donor's phone on the wish's page, synced with the server. */
async function onWishPage(wish) {
  const context = await phoneContext(browser);
  const token = await donorIn(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}/wishes/${wish.id}`);
  await page.locator('.claim-panel__submit').waitFor();
  await page.locator('.tabbar[data-session=in]').waitFor();
  await bar(page, 'synced').waitFor({ timeout: 10_000 });
  return { context, page, errors, token };
}

/** Goes offline and waits for the bar to say so. */
async function goOffline(context, page) {
  await context.setOffline(true);
  await bar(page, 'offline').waitFor({ timeout: 2000 });
}

/** Claims one unit offline on the wish's page: saved, marked as waiting, not "claimed". */
async function claimOffline(page, wish) {
  await page.locator('.claim-panel__submit').click();
  const pending = page.locator('.claim-success.claim-success--pending');
  await pending.waitFor();
  assert.equal((await pending.locator('.claim-success__title').innerText()).trim(), '已保存,待提交');
  assert.equal(await page.locator('.detail__remaining').innerText(), String(wish.remaining - 1));
  // Still offline, and saying there is one change waiting.
  assert.equal(await page.locator('.sync-status').getAttribute('data-state'), 'offline');
  assert.match(await page.locator('.sync-status').innerText(), /1 项已保存/);
  assert.equal(await remainingOnServer(wish.id), wish.remaining, 'nothing reached the server yet');
}

test('the sync bar says offline within 1 s of the network going, and synced again when it returns', async (t) => {
  const context = await phoneContext(browser);
  await donorIn(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await visit(page, server.url);
  await page.locator('.wish-card').first().waitFor();
  await bar(page, 'synced').waitFor({ timeout: 10_000 });

  for (let round = 1; round <= 2; round += 1) {
    // No tap, no reload: the browser's `offline` event alone must change the bar.
    const wentOffline = Date.now();
    await context.setOffline(true);
    await bar(page, 'offline').waitFor({ timeout: 1000 }).catch(() => {});
    const offlineAfter = Date.now() - wentOffline;
    assert.equal(
      await page.locator('.sync-status').getAttribute('data-state'),
      'offline',
      `round ${round}: the bar still says ${await page.locator('.sync-status').getAttribute('data-state')} after ${offlineAfter} ms offline`,
    );
    assert.ok(offlineAfter <= 1000, `round ${round}: offline shown after ${offlineAfter} ms`);
    assert.match(await page.locator('.sync-status').innerText(), /离线/);
    if (round === 1) {
      // It stays truthful while the network is away (no flicker back to synced).
      await sleep(1500);
      assert.equal(await page.locator('.sync-status').getAttribute('data-state'), 'offline');
    }

    const cameBack = Date.now();
    await context.setOffline(false);
    await bar(page, 'synced').waitFor({ timeout: 5000 });
    const syncedAfter = Date.now() - cameBack;
    assert.ok(syncedAfter <= 5000, `round ${round}: synced again after ${syncedAfter} ms`);
    assert.equal(await bar(page, 'offline').count(), 0);
    t.diagnostic(`round ${round}: offline shown after ${offlineAfter} ms, synced again after ${syncedAfter} ms`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a claim made offline says "saved, waiting" on the wish page until the server takes it, once', async () => {
  const wish = await openItemWish(2);
  const { context, page, errors } = await onWishPage(wish);
  await goOffline(context, page);
  await claimOffline(page, wish);
  await page.locator('.claim-success--pending').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}/sync-pending-claim-360x800.png` });

  // Still waiting after a while offline: nothing pretends it went through.
  await sleep(1000);
  assert.equal(await page.locator('.claim-success--pending').count(), 1);

  await context.setOffline(false);
  const done = page.locator('.claim-success:not(.claim-success--pending)');
  await done.waitFor({ timeout: 10_000 });
  assert.equal((await done.locator('.claim-success__title').innerText()).trim(), '认领成功');
  assert.equal(await page.locator('.claim-success--pending').count(), 0);
  await bar(page, 'synced').waitFor({ timeout: 10_000 });
  assert.equal(await remainingOnServer(wish.id), wish.remaining - 1, 'applied');
  await sleep(1500);
  assert.equal(await remainingOnServer(wish.id), wish.remaining - 1, 'applied exactly once');
  assert.equal(await page.locator('.detail__remaining').innerText(), String(wish.remaining - 1));
  assert.deepEqual(errors, []);
  await context.close();
});

test('我的认领 marks an offline claim as waiting, with no deliver or release, until it is taken', async () => {
  const wish = await openItemWish(2);
  const { context, page, errors } = await onWishPage(wish);
  await goOffline(context, page);
  await claimOffline(page, wish);

  // Within the app (no reload, no network): to 我的认领.
  await page.locator('.tabbar__claims').click();
  await page.waitForURL(/\/me\/claims$/);
  const card = page.locator('.live-claim', { has: page.locator(`.claim-card__title[href="/wishes/${wish.id}"]`) });
  await card.waitFor();
  await card.locator('.badge--pending').waitFor();
  assert.equal((await card.locator('.badge--pending').innerText()).trim(), '已保存,待提交');
  assert.equal(await card.locator('.claim-card__deliver').count(), 0, 'no deliver while pending');
  assert.equal(await card.locator('.claim-card__release').count(), 0, 'no release while pending');
  assert.equal(await page.locator('.sync-status').getAttribute('data-state'), 'offline');

  await context.setOffline(false);
  await card.locator('.claim-card__deliver').waitFor({ timeout: 10_000 });
  assert.equal(await card.locator('.badge--pending').count(), 0);
  assert.equal(await card.locator('.claim-card__release').count(), 1);
  await bar(page, 'synced').waitFor({ timeout: 10_000 });
  assert.equal(await remainingOnServer(wish.id), wish.remaining - 1, 'applied');
  await sleep(1500);
  assert.equal(await remainingOnServer(wish.id), wish.remaining - 1, 'applied exactly once');
  assert.equal(await page.locator('.live-claim').count(), 1, 'one claim on the device');
  assert.deepEqual(errors, []);
  await context.close();
});

/** Where each of the prompt's buttons is on the screen as it is now, and what a tap at its
 * middle would land on. */
function promptButtons(page) {
  return page.evaluate(() => {
    const tabbar = document.querySelector('.tabbar').getBoundingClientRect();
    return ['send', 'discard', 'keep'].map((name) => {
      const button = document.querySelector(`.logout-prompt__${name}`);
      const box = button.getBoundingClientRect();
      const x = box.left + box.width / 2;
      const y = box.top + box.height / 2;
      const hit = y >= 0 && y < window.innerHeight ? document.elementFromPoint(x, y) : null;
      return {
        name,
        top: Math.round(box.top),
        bottom: Math.round(box.bottom),
        onScreen: box.top >= 0 && box.bottom <= tabbar.top,
        hit: hit === null ? 'nothing (off screen)' : button.contains(hit) ? 'itself' : hit.className,
      };
    });
  });
}

/** Offline, one claim waiting, the logout question open. */
async function askedAtLogout() {
  const wish = await openItemWish(2);
  const phone = await onWishPage(wish);
  const { context, page } = phone;
  await goOffline(context, page);
  await claimOffline(page, wish);
  await tapLogOut(page);
  const prompt = page.locator('.logout-prompt');
  await prompt.waitFor();
  assert.match(await prompt.innerText(), /还有 1 项改动/);
  assert.equal((await prompt.locator('.logout-prompt__send').innerText()).trim(), '联网后提交并退出');
  await prompt.locator('.logout-prompt__discard').waitFor();
  await prompt.locator('.logout-prompt__keep').waitFor();
  return { ...phone, wish, prompt };
}

test('logging out with a change waiting asks first, in a dialog whose three buttons a thumb can reach', async () => {
  const { context, page, errors, prompt } = await askedAtLogout();
  // Right after the tap, without scrolling: the question must be in sight, above the tab bar.
  const atTap = await promptButtons(page);
  await prompt.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}/logout-prompt-360x800.png` });
  const problems = atTap
    .filter((button) => !(button.onScreen && button.hit === 'itself'))
    .map(
      (button) =>
        `right after tapping 退出 (no scrolling), .logout-prompt__${button.name} is not on screen above the ` +
        `tab bar (top ${button.top}, bottom ${button.bottom} px in an 800 px viewport; a tap there lands on: ${button.hit})`,
    );
  // Scrolled as far as the page goes, each button must take a tap itself.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  for (const button of await promptButtons(page)) {
    if (button.hit !== 'itself') {
      problems.push(
        `scrolled to the bottom, a tap on .logout-prompt__${button.name} (top ${button.top}, ` +
          `bottom ${button.bottom} px) lands on: ${button.hit}`,
      );
    }
  }
  assert.ok(problems.length === 0, problems.join('\n'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('"keep" keeps the user and the change; "send" offline waits for the network, sends once, then logs out', async () => {
  const { context, page, errors, token, wish, prompt } = await askedAtLogout();

  // "Keep": nothing changes, the claim still waits. (Pressed on the element itself: whether
  // a thumb can reach it is the test above.)
  await prompt.locator('.logout-prompt__keep').click();
  await prompt.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.tabbar[data-session=in]').count(), 1, 'still logged in');
  assert.equal(await page.locator('.tabbar__login').count(), 0);
  assert.equal((await deviceCounts(page)).outbox, 1, 'the change is kept on the device');
  assert.equal(await page.locator('.sync-status').getAttribute('data-state'), 'offline');

  // "Send first" while offline: still logged in, still waiting, until the network is back.
  await tapLogOut(page);
  await prompt.waitFor();
  await prompt.locator('.logout-prompt__send').click();
  await prompt.waitFor({ state: 'detached' });
  await sleep(1000);
  await page.locator('.tabbar[data-session=in]').waitFor();
  assert.equal(await page.locator('.tabbar__login').count(), 0, 'not logged out before the change is sent');
  assert.equal((await deviceCounts(page)).outbox, 1, 'the change is still on the device');
  assert.equal(await remainingOnServer(wish.id), wish.remaining, 'nothing sent yet');
  assert.equal(await meStatus(token), 200, 'the server session is still there');

  await context.setOffline(false);
  await eventually(async () => (await remainingOnServer(wish.id)) === wish.remaining - 1, 10_000, 'claim applied');
  await page.locator('.tabbar__login').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('.tabbar[data-session=in]').count(), 0);
  await eventually(
    async () => {
      const counts = await deviceCounts(page);
      return counts.claims === 0 && counts.outbox === 0;
    },
    3000,
    'nothing of the user left on the device',
  );
  await eventually(async () => (await meStatus(token)) === 401, 5000, 'server session ended');
  await sleep(1500);
  assert.equal(await remainingOnServer(wish.id), wish.remaining - 1, 'applied exactly once');
  assert.deepEqual(errors, []);
  await context.close();
});

test('logging out offline with nothing waiting wipes the device at once and ends the session when back online', async () => {
  const wish = await openItemWish(2);
  const { context, page, errors, token } = await onWishPage(wish);
  // A claim taken by the server, so that the device holds something of the user.
  await page.locator('.claim-panel__submit').click();
  await page.locator('.claim-success:not(.claim-success--pending)').waitFor({ timeout: 10_000 });
  await bar(page, 'synced').waitFor({ timeout: 10_000 });
  await eventually(async () => (await deviceCounts(page)).claims >= 1, 5000, 'the claim is on the device');

  await goOffline(context, page);
  const tapped = Date.now();
  await tapLogOut(page);
  // No question: nothing waits. The device forgets the user at once.
  await page.locator('.tabbar__login').waitFor({ timeout: 1000 });
  await eventually(async () => (await deviceCounts(page)).claims === 0, 1000, 'claims wiped from the device');
  const wipedAfter = Date.now() - tapped;
  assert.equal(await page.locator('.logout-prompt').count(), 0);
  assert.deepEqual(await deviceCounts(page), { claims: 0, outbox: 0 });
  assert.equal(await page.locator('.tabbar[data-session=in]').count(), 0);
  assert.ok(wipedAfter <= 2000, `wiped after ${wipedAfter} ms`);
  // The server could not be told yet.
  assert.equal(await meStatus(token), 200, 'the server session lives until the phone is back online');

  await context.setOffline(false);
  await sleep(2000);
  assert.equal(await meStatus(token), 401, 'the old session cookie no longer works');
  await page.locator('.tabbar__login').waitFor();
  assert.deepEqual(await deviceCounts(page), { claims: 0, outbox: 0 });
  assert.deepEqual(errors, []);
  await context.close();
});
