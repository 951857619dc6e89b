// End-to-end: a first visit's first screen. The server draws the list's first screen, and a
// shared wish's page, into the page (crates/server/src/first_screen.rs), so they show, and their
// links work, before the wasm has arrived; the app then takes their place with the same page,
// nothing moving and no frame without it. Service workers are blocked so that every visit is a
// first one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

// A first visit whose wasm is held back until `release()`.
async function firstVisit({ english = false } = {}) {
  const context = await phoneContext(browser, { serviceWorkers: 'block' });
  await context.addInitScript((english) => {
    if (english) localStorage.setItem('microwish.language', 'en');
  }, english);
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await context.route(/\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, problems, release };
}

// The parts of the list's first screen, top to bottom.
const PARTS = ['.hero', '.requests-strip', '.campaigns', '.filters', '.results__count', '.wish-card', '.tabbar'];
// And of a wish's page, above what only the app draws (the timeline).
const WISH_PARTS = ['.topbar', '.wish-card__tags', '.detail__title', '.detail__need', '.detail__facts', '.detail__about', '.claim-panel', '.tabbar'];

// What each part of the screen under `scope` reads (the hidden language left out) and where
// it is, in order; wish cards one by one.
const screenOf = (page, scope, parts = PARTS) =>
  page.evaluate(
    ([scope, parts]) =>
      parts.flatMap((part) =>
        [...document.querySelectorAll(`${scope} ${part}`)].map((element) => ({
          part,
          text: element.innerText.replace(/\s+/g, ' ').trim(),
          top: Math.round(element.getBoundingClientRect().top),
        })),
      ),
    [scope, parts],
  );

// From now on, until the app has taken over: every frame has `selector` on screen, and what
// moves is counted (read back with `takeOverSeen`).
const watchTakeOver = (page, selector) =>
  page.evaluate((selector) => {
    window.firstScreen = { shift: 0, framesWithout: 0, frames: 0 };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (!entry.hadRecentInput) window.firstScreen.shift += entry.value;
      }
    }).observe({ type: 'layout-shift' });
    const frame = () => {
      const shown = [...document.querySelectorAll(selector)].some((element) => element.getClientRects().length > 0);
      window.firstScreen.frames += 1;
      if (!shown) window.firstScreen.framesWithout += 1;
      if (document.getElementById('shell') || !document.querySelector(`main.app ${selector}`)) {
        requestAnimationFrame(frame);
      }
    };
    requestAnimationFrame(frame);
  }, selector);

async function takeOverSeen(page) {
  const seen = await page.evaluate(() => window.firstScreen);
  assert.equal(seen.framesWithout, 0, `a frame without the page (of ${seen.frames})`);
  assert.ok(seen.shift <= 0.02, `layout shift ${seen.shift}`);
}

// As many of each part as `drawn` has, from `screen` (the app's page goes on below).
const firstOf = (screen, drawn, parts) =>
  parts.flatMap((part) => {
    const count = drawn.filter((element) => element.part === part).length;
    return screen.filter((element) => element.part === part).slice(0, count);
  });

