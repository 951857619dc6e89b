// Accessibility: axe-core (npm, pinned) on every page as each role, at phone width, finds no
// serious or critical violation (WCAG 2.1 A and AA rules): in Chinese, in elder mode, in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startServer, launchBrowser, everyPage } from './support.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function seriousViolations(page) {
  // Through the DevTools protocol: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.slice(0, 3).map(describe).join(' | ')}`);
}

// Where, and for contrast the colours axe saw.
function describe(node) {
  const data = node.any[0]?.data;
  const colours = data?.fgColor ? ` (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio})` : '';
  return node.target.join(' ') + colours;
}

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
