// End-to-end: hand-over at the grid station, at 360x800. A donor's claim shows its hand-over
// code; the worker, offline at the station, types a wrong code (told so at once, from the
// phone's own cache), then the giver's code in lower case; back online the confirmation is
// applied once and the wish is fulfilled. Then the QR code: read from the giver's screen (decoded
// here with jsQR), it opens the console with the code filled in, and the app's own scanner
// (the browser's BarcodeDetector, stubbed as headless Linux Chromium has none) confirms it
// offline. Run by `make e2e` (node --test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
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

async function getJson(path) {
  const response = await fetch(`${server.url}${path}`);
  assert.equal(response.status, 200, path);
  return response.json();
}

/** The demo donor claims an open one-unit item wish and opens 我的认领 at its hand-over code. */
async function donorHoldsACode() {
  const { items } = await getJson('/api/wishes?kind=item');
  const wish = items.find((w) => w.quantity === 1 && w.remaining === 1 && w.status === 'open');
  assert.ok(wish, 'the demo data has an open one-unit item wish');
  const donorContext = await phoneContext(browser);
  const page = await donorContext.newPage();
  await page.goto(`${server.url}/login?next=/wishes/${wish.id}`);
  await logIn(page, demo.donor);
  await page.waitForURL(`${server.url}/wishes/${wish.id}`);
  await page.locator('.claim-panel__submit').click();
  await page.locator('.claim-success:not(.claim-success--pending)').waitFor();
  await page.locator('.tabbar__claims').click();
  const shown = page.locator('.claim-card', { hasText: wish.title }).locator('.handover-code');
  await shown.waitFor();
  return { wish, donorContext, page, shown, code: await shown.getAttribute('data-code') };
}

/** The worker's phone back online: it syncs, and the server has applied the hand-over (the wish fulfilled). */
async function onlineUntilFulfilled(context, page, wish) {
  await context.setOffline(false);
  await page.locator('.sync-status[data-state=synced]').waitFor({ timeout: 20_000 });
  let status;
  for (let i = 0; i < 40 && status !== 'fulfilled'; i += 1) {
    status = (await getJson(`/api/wishes/${wish.id}`)).status;
    if (status !== 'fulfilled') await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.equal(status, 'fulfilled');
}

test('a worker offline at the station confirms a donor’s hand-over code once', async () => {
  // --- The donor claims a wish and reads the code on 我的认领 ---
  const { wish, donorContext, page, shown, code } = await donorHoldsACode();
  assert.match(code, /^[ACDEFGHJKLMNPQRTUVWXY34679]{6}$/);
  assert.equal(
    (await shown.locator('.handover-code__code').innerText()).replace(/\s/g, ''),
    code,
    'shown in two groups of three',
  );
  await page.screenshot({ path: `${screenshotDir}/handover-code-360x800.png`, fullPage: true });

  // The public wish never carries it.
  const publicWish = await getJson(`/api/wishes/${wish.id}`);
  assert.ok(!JSON.stringify(publicWish).includes(code), 'the code is not public');

  // --- The worker: synced once, then offline at the station ---
  const workerContext = await phoneContext(browser);
  const workerPage = await workerContext.newPage();
  await workerPage.goto(`${server.url}/login?next=/worker/claims`);
  await logIn(workerPage, demo.worker);
  await workerPage.waitForURL(`${server.url}/worker/claims`);
  // The claim is in this phone's cache (its code with it) before the network goes.
  await workerPage.locator('.claim-card', { hasText: wish.title }).waitFor();
  await workerPage.goto(`${server.url}/worker`);
  await workerPage.locator('.handover-form').waitFor();
  await workerContext.setOffline(true);
  await workerPage.locator('.sync-status[data-state=offline]').waitFor();

  const wrong = code === 'AAAAAA' ? 'CCCCCC' : 'AAAAAA';
  await workerPage.locator('#handover-code').fill(wrong);
  await workerPage.locator('.handover-form button[type=submit]').click();
  const refusal = workerPage.locator('.handover-form .form-error');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /交接码/);

  await workerPage.locator('#handover-code').fill(` ${code.slice(0, 3).toLowerCase()} ${code.slice(3).toLowerCase()} `);
  await workerPage.locator('.handover-form button[type=submit]').click();
  await workerPage.locator('.handover-form__done').waitFor();
  await workerPage.screenshot({ path: `${screenshotDir}/handover-confirmed-offline-360x800.png`, fullPage: true });
  // Nothing reached the server yet.
  assert.equal((await getJson(`/api/wishes/${wish.id}`)).status, 'claimed');

  // --- Back online: applied once, the wish fulfilled ---
  await onlineUntilFulfilled(workerContext, workerPage, wish);

  // The giver's phone says so after its next sync.
  await page.reload();
  await page
    .locator('.claim-card', { hasText: wish.title })
    .locator('.claim-status', { hasText: '已确认收到' })
    .waitFor();

  // A replay of the code answers the same, and changes nothing.
  const session = await workerContext.cookies();
  const cookie = session.map((c) => `${c.name}=${c.value}`).join('; ');
  const replay = await fetch(`${server.url}/api/handover`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: server.url },
    body: JSON.stringify({ code }),
  });
  assert.equal(replay.status, 200);
  const body = await replay.json();
  assert.equal(body.kind, 'claim');
  assert.equal(body.status, 'confirmed');

  await donorContext.close();
  await workerContext.close();
});