for (const english of [false, true]) {
  const language = english ? 'en' : 'zh';

  test(`${language}: the first wishes show before the app, which takes over with the same cards, nothing moving`, async () => {
    const { context, page, problems, release } = await firstVisit({ english });
    try {
      await page.goto(server.url);
      await page.locator('#shell.first-screen .wish-card').first().waitFor();
      const drawn = await screenOf(page, '#shell');
      const cards = drawn.filter(({ part }) => part === '.wish-card');
      assert.equal(cards.length, 6, 'six wishes on the first screen');
      assert.deepEqual(
        [...new Set(drawn.map(({ part }) => part))],
        PARTS,
        'every part of the list page',
      );
      assert.equal(await page.locator('main.app').count(), 0, 'the app has not started');
      const tag = english ? 'Still needed' : '还需';
      assert.ok(cards.every(({ text }) => text.includes(tag)), `${tag}: ${cards[0].text}`);
      const other = english ? /[\u4e00-\u9fff]{2,}/ : /Still needed|Open|Search/;
      const hero = drawn.find(({ part }) => part === '.hero').text;
      assert.ok(!other.test(hero), `one language: ${hero}`);
      await page.screenshot({ path: `${screenshotDir}/first-screen-${language}-360x800.png` });

      await watchTakeOver(page, '.wish-card');
      release();
      await page.locator('main.app .wish-card').first().waitFor();
      await appTookOver(page);
      await takeOverSeen(page);
      // The app's page reads as the server's did, part for part, each where it was.
      // (The app's list goes on below: as many of each part as the server drew.)
      const app = await screenOf(page, 'body');
      assert.deepEqual(firstOf(app, drawn, PARTS), drawn);
      await page.screenshot({ path: `${screenshotDir}/first-screen-taken-over-${language}-360x800.png` });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test(`${language}: a shared wish's page shows before the app, which takes over with the same page`, async () => {
    const { items: [wish] } = await (await fetch(`${server.url}/api/wishes?status=open&limit=1`)).json();
    const { context, page, problems, release } = await firstVisit({ english });
    try {
      await page.goto(`${server.url}/wishes/${wish.id}`);
      await page.locator('#shell.first-screen .detail__title').waitFor();
      const drawn = await screenOf(page, '#shell', WISH_PARTS);
      assert.deepEqual(drawn.map(({ part }) => part), WISH_PARTS);
      assert.equal(drawn.find(({ part }) => part === '.detail__title').text, wish.title);
      const need = drawn.find(({ part }) => part === '.detail__need').text;
      assert.ok(need.startsWith(english ? 'Still needed' : '还需'), need);
      // Claiming works before the app: its button is there, and logs in coming back here.
      const login = page.locator('#shell .claim-panel__login');
      assert.equal((await login.innerText()).trim(), english ? 'Log in to claim' : '登录后认领');
      assert.equal(await login.getAttribute('href'), `/login?next=%2Fwishes%2F${wish.id}`);
      await page.screenshot({ path: `${screenshotDir}/shared-wish-drawn-${language}-360x800.png` });

      const drawnLinks = await page.locator('#shell .tabbar a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
      await watchTakeOver(page, '.detail__title');
      release();
      await page.locator('main.app .claim-panel').waitFor();
      await appTookOver(page);
      await takeOverSeen(page);
      assert.deepEqual(firstOf(await screenOf(page, 'body', WISH_PARTS), drawn, WISH_PARTS), drawn);
      // Its links are the app's: logging in comes back to this wish.
      const hrefs = (scope) => page.locator(`${scope} .tabbar a`).evaluateAll((links) => links.map((link) => link.getAttribute('href')));
      assert.deepEqual(drawnLinks, await hrefs('body'));
      await page.screenshot({ path: `${screenshotDir}/shared-wish-taken-over-${language}-360x800.png` });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

test("a shared campaign's page shows before the app, which takes over with the same page", async () => {
  const { items: [drive] } = await (await fetch(`${server.url}/api/campaigns`)).json();
  const parts = ['.topbar', '.campaign', '.section-title', '.wish-card', '.tabbar'];
  const { context, page, problems, release } = await firstVisit();
  try {
    await page.goto(`${server.url}/campaigns/${drive.id}`);
    await page.locator('#shell.first-screen .detail__title').waitFor();
    const drawn = await screenOf(page, '#shell', parts);
    assert.ok(drawn.some(({ part }) => part === '.wish-card'), 'its wishes');
    assert.equal(await page.locator('#shell .detail__title').innerText(), drive.title);
    await watchTakeOver(page, '.detail__title');
    release();
    await page.locator('main.app .campaign').waitFor();
    await appTookOver(page);
    await takeOverSeen(page);
    assert.deepEqual(firstOf(await screenOf(page, 'body', parts), drawn, parts), drawn);
    await page.screenshot({ path: `${screenshotDir}/shared-campaign-taken-over-360x800.png` });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a first screen's wish is a link that works before the app has arrived", async () => {
  const { context, page, release } = await firstVisit();
  try {
    await page.goto(server.url);
    const card = page.locator('#shell .wish-card').first();
    const title = (await card.locator('.wish-card__title').innerText()).trim();
    await card.click();
    await page.waitForURL(/\/wishes\/[0-9a-f-]+$/);
    // The server's page of that wish, still without the app.
    await page.locator('#shell .detail__title').waitFor();
    assert.equal((await page.locator('#shell .detail__title').innerText()).trim(), title);
    assert.equal(await page.locator('main.app').count(), 0);
    assert.match(await page.title(), new RegExp(title));
    release();
    await page.locator('main.app h1').first().waitFor();
  } finally {
    await context.close();
  }
});

for (const english of [false, true]) {
  const language = english ? 'en' : 'zh';
  const itemChip = english ? 'Item wish' : '物品心愿';

  test(`${language}: the filters and the search work before the app has arrived, and the app takes over the list they found`, async () => {
  const { context, page, problems, release } = await firstVisit({ english });
  try {
    await page.goto(server.url);
    // A chip is a link: the server draws the list with that choice.
    await page.locator('#shell .chip', { hasText: itemChip }).click();
    await page.waitForURL(/\?kind=item$/);
    await page.locator('#shell.first-screen .wish-card').first().waitFor();
    assert.equal((await page.locator('#shell .chip--on').first().innerText()).trim(), itemChip);
    const kinds = await page.locator('#shell .wish-card').evaluateAll((cards) => cards.map((card) => card.dataset.kind));
    assert.ok(kinds.length > 0 && kinds.every((kind) => kind === 'item'), kinds.join());
    // The search sends its words with the filters already chosen.
    const title = (await page.locator('#shell .wish-card__title').first().innerText()).trim();
    const word = [...title].slice(0, 2).join('');
    const box = page.locator(`#shell form.search.only-${language} input[name=q]`);
    await box.fill(word);
    await box.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === word && url.searchParams.get('kind') === 'item');
    await page.locator('#shell.first-screen .wish-card').first().waitFor();
    const { items } = await (await fetch(`${server.url}/api/wishes?status=open&kind=item&q=${encodeURIComponent(word)}&limit=6`)).json();
    const drawnIds = await page.locator('#shell .wish-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('href')));
    assert.deepEqual(drawnIds, items.map((wish) => `/wishes/${wish.id}`));
    assert.equal(await page.locator(`#shell form.search.only-${language} input[name=q]`).inputValue(), word);
    assert.equal(await page.locator('main.app').count(), 0, 'all without the app');
    await page.screenshot({ path: `${screenshotDir}/first-screen-searched-${language}-360x800.png` });

    // The app takes over the same list: same count, same cards, nothing moving.
    const drawn = await screenOf(page, '#shell');
    await watchTakeOver(page, '.wish-card');
    release();
    await page.locator('main.app .wish-card').first().waitFor();
    await appTookOver(page);
    await takeOverSeen(page);
    assert.deepEqual(firstOf(await screenOf(page, 'body'), drawn, PARTS), drawn);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
}

test('a link tapped on a drawn page while the app waits behind it opens its page at once', async () => {
  const { context, page, problems, release } = await firstVisit();
  // The list never gets its wishes: the page the server drew stays over the app.
  let releasePull;
  const pullHeld = new Promise((resolve) => (releasePull = resolve));
  await context.route(/\/api\/sync\/pull/, async (route) => {
    await pullHeld;
    await route.continue().catch(() => {});
  });
  try {
    await page.goto(server.url);
    await page.locator('#shell.first-screen .wish-card').first().waitFor();
    release();
    await page.locator('main.app').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#shell').count(), 1, 'the drawn page holds');
    // The app's router follows the drawn page's 登录: the login page shows, not the held list.
    await page.locator('#shell .tabbar__login').click();
    await page.waitForURL(/\/login$/);
    await page.locator('main.app form').first().waitFor({ state: 'visible', timeout: 4000 });
    assert.equal(await page.locator('#shell').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    releasePull();
    await context.close();
  }
});
