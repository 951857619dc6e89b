// Touch targets at phone width: every control on every page a person reaches is at least
// 44 × 44 px (links inside running text excepted; a radio or checkbox counts as its label).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phoneContext, demo, logIn } from './support.mjs';

async function smallTargets(page) {
  return page.evaluate(() => {
    const small = [];
    const controls = 'a, button, input, select, textarea, summary, [role=button], [tabindex]';
    for (const element of document.querySelectorAll(controls)) {
      if (element.closest('[hidden], [aria-hidden=true]')) continue;
      let box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || element.type === 'hidden') continue;
      // A link in a sentence is as tall as its line (WCAG 2.5.8's inline exception).
      if (element.tagName === 'A' && style.display === 'inline' && element.closest('p, li, dd')) continue;
      if (element.type === 'radio' || element.type === 'checkbox') {
        const label = element.closest('label');
        if (label) box = label.getBoundingClientRect();
      }
      if (box.width < 44 || box.height < 44) {
        const name = (element.innerText || element.value || element.getAttribute('aria-label') || '').trim().slice(0, 14);
        small.push(`${element.tagName.toLowerCase()}.${element.className} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return [...new Set(small)];
  });
}

async function signedIn(page, url, who) {
  await page.goto(`${url}/login`);
  await logIn(page, who);
  await page.waitForURL((to) => !to.pathname.startsWith('/login'));
}

test('every control on every page is at least 44 px each way', async () => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const wish = (await (await fetch(`${server.url}/api/wishes?limit=1`)).json()).items[0];
    const visitor = await (await phoneContext(browser)).newPage();
    const found = {};
    for (const path of ['/', `/wishes/${wish.id}`, '/login', '/register']) {
      await visitor.goto(server.url + path);
      await visitor.locator('main, .page, .wish-list').first().waitFor();
      await visitor.waitForTimeout(300);
      found[path] = await smallTargets(visitor);
    }
    const donor = await (await phoneContext(browser)).newPage();
    await signedIn(donor, server.url, demo.donor);
    for (const path of ['/me/claims', `/wishes/${wish.id}`]) {
      await donor.goto(server.url + path);
      await donor.waitForTimeout(800);
      found[`donor ${path}`] = await smallTargets(donor);
    }
    const worker = await (await phoneContext(browser)).newPage();
    await signedIn(worker, server.url, demo.worker);
    const campaign = (await (await fetch(`${server.url}/api/campaigns`)).json()).items[0];
    for (const path of ['/worker', '/worker/claims', '/worker/volunteers', '/worker/households',
      '/worker/households/new', '/worker/wishes/new', '/worker/pledges', '/worker/campaigns/new',
      '/worker/stats', `/campaigns/${campaign.id}`]) {
      await worker.goto(server.url + path);
      await worker.waitForTimeout(800);
      found[`worker ${path}`] = await smallTargets(worker);
    }
    const shop = await (await phoneContext(browser)).newPage();
    await signedIn(shop, server.url, demo.shop);
    for (const path of ['/shop', '/shop/pledges/new']) {
      await shop.goto(server.url + path);
      await shop.waitForTimeout(800);
      found[`shop ${path}`] = await smallTargets(shop);
    }
    const offending = Object.entries(found).filter(([, small]) => small.length > 0);
    assert.deepEqual(offending, [], JSON.stringify(offending, null, 1));
  } finally {
    await browser.close();
    server.stop();
  }
});
