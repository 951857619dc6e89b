// Touch targets at phone width: every control on every page a person reaches is at least
// 44 × 44 px (links inside running text excepted; a radio or checkbox counts as its label).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, everyPage } from './support.mjs';

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

test('every control on every page is at least 44 px each way', async () => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const found = {};
    await everyPage(server, browser, async (page, label) => {
      found[label] = await smallTargets(page);
    });
    const offending = Object.entries(found).filter(([, small]) => small.length > 0);
    assert.deepEqual(offending, [], JSON.stringify(offending, null, 1));
  } finally {
    await browser.close();
    server.stop();
  }
});
