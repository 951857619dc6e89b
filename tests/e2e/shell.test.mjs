// End-to-end: the installable app shell. A service worker (public/sw.js, stamped per build by
// scripts/stamp-sw.sh) caches the shell so that the app opens with no network, and the web app
// manifest makes it installable. Real server, release build, Chromium at 360x800; run by
// `make e2e` (node --test), which builds both first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, launchBrowser, phoneContext, screenshotDir, visit } from './support.mjs';

// The tests serve a copy of the build, which they may change and which a rebuild of dist/
// running meanwhile cannot change under them.
const dist = mkdtempSync(join(tmpdir(), 'microwish-dist-'));
cpSync(resolve(import.meta.dirname, '../../dist'), dist, {
  recursive: true,
  filter: (path) => !path.endsWith('/.stage'), // Trunk's staging area, while a build runs
});

let server;
let browser;

before(async () => {
  server = await startServer({ dist });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
  rmSync(dist, { recursive: true, force: true });
});

// The build id and the precache list that scripts/stamp-sw.sh wrote into sw.js.
function stamp(source) {
  const build = source.match(/^const BUILD = '([^']*)';$/m)?.[1];
  const list = source.match(/^const PRECACHE = \[(.*)\];$/m)?.[1] ?? '';
  return { build, files: [...list.matchAll(/'([^']*)'/g)].map((match) => match[1]) };
}

// Opens the app online and waits until the service worker controls the page.
async function openControlled(page, url) {
  await page.goto(url);
  await page.locator('main.app').waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

// Every build's cache of the origin, with the paths it holds (once no worker is changing them).
// ('microwish.settings' is not a build's: it keeps the page's language for lock-screen notices.)
function cacheContents(page) {
  return page.evaluate(async () => {
    const contents = {};
    for (const name of (await caches.keys()).filter((name) => name.startsWith('microwish-'))) {
      const requests = await (await caches.open(name)).keys();
      contents[name] = requests.map((request) => new URL(request.url).pathname).sort();
    }
    return contents;
  });
}

test('sw.js is stamped with this build and revalidated on every load', async () => {
  const response = await fetch(`${server.url}/sw.js`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-cache');
  assert.match(response.headers.get('content-type'), /javascript/);
  const source = await response.text();
  assert.doesNotMatch(source, /__MICROWISH_/);
  const { build, files } = stamp(source);
  assert.match(build, /^[0-9a-f]{16}$/);

  // It precaches every built file (the page, the hashed wasm/JS/CSS, icons, manifest) but itself
  // and the build's brotli/gzip copies (the browser decodes what it fetches).
  const built = readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'sw.js' && !/\.(br|gz)$/.test(entry.name))
    .map((entry) => `/${join(entry.parentPath, entry.name).slice(dist.length + 1)}`);
  assert.deepEqual([...files].sort(), built.sort());
  // Trunk names a file by a 64-bit hash in hex without leading zeros: up to 16 digits.
  for (const pattern of [/^\/index\.html$/, /_bg\.wasm$/, /-[0-9a-f]{1,16}\.js$/, /^\/manifest\.webmanifest$/, /^\/icon-512\.png$/]) {
    assert.ok(files.some((file) => pattern.test(file)), `${pattern} precached`);
  }
});

test('the manifest is linked, served and makes the app installable', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await visit(page, server.url);
  await page.locator('main.app').waitFor();

  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const response = await fetch(new URL(href, server.url));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/manifest+json');
  const manifest = await response.json();
  assert.equal(manifest.name, '微心愿 · 星怡社区');
  assert.equal(manifest.short_name, '微心愿');
  assert.equal(manifest.lang, 'zh-CN');
  assert.equal(manifest.start_url, '/');
  assert.equal(manifest.scope, '/');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.theme_color, await page.locator('meta[name="theme-color"]').getAttribute('content'));
  assert.equal(manifest.background_color, '#f7f3ef');

  // 192 and 512 px icons for both purposes; a maskable icon is opaque to its corners, the
  // other keeps the rounded square's transparent corners; the heart sits in the middle.
  for (const purpose of ['any', 'maskable']) {
    const icons = manifest.icons.filter((icon) => icon.purpose.split(' ').includes(purpose));
    assert.deepEqual(icons.map((icon) => icon.sizes).sort(), ['192x192', '512x512'], purpose);
    for (const icon of icons) {
      const got = await fetch(new URL(icon.src, server.url));
      assert.equal(got.status, 200, icon.src);
      assert.equal(got.headers.get('content-type'), 'image/png', icon.src);
      const pixels = await page.evaluate(async (src) => {
        const image = new Image();
        image.src = src;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        const context = canvas.getContext('2d');
        context.drawImage(image, 0, 0);
        const at = (x, y) => [...context.getImageData(x, y, 1, 1).data];
        return { size: `${image.naturalWidth}x${image.naturalHeight}`, corner: at(0, 0), middle: at(canvas.width / 2, canvas.height / 2) };
      }, icon.src);
      assert.equal(pixels.size, icon.sizes, icon.src);
      assert.equal(pixels.corner[3], purpose === 'maskable' ? 255 : 0, `${icon.src} corner`);
      assert.deepEqual(pixels.middle, [255, 255, 255, 255], `${icon.src} heart`);
    }
  }
  const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  assert.equal((await fetch(new URL(touchIcon, server.url))).status, 200);

  // Chromium's own verdict. A test browser context is incognito, which alone rules out
  // installing; nothing else may.
  const cdp = await context.newCDPSession(page);
  const parsed = await cdp.send('Page.getAppManifest');
  assert.deepEqual(parsed.errors, []);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(
    installabilityErrors.map((error) => error.errorId).filter((id) => id !== 'in-incognito'),
    [],
  );
  await context.close();
});