// The pixels of the QR code on `page` as jsQR reads them: the SVG drawn on a canvas, 4 px a module.
async function readQr(locator) {
  const size = 352;
  const pixels = await locator.evaluate(async (svg, size) => {
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0, size, size);
    return Array.from(context.getImageData(0, 0, size, size).data);
  }, size);
  return jsQR(Uint8ClampedArray.from(pixels), size, size)?.data ?? null;
}

test('the giver’s QR code opens the console with its code, and the app’s scanner confirms it offline', async () => {
  // --- The donor's claim shows a QR code that holds the console's link with the code ---
  const { wish, donorContext, page, shown, code } = await donorHoldsACode();
  const link = await readQr(shown.locator('.handover-code__qr svg'));
  assert.equal(link, `${server.url}/worker?handover=${code}`, 'the QR code reads as the console link');
  await shown.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}/handover-qr-360x800.png` });
  // The same code, in English.
  await page.evaluate(() => localStorage.setItem('microwish.language', 'en'));
  await page.reload();
  const english = page.locator('.claim-card', { hasText: wish.title }).locator('.handover-code');
  await english.waitFor();
  assert.equal(await english.getAttribute('data-code'), code, 'the same code');
  assert.equal(await english.locator('.handover-code__qr').getAttribute('aria-label'), "The hand-over code's QR code");
  await english.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}/handover-qr-en-360x800.png` });

  // --- Another app read it: the link opens the console with the code in the form ---
  const workerContext = await phoneContext(browser);
  await workerContext.addInitScript(() => {
    // A camera and a detector that sees whatever the test holds up (window.heldUp).
    window.BarcodeDetector = class {
      constructor(options) { window.detectorFormats = options?.formats; }
      async detect() { return window.heldUp ? [{ rawValue: window.heldUp, format: 'qr_code' }] : []; }
    };
    navigator.mediaDevices.getUserMedia = async () => {
      const canvas = document.createElement('canvas');
      canvas.getContext('2d').fillRect(0, 0, 8, 8);
      window.camera = canvas.captureStream();
      return window.camera;
    };
  });
  const worker = await workerContext.newPage();
  const problems = [];
  worker.on('pageerror', (error) => problems.push(error.message));
  await worker.goto(`${server.url}/login?next=/worker/claims`);
  await logIn(worker, demo.worker);
  await worker.waitForURL(`${server.url}/worker/claims`);
  await worker.locator('.claim-card', { hasText: wish.title }).waitFor();
  await worker.goto(link);
  await worker.locator('.handover-form').waitFor();
  assert.equal(
    (await worker.locator('#handover-code').inputValue()).replace(/\s/g, ''),
    code,
    'the linked code is filled in, waiting for the worker',
  );
  await worker.screenshot({ path: `${screenshotDir}/handover-linked-360x800.png` });

  // --- Offline at the station, the app's scanner: a stranger's QR code, then the giver's ---
  await workerContext.setOffline(true);
  await worker.locator('.sync-status[data-state=offline]').waitFor();
  await worker.locator('#handover-code').fill('');
  await worker.locator('.handover-scanner__start').click();
  await worker.locator('.handover-scanner[data-scanning=true]').waitFor();
  assert.deepEqual(await worker.evaluate(() => window.detectorFormats), ['qr_code']);
  await worker.evaluate(() => { window.heldUp = 'https://example.com/menu'; });
  const notACode = worker.locator('.handover-scanner .form-error');
  await notACode.waitFor();
  assert.match(await notACode.innerText(), /不是交接码/);
  // The words and the stop button come into sight above the tab bar.
  await worker.waitForFunction(() => {
    const stop = document.querySelector('.handover-scanner__stop')?.getBoundingClientRect();
    const tabbar = document.querySelector('.tabbar').getBoundingClientRect();
    return stop && stop.top >= 0 && stop.bottom <= tabbar.top;
  }, null, { timeout: 5_000 });
  await worker.screenshot({ path: `${screenshotDir}/handover-scanning-360x800.png` });
  await worker.evaluate((link) => { window.heldUp = link; }, link);
  await worker.locator('.handover-form__done').waitFor();
  await worker.locator('.handover-scanner[data-scanning=false]').waitFor();
  assert.equal(
    await worker.evaluate(() => window.camera.getTracks().every((track) => track.readyState === 'ended')),
    true,
    'the camera is off once the code is read',
  );
  assert.equal((await getJson(`/api/wishes/${wish.id}`)).status, 'claimed', 'not yet sent');

  // --- Back online: applied once ---
  await onlineUntilFulfilled(workerContext, worker, wish);
  assert.deepEqual(problems, []);

  await donorContext.close();
  await workerContext.close();
});
