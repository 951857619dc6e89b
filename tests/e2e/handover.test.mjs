// End-to-end: hand-over at the grid station, at 360x800. A donor's claim shows its hand-over
// code; the worker, offline at the station, types a wrong code (told so at once, from the
// phone's own cache), then the giver's code in lower case; back online the confirmation is
// applied once and the wish is fulfilled. Run by `make e2e` (node --test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

test('a worker offline at the station confirms a donor’s hand-over code once', async () => {
  const { items } = await getJson('/api/wishes?kind=item');
  const wish = items.find((w) => w.quantity === 1 && w.remaining === 1 && w.status === 'open');
  assert.ok(wish, 'the demo data has an open one-unit item wish');

  // --- The donor claims it and reads the code on 我的认领 ---
  const donorContext = await phoneContext(browser);
  const page = await donorContext.newPage();
  await page.goto(`${server.url}/login?next=/wishes/${wish.id}`);
  await logIn(page, demo.donor);
  await page.waitForURL(`${server.url}/wishes/${wish.id}`);
  await page.locator('.claim-panel__submit').click();
  await page.locator('.claim-success:not(.claim-success--pending)').waitFor();
  await page.locator('.tabbar__claims').click();
  const card = page.locator('.claim-card', { hasText: wish.title });
  const shown = card.locator('.handover-code');
  await shown.waitFor();
  const code = await shown.getAttribute('data-code');
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
  await workerContext.setOffline(false);
  await workerPage.locator('.sync-status[data-state=synced]').waitFor({ timeout: 20_000 });
  let status;
  for (let i = 0; i < 40 && status !== 'fulfilled'; i += 1) {
    status = (await getJson(`/api/wishes/${wish.id}`)).status;
    if (status !== 'fulfilled') await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.equal(status, 'fulfilled');

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