test('once the worker is installed, the shell opens offline on any route', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const apiFromWorker = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/api/') && response.fromServiceWorker()) {
      apiFromWorker.push(response.url());
    }
  });

  const { build, files } = stamp(await (await fetch(`${server.url}/sw.js`)).text());
  await openControlled(page, server.url);
  assert.deepEqual(await cacheContents(page), { [`microwish-${build}`]: [...files].sort() });

  // Controlled and online, the API still goes straight to the network.
  await page.reload();
  await page.locator('main.app').waitFor();
  const health = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/health');
  await page.evaluate(() => fetch('/api/health'));
  assert.equal((await health).fromServiceWorker(), false);

  // A network too slow to answer, or a proxy whose server is away: the cached shell, quickly.
  let answer;
  const held = new Promise((resolve) => (answer = resolve));
  await context.route('**/wishes/slow-network', async (route) => {
    await held;
    await route.abort();
  });
  await context.route('**/wishes/proxy-down', (route) => route.fulfill({ status: 502, body: 'Bad Gateway' }));
  for (const path of ['/wishes/slow-network', '/wishes/proxy-down']) {
    const started = Date.now();
    const response = await page.goto(`${server.url}${path}`);
    await page.locator('.tabbar').waitFor();
    assert.equal(response.status(), 200, path);
    assert.ok(Date.now() - started < 6000, `${path} took ${Date.now() - started} ms`);
  }
  answer();
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await visit(page, server.url);
  await page.locator('main.app').waitFor();

  const failed = [];
  page.on('requestfailed', (request) => failed.push(new URL(request.url()).pathname));
  await context.setOffline(true);
  await page.reload();
  await page.locator('.tabbar').waitFor();
  assert.equal(await page.title(), '微心愿 · 星怡社区');
  assert.match(await page.locator('.hero__title').innerText(), /微心愿/);
  await page.screenshot({ path: `${screenshotDir}/offline-360x800.png` });

  // A client route the browser has never loaded: the worker answers with the shell.
  const response = await page.goto(`${server.url}/campaigns/never-seen-offline`);
  assert.ok(response.fromServiceWorker());
  await page.locator('main.app').waitFor();
  await page.locator('.tabbar').waitFor();

  // The API is never answered by the worker: offline, it fails as the network does.
  assert.equal(await page.evaluate(() => fetch('/api/health').then((r) => r.status, (e) => e.name)), 'TypeError');
  assert.deepEqual(apiFromWorker, []);
  // Offline, only API calls failed: every file of the shell came from the cache.
  assert.deepEqual(failed.filter((path) => !path.startsWith('/api/')), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a new build is picked up on the next load and replaces the old cache', async () => {
  // A server of our own over another copy, so that the "next build" can be written into it.
  const copy = mkdtempSync(join(tmpdir(), 'microwish-dist-'));
  cpSync(dist, copy, { recursive: true });
  const own = await startServer({ dist: copy });
  const context = await phoneContext(browser);
  try {
    const page = await context.newPage();
    const source = readFileSync(join(copy, 'sw.js'), 'utf8');
    const { build } = stamp(source);
    await openControlled(page, own.url);
    // And a cache left behind by some older build.
    await page.evaluate(() => caches.open('microwish-0000000000000000'));

    // The next build: another index.html, so another stamp in sw.js (the server started
    // with this index.html's inline script, which stays the same, so its CSP still holds).
    const next = 'feedfacefeedface';
    const index = readFileSync(join(copy, 'index.html'), 'utf8');
    writeFileSync(join(copy, 'index.html'), index.replace('</head>', '<meta name="microwish-test-build" content="next" /></head>'));
    writeFileSync(join(copy, 'sw.js'), source.replace(`const BUILD = '${build}';`, `const BUILD = '${next}';`));
    // A real next build comes seconds later at least. Written within the same second as the
    // copy, the browser's revalidation (If-Modified-Since, to the second) got 304 for sw.js
    // and kept the old worker: date the new files later, as a later build would be.
    const later = new Date(Date.now() + 5_000);
    for (const file of ['index.html', 'sw.js']) utimesSync(join(copy, file), later, later);

    // An ordinary load: the browser checks sw.js, installs and activates the new worker,
    // which drops every other build's cache.
    await page.reload();
    await page.locator('main.app').waitFor();
    // Only the names are polled: opening a cache the worker is deleting would recreate it.
    const cacheNames = () => page.evaluate(async () =>
      (await caches.keys()).filter((name) => name.startsWith('microwish-')));
    const deadline = Date.now() + 20_000;
    let names = await cacheNames();
    while (names.join() !== `microwish-${next}` && Date.now() < deadline) {
      await sleep(200);
      names = await cacheNames();
    }
    // On failure, where the new worker got to.
    const workers = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      const describe = (worker) => worker && `${worker.state} ${new URL(worker.scriptURL).pathname}`;
      return { installing: describe(registration?.installing), waiting: describe(registration?.waiting), active: describe(registration?.active) };
    });
    assert.deepEqual(names, [`microwish-${next}`], JSON.stringify(workers));

    // Offline, the app now opens with the new build's page.
    await context.setOffline(true);
    await page.reload();
    await page.locator('.tabbar').waitFor();
    assert.equal(await page.locator('meta[name="microwish-test-build"]').getAttribute('content'), 'next');
  } finally {
    await context.close();
    own.stop();
    rmSync(copy, { recursive: true, force: true });
  }
});
