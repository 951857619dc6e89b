// End-to-end: a resident's request (居民点单 → 派单 → 办理 → 回访), at 360x800, on the real server
// with demo data. 王阿姨 files a broken stairwell light with a photo; the grid's worker sees it
// in the inbox, accepts it and dispatches it to the property staff; 刘师傅 sees it on his
// phone, starts and resolves it with a line for the public; 王阿姨 sees it resolved and rates
// it; the public board shows it without her words, flat, name, phone or photo. And the
// privacy promise for the device cache: a donor's phone never holds a request, a resident's
// only their own, the property staff's only those dispatched to them. Run by `make e2e`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phoneContext, screenshotDir, demo, visit } from './support.mjs';

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

const { worker, donor, resident, property } = demo;

function watchProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/status of (401|403)/.test(text)) return;
    problems.push(`${text} (${message.location()?.url ?? ''})`);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

async function phoneAs(account, next) {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[name=phone]').fill(account.phone);
  await page.locator('input[name=password]').fill(account.password);
  await page.locator('.auth-form__submit').click();
  await page.waitForURL(`${server.url}${next}`);
  await page.locator('.tabbar[data-session=in]').waitFor();
  return { context, page, problems };
}

/** `path` of the API as whoever is logged in on `page` (its cookie goes with it). */
async function apiAs(page, path) {
  const response = await page.request.get(`${server.url}${path}`);
  assert.equal(response.status(), 200, path);
  return response.json();
}

/** A photo as a phone's camera hands it over: a JPEG drawn in the page. */
async function cameraPhoto(page) {
  const data = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1200;
    canvas.height = 900;
    const context = canvas.getContext('2d');
    context.fillStyle = '#556';
    context.fillRect(0, 0, 1200, 900);
    context.fillStyle = '#ffd54f';
    context.beginPath();
    context.arc(600, 300, 120, 0, Math.PI * 2);
    context.fill();
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  });
  return { name: 'stairwell.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(data, 'base64') };
}

/** Every record of the device's store `name` (IndexedDB "microwish"), parsed. */
function deviceRecords(page, name) {
  return page.evaluate(
    (store) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('microwish');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction([store], 'readonly').objectStore(store).getAll();
          request.onsuccess = () => {
            db.close();
            resolve(request.result.map((text) => JSON.parse(text)));
          };
          request.onerror = () => {
            db.close();
            reject(request.error);
          };
        };
      }),
    name,
  );
}

/** Waits until the phone has pulled from the server into its cache (its cursor moved) and
 * says it is in sync. */
async function pulled(page) {
  const until = Date.now() + 15_000;
  for (;;) {
    const meta = await deviceRecords(page, 'meta').catch(() => []);
    if (meta.some((record) => record.me && record.cursor > 0)) break;
    assert.ok(Date.now() < until, 'the phone never pulled');
    await page.waitForTimeout(200);
  }
  await page.locator('.sync-status[data-state=synced]').waitFor({ timeout: 15_000 });
}

