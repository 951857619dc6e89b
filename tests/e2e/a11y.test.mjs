// Accessibility: axe-core (npm, pinned) on every page as each role, at phone width, finds no
// serious or critical violation (WCAG 2.1 A and AA rules): in Chinese, in elder mode, in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, everyPage, seriousViolations } from './support.mjs';

for (const [look, setUp] of [
  ['normal', async () => {}],
  ['elder mode', (context) => context.addInitScript(() => localStorage.setItem('microwish.elder', 'on'))],
  ['English', (context) => context.addInitScript(() => localStorage.setItem('microwish.language', 'en'))],
]) {
  test(`axe finds nothing serious on any page (${look})`, async () => {
    const server = await startServer();
    const browser = await launchBrowser();
    try {
      const found = {};
      let pages = 0;
      await everyPage(server, browser, async (page, label) => {
        pages += 1;
        const violations = await seriousViolations(page);
        if (violations.length > 0) found[label] = violations;
      }, { setUp });
      assert.ok(pages >= 36, `only ${pages} pages checked`);
      assert.deepEqual(found, {}, JSON.stringify(found, null, 1));
    } finally {
      await browser.close();
      server.stop();
    }
  });
}
