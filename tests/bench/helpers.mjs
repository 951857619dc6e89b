// Shared by the browser benches.
import { phoneContext } from '../e2e/support.mjs';

// A phone that visited once online (the app cached the demo), its cache then grown to
// `wishes` wishes; returns its context and page.
export async function phoneWithCache(browser, url, wishes) {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('.wish-card').first().waitFor();
  await growWishCache(page, wishes);
  return { context, page };
}

// An init script: `window.firstWishFrame` is the page's own clock at the frame after the first
// wish card went in (reading the clock once Playwright has seen the card adds its polling).
export function watchFirstWish() {
  new MutationObserver((_, observer) => {
    if (document.querySelector('.wish-card')) {
      observer.disconnect();
      requestAnimationFrame(() => (window.firstWishFrame = performance.now()));
    }
  }).observe(document, { childList: true, subtree: true });
}

// The device cache grown to `target` wishes, copies of the ones the first online visit cached,
// under new ids (the app reads them as its own).
export async function growWishCache(page, target) {
  return page.evaluate(async (target) => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('microwish');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction('wishes', 'readwrite');
    const store = tx.objectStore('wishes');
    const all = await new Promise((resolve) => {
      const request = store.getAll();
      request.onsuccess = () => resolve(request.result);
    });
    for (let n = all.length; n < target; n += 1) {
      const wish = JSON.parse(all[n % all.length]);
      wish.id = crypto.randomUUID();
      store.put(JSON.stringify(wish), wish.id);
    }
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
    return target;
  }, target);
}