test('a resident files a request with a photo; it is dispatched, fixed, rated and shown on the board', async () => {
  const description = '2单元3楼楼道的灯坏了,晚上看不见台阶';
  const unit = '2单元301室';
  const summary = '9幢2单元楼道灯已更换';
  const before = (await (await fetch(`${server.url}/api/stats`)).json()).requests;

  // --- 王阿姨 files it from her phone, with a photo ---
  const mine = await phoneAs(resident, '/requests/new');
  const form = mine.page;
  await form.locator('input[name=category][value=repair]').check();
  await form.locator('select[name=building_id]').selectOption({ label: '星怡花园9幢' });
  await form.locator('input[name=unit]').fill(unit);
  await form.locator('input[name=place]').fill('2单元3楼楼道');
  await form.locator('textarea[name=description]').fill(description);
  await form.locator('input[type=file][name=photo]').setInputFiles(await cameraPhoto(form));
  await form.locator('.photo-picker__item').waitFor();
  assert.ok(
    await form.locator('img.photo-picker__preview').evaluate((img) => img.decode().then(() => img.naturalWidth > 0)),
    'the photo shows before it is sent',
  );
  await form.screenshot({ path: `${screenshotDir}/resident-request-form-360x800.png`, fullPage: true });
  await form.locator('.request-form__submit').click();
  await form.waitForURL(/\/requests\/[0-9a-f-]{36}\?filed=1$/);
  const id = new URL(form.url()).pathname.split('/').pop();
  // The photo waited for the request, then went up: the page shows it from the server.
  await form.locator('img.request-photos__img').waitFor({ timeout: 15_000 });
  await form.locator('.request-photos__waiting').waitFor({ state: 'detached', timeout: 15_000 });
  const filed = await apiAs(form, `/api/requests/${id}`);
  assert.equal(filed.status, 'submitted');
  assert.equal(filed.photos.length, 1, 'one photo, sent once');
  const photo = await form.request.get(`${server.url}/api/requests/${id}/photos/${filed.photos[0].id}`);
  assert.equal(photo.status(), 200);
  assert.match(photo.headers()['content-type'], /^image\//);

  // --- The worker: in the inbox, accepts it and dispatches it to the property staff ---
  const desk = await phoneAs(worker, '/worker/requests');
  const card = desk.page.locator('.request-card', { hasText: description });
  await card.waitFor({ timeout: 10_000 });
  await desk.page.screenshot({ path: `${screenshotDir}/worker-inbox-360x800.png`, fullPage: true });
  await card.click();
  await desk.page.waitForURL(`${server.url}/requests/${id}`);
  await desk.page.locator('img.request-photos__img').waitFor();
  await desk.page.locator('.triage__accept').click();
  await desk.page.locator('.request-head .request-status--accepted').waitFor();
  await desk.page.locator('.triage__dispatch').click();
  await desk.page.locator('.triage__choice', { hasText: property.name }).click();
  await desk.page.screenshot({ path: `${screenshotDir}/worker-triage-360x800.png`, fullPage: true });
  await desk.page.locator('.triage__dispatch-submit').click();
  await desk.page.locator('.request-head .request-status--dispatched').waitFor();
  await desk.page.locator('.badge--pending').waitFor({ state: 'detached', timeout: 10_000 });

  // --- 刘师傅 sees it on his phone (no reload), starts and resolves it ---
  const van = await phoneAs(property, '/assigned');
  const assigned = van.page.locator('.request-card', { hasText: description });
  await assigned.waitFor({ timeout: 10_000 });
  await assigned.click();
  await van.page.waitForURL(`${server.url}/requests/${id}`);
  await van.page.locator('img.request-photos__img').waitFor();
  assert.ok(
    await van.page.locator('img.request-photos__img').evaluate((img) => img.complete && img.naturalWidth > 0),
    'the handler sees the photo',
  );
  assert.match(await van.page.locator('.request__facts').innerText(), new RegExp(unit), 'and the flat');
  await van.page.screenshot({ path: `${screenshotDir}/property-dispatched-360x800.png`, fullPage: true });
  await van.page.locator('.handling__start').click();
  await van.page.locator('.request-head .request-status--in_progress').waitFor();
  await van.page.locator('.handling__resolve').click();
  await van.page.locator('textarea[name=resolve_note]').fill('换了新的感应灯');
  await van.page.locator('textarea[name=public_summary]').fill(summary);
  await van.page.locator('.handling__resolve-submit').click();
  await van.page.locator('.request-head .request-status--resolved').waitFor();

  // --- 王阿姨's page turns to "is it fixed?" by itself; she reads the steps and rates it ---
  await form.locator('.request-answer').waitFor({ timeout: 15_000 });
  await form.locator('.timeline__item[data-action=resolve]').waitFor({ timeout: 15_000 });
  const said = await form.locator('.timeline__what').allInnerTexts();
  assert.ok(said.some((words) => words.includes('派单给物业')), said.join(' / '));
  assert.ok(said.some((words) => words.includes('办结')), said.join(' / '));
  assert.ok(said.every((words) => !/[a-z]_[a-z]|dispatch|resolve/.test(words)), 'plain words');
  await form.screenshot({ path: `${screenshotDir}/resident-request-resolved-360x800.png`, fullPage: true });
  await form.locator('.star').nth(4).click();
  await form.locator('textarea[name=rating_note]').fill('修得很快,谢谢刘师傅');
  await form.locator('.request-answer__confirm').click();
  await form.locator('.request-head .request-status--closed').waitFor();
  await form.locator('.badge--pending').waitFor({ state: 'detached', timeout: 10_000 });
  const closed = await apiAs(form, `/api/requests/${id}`);
  assert.equal(closed.status, 'closed');
  assert.equal(closed.rating, 5);

  // --- The board: what was done, never who asked or where they live ---
  const visitor = await phoneContext(browser);
  const board = await visitor.newPage();
  const boardProblems = watchProblems(board);
  await board.goto(`${server.url}/board`);
  const item = board.locator('.board-item', { hasText: summary });
  await item.waitFor();
  const shown = await board.locator('.board').innerText();
  for (const secret of [description, unit, '301', resident.name, '王阿姨', resident.phone, '修得很快']) {
    assert.ok(!shown.includes(secret), `the board shows ${secret}`);
  }
  assert.equal(await board.locator('.board img').count(), 0, 'no photos');
  await board.screenshot({ path: `${screenshotDir}/board-360x800.png`, fullPage: true });
  const listed = (await (await fetch(`${server.url}/api/board`)).json()).items.find((entry) => entry.id === id);
  assert.deepEqual(Object.keys(listed).sort(), ['building', 'category', 'id', 'public_summary', 'resolved_on']);
  assert.equal(listed.building, '星怡花园9幢');

  // --- The public numbers count it ---
  const after = (await (await fetch(`${server.url}/api/stats`)).json()).requests;
  assert.equal(after.total, before.total + 1);
  assert.equal(after.resolved, before.resolved + 1);
  await visit(board, server.url);
  await board.locator('.requests-strip dt', { hasText: String(after.total) }).first().waitFor();

  assert.deepEqual([...mine.problems, ...desk.problems, ...van.problems, ...boardProblems], []);
  for (const phone of [mine, desk, van]) await phone.context.close();
  await visitor.close();
});

test("a phone's cache holds only the requests its user may see", async () => {
  // A donor: none at all (the demo's requests are all 王阿姨's or logged by the workers).
  const giver = await phoneAs(donor, '/');
  await pulled(giver.page);
  for (const store of ['requests', 'calls', 'staff']) {
    assert.deepEqual(await deviceRecords(giver.page, store), [], `a donor's phone holds ${store}`);
  }
  await giver.context.close();

  // The resident: their own, no one else's.
  const mine = await phoneAs(resident, '/me/requests');
  await pulled(mine.page);
  await mine.page.locator('.request-card').first().waitFor();
  const me = await apiAs(mine.page, '/api/me');
  const held = await deviceRecords(mine.page, 'requests');
  assert.ok(held.length > 0, 'their own requests are on the phone');
  assert.ok(held.every((request) => request.requester === me.id), 'only their own');
  assert.deepEqual(await deviceRecords(mine.page, 'calls'), []);
  await mine.context.close();

  // The property staff: what was dispatched to them.
  const van = await phoneAs(property, '/assigned');
  await pulled(van.page);
  await van.page.locator('.request-card').first().waitFor();
  const staff = await apiAs(van.page, '/api/me');
  const dispatched = await deviceRecords(van.page, 'requests');
  assert.ok(dispatched.length > 0);
  assert.ok(dispatched.every((request) => request.handler?.user_id === staff.id), 'only theirs');
  await van.context.close();
  const desk = await phoneAs(worker, '/worker');
  const all = (await apiAs(desk.page, '/api/requests?limit=200')).items;
  assert.ok(all.length > dispatched.length, 'the workers see more than the property staff');
  await desk.context.close();
});
