// `make bench` (phone part): what a cheap Android phone on 4G pays, each figure beside its
// budget; exits 1 when one breaks (after printing them all).
// - what a visitor's first screen needs: the page the server answers `/` with (the list drawn
//   in, its style sheet inline; its links, chips and search work without the app), brotli;
// - the full app (JS + wasm of the release build in dist/), brotli: it loads beside that page
//   and takes it over;
// - first visit with 4× CPU throttling on a slow-4G profile (Chromium's DevTools protocol):
//   largest contentful paint;
// - a repeat visit (the service worker answers the shell): largest contentful paint;
// - a shared wish's link opened for the first time, same throttling: its title on screen (the
//   server draws it), its claim button working (a visitor's "log in to claim", drawn by the server
//   too) and, without a budget, when the app has taken over;
// - without a budget, a visitor who opens a wish and taps 登录后认领 before the app has arrived,
//   over one slow link that every connection shares (slow_link.mjs): when the login form works,
//   and what came down (each page the app is left on cancels its download of the wasm).
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { startServer, launchBrowser, phoneContext } from '../e2e/support.mjs';
import { watchFirstWish } from './helpers.mjs';
import { slowLink } from './slow_link.mjs';

const KB = 1024;
const budgets = {
  downloadKb: 200, appKb: 450, firstLcpMs: 2500, firstWishMs: 1500, repeatLcpMs: 1000, cls: 0.02,
  sharedTitleMs: 1500, claimPanelMs: 4000,
};
// Chromium DevTools' "Slow 4G" preset.
const slow4g = { offline: false, latency: 562.5, downloadThroughput: (1.4744 * 1024 * 1024) / 8, uploadThroughput: (0.675 * 1024 * 1024) / 8 };

const dist = resolve(import.meta.dirname, '../../dist');
const results = [];
const report = (what, value, unit, budget, within) => results.push({ what, value, unit, budget, within });

const brotli = (raw) => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

// The full app: every file the page pulls in to start it.
const files = readdirSync(dist).filter((name) => /\.(wasm|js|css)$/.test(name) && !['sw.js', 'prefs.js'].includes(name));
let appBytes = 0;
const sizes = files.map((name) => {
  const raw = readFileSync(join(dist, name));
  const compressed = brotli(raw);
  appBytes += compressed;
  return `${name.replace(/-[0-9a-f]+(?=[._])/, '')} ${(raw.length / KB).toFixed(0)} KB → ${(compressed / KB).toFixed(1)} KB`;
});
console.log(`SPA files: ${sizes.join('; ')}`);

// Largest contentful paint as the page reports it, once the first wish is on screen.
async function lcp(page, url) {
  await page.goto(url);
  await page.locator('.wish-card').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500);
  return page.evaluate(() => new Promise((done) => {
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      const last = entries[entries.length - 1];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
      // Layout shifts not caused by the person (the page's own), summed: cumulative layout shift.
      const cls = performance.getEntriesByType('layout-shift')
        .filter((shift) => !shift.hadRecentInput)
        .reduce((sum, shift) => sum + shift.value, 0);
      // The search box's placeholder lives in the input's own (closed) shadow tree: no element.
      const element = last.element?.className || last.element?.tagName || 'search__input placeholder';
      done({ lcp: last.startTime, fcp, cls, element, firstWish: window.firstWishFrame });
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  }));
}

const server = await startServer();
const browser = await launchBrowser();
try {
  // What a visitor's first screen needs: the page, as the server answers a first visit.
  const firstPage = Buffer.from(await (await fetch(server.url)).arrayBuffer());
  if (!firstPage.includes('first-screen')) throw new Error('the server drew no first screen');
  const pageKb = brotli(firstPage) / KB;
  report("a visitor's first screen: the page it needs (brotli; list, links, filters, search)", pageKb.toFixed(1), 'KB', `≤ ${budgets.downloadKb} KB`, pageKb <= budgets.downloadKb);
  const appKb = appBytes / KB;
  report('the full app (brotli, JS + wasm; loads beside the first screen)', appKb.toFixed(1), 'KB', `≤ ${budgets.appKb} KB`, appKb <= budgets.appKb);

  const context = await phoneContext(browser);
  const page = await context.newPage();
  await page.addInitScript(watchFirstWish);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', slow4g);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const { lcp: first, fcp, cls, element, firstWish } = await lcp(page, server.url);
  console.log(`first visit: first contentful paint at ${fcp.toFixed(0)} ms; largest paint: .${element}`);
  report('first visit LCP (slow 4G, 4× CPU)', first.toFixed(0), 'ms', `≤ ${budgets.firstLcpMs} ms`, first <= budgets.firstLcpMs);
  // The server draws the list's first screen: the wishes come with the page, not the wasm.
  report('first visit: first wish card drawn', firstWish.toFixed(0), 'ms', `≤ ${budgets.firstWishMs} ms`, firstWish <= budgets.firstWishMs);
  report('first visit layout shift (CLS) until the list is drawn', cls.toFixed(3), '', `≤ ${budgets.cls}`, cls <= budgets.cls);
  // The service worker has the shell now; the same phone comes back.
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 30_000 }).catch(() => {});
  const { lcp: repeat } = await lcp(page, server.url);
  report('repeat visit LCP (service worker, same throttling)', repeat.toFixed(0), 'ms', `≤ ${budgets.repeatLcpMs} ms`, repeat <= budgets.repeatLcpMs);

  // A wish's link from a chat, on a phone that has never opened the app.
  const { items: [wish] } = await (await fetch(`${server.url}/api/wishes?status=open&limit=1`)).json();
  const shared = await phoneContext(browser, { serviceWorkers: 'block' });
  const sharedPage = await shared.newPage();
  await sharedPage.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const stamp = (key) => requestAnimationFrame(() => (window[key] ??= performance.now()));
      if (document.querySelector('.detail__title')) stamp('titleFrame');
      if (document.querySelector('.claim-panel__login, main.app .claim-panel button')) stamp('claimFrame');
      if (!document.getElementById('shell') && document.querySelector('main.app .claim-panel')) {
        stamp('appFrame');
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const sharedCdp = await shared.newCDPSession(sharedPage);
  await sharedCdp.send('Network.enable');
  await sharedCdp.send('Network.emulateNetworkConditions', slow4g);
  await sharedCdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await sharedPage.goto(`${server.url}/wishes/${wish.id}`);
  await sharedPage.locator('main.app .claim-panel').waitFor({ timeout: 60_000 });
  await sharedPage.waitForFunction(() => window.appFrame !== undefined, null, { timeout: 60_000 });
  const { titleFrame, claimFrame, appFrame } = await sharedPage.evaluate(() => ({ titleFrame: window.titleFrame, claimFrame: window.claimFrame, appFrame: window.appFrame }));
  report("a shared wish's link: its title on screen", titleFrame.toFixed(0), 'ms', `≤ ${budgets.sharedTitleMs} ms`, titleFrame <= budgets.sharedTitleMs);
  report("a shared wish's link: its claim button working", claimFrame.toFixed(0), 'ms', `≤ ${budgets.claimPanelMs} ms`, claimFrame <= budgets.claimPanelMs);
  console.log(`a shared wish's link: the app took over at ${appFrame.toFixed(0)} ms`);
  await shared.close();

  // A visitor browses on before the app has arrived: a wish, then 登录后认领.
  const link = await slowLink({ host: '127.0.0.1', port: Number(new URL(server.url).port) });
  try {
    const visitor = await phoneContext(browser);
    const visitorPage = await visitor.newPage();
    await (await visitor.newCDPSession(visitorPage)).send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const started = Date.now();
    await visitorPage.goto(link.url);
    await visitorPage.locator('#shell .wish-card').first().click();
    await visitorPage.locator('#shell .claim-panel__login').click();
    await visitorPage.waitForURL(/\/login/);
    await visitorPage.locator('main.app form').first().waitFor({ timeout: 60_000 });
    const loginMs = Date.now() - started;
    await visitor.close();
    const downloads = link.seen.paths.filter((path) => path.endsWith('.wasm')).length;
    console.log(
      `a visitor taps a wish, then 登录后认领, before the app has arrived (one slow link): the login form works at ${loginMs} ms; ` +
        `${(link.seen.bytes / KB).toFixed(0)} KB came down, the wasm asked for ${downloads} times`,
    );
  } finally {
    link.close();
  }
} finally {
  await browser.close();
  server.stop();
}

for (const { what, value, unit, budget, within } of results) {
  console.log(`${within ? 'ok  ' : 'OVER'} ${what}: ${value} ${unit} (budget ${budget})`);
}
if (results.some((result) => !result.within)) {
  console.log('phone budgets: at least one broken');
  process.exit(1);
}
