// End-to-end: what volunteers and givers tripped over in a season (issue 26, volunteers and
// stations), at 360x800. A pending volunteer is told where to be met (the stations, their
// hours, whom to ask for, a phone to call); a worker can decline them with a reason they read;
// an approved one is told so and led to the house calls; the booking form offers no time
// already past and says it books; a worker confirms a visit only once its time has begun;
// a giver's drop-off deadline comes with the station's hours and phone. Run by `make e2e`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshotDir, demo, phoneAt as supportPhoneAt } from './support.mjs';

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

// This file's server and browser.
const phoneAt = (path, options) => supportPhoneAt(server, browser, path, options);

// The API as `account`: `call(method, path, body)` answers the Response.
async function apiAs(account) {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ phone: account.phone, password: account.password }),
  });
  assert.equal(login.status, 200, 'logged in');
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return (method, path, body) => fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', origin: server.url, cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function newVolunteer(name) {
  const account = {
    phone: `1371${String(Date.now() % 10_000_000).padStart(7, '0')}`,
    password: 'volunteer-e2e-2026',
    name,
  };
  const registered = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ display_name: name, phone: account.phone, password: account.password, role: 'volunteer' }),
  });
  assert.equal(registered.status, 201);
  return account;
}

// China's date `days` from today, as the date inputs write it.
function chinaDate(days = 0) {
  return new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}

test('a pending volunteer is told where to be met; declined, they read why', async () => {
  const newcomer = await newVolunteer('志愿者 小周');
  const { context, page, problems } = await phoneAt('/me', { account: newcomer });
  const standing = page.locator('.vetting[data-status=pending]');
  await standing.waitFor();
  assert.match(await standing.locator('.vetting__title').innerText(), /等待当面审核/);
  await standing.locator('.station').first().waitFor();
  assert.equal(await standing.locator('.station').count(), 4, 'every station of the community');
  const first = await standing.locator('.station').first().innerText();
  assert.match(first, /第一网格驿站/);
  assert.match(first, /周一至周六 9:00–17:00/, 'when it is open');
  assert.match(first, /网格长 李红/, 'whom to ask for');
  assert.equal(
    await standing.locator('.station__phone').first().getAttribute('href'),
    'tel:057186501201',
    'a tap calls the station',
  );
  await page.screenshot({ path: `${screenshotDir}/volunteer-pending-me-360x800.png`, fullPage: true });

  // From a house call's page, the refusal to book points to where to be met.
  const { items } = await (await fetch(`${server.url}/api/wishes?kind=service&status=open`)).json();
  await page.goto(`${server.url}/wishes/${items[0].id}`);
  await page.locator('.claim-panel__where').click();
  await page.waitForURL(`${server.url}/me`);

  // The worker declines them, with a reason.
  const worker = await phoneAt('/worker/volunteers', { account: demo.worker });
  const card = worker.page.locator('.volunteers[data-status=pending] .volunteer-card', { hasText: newcomer.name });
  await card.locator('.volunteer-card__decline').click();
  await card.locator('input[name=reason]').fill('请先带身份证到驿站当面登记');
  await worker.page.screenshot({ path: `${screenshotDir}/worker-decline-volunteer-360x800.png`, fullPage: true });
  await card.locator('.volunteer-card__suspend-yes').click();
  await worker.page
    .locator('.volunteers[data-status=suspended] .volunteer-card', { hasText: newcomer.name })
    .waitFor({ timeout: 10_000 });

  // The volunteer reads why, and where to go.
  await page.reload();
  const declined = page.locator('.vetting[data-status=suspended]');
  await declined.waitFor();
  assert.match(await declined.innerText(), /请先带身份证到驿站当面登记/);
  assert.equal(await declined.locator('.station').count(), 4);
  await page.screenshot({ path: `${screenshotDir}/volunteer-declined-me-360x800.png`, fullPage: true });
  const notices = await (await (await apiAs(newcomer))('GET', '/api/me/notices')).json();
  assert.deepEqual(notices.items.map((notice) => notice.kind), ['volunteer_declined']);

  for (const options of [{ english: true }, { elder: true }]) {
    const other = await phoneAt('/me', { account: newcomer, ...options });
    await other.page.locator('.vetting .station').first().waitFor();
    const name = options.english ? 'en' : 'elder';
    if (options.english) assert.match(await other.page.locator('.vetting').innerText(), /Open/);
    await other.page.screenshot({ path: `${screenshotDir}/volunteer-declined-me-${name}-360x800.png`, fullPage: true });
    await other.context.close();
  }
  assert.deepEqual([...problems, ...worker.problems], []);
  await worker.context.close();
  await context.close();
});

test('an approved volunteer is told so; the booking form offers no past time and books the visit', async () => {
  const { context, page, problems } = await phoneAt('/me', { account: demo.volunteer });
  const standing = page.locator('.vetting[data-status=approved]');
  await standing.waitFor();
  assert.match(await standing.innerText(), /已通过审核/);
  await standing.locator('.vetting__services').click();
  await page.waitForURL(/kind=service/);

  const { items } = await (await fetch(`${server.url}/api/wishes?kind=service&status=open`)).json();
  const today = chinaDate();
  const wish = items.find((w) => w.remaining > 0 && (!w.needed_by || w.needed_by >= today));
  assert.ok(wish, 'an open house call');
  await page.goto(`${server.url}/wishes/${wish.id}`);
  const dates = page.locator('.claim-form select[name=slot_date]');
  await dates.waitFor();
  const firstDay = await dates.locator('option').first().getAttribute('value');
  const nowInChina = new Date(Date.now() + 8 * 3600_000);
  const minutesNow = nowInChina.getUTCHours() * 60 + nowInChina.getUTCMinutes();
  if (firstDay === today) {
    await dates.selectOption(today);
    // Only times still to come are offered, today.
    const starts = await page.locator('select[name=slot_start] option').evaluateAll(
      (options) => options.map((option) => option.value),
    );
    assert.ok(starts.length > 0);
    for (const value of starts) {
      const [hours, minutes] = value.split(':').map(Number);
      assert.ok(hours * 60 + minutes >= minutesNow - 5, `${value} is not past (now ${minutesNow} min)`);
    }
  } else {
    assert.equal(firstDay, chinaDate(1), 'late in the evening the list starts tomorrow');
    assert.ok(minutesNow >= 21 * 60, 'today is left out only when no time is left in it');
  }
  assert.equal((await page.locator('.claim-panel__submit').innerText()).trim(), '确认预约上门');
  await page.screenshot({ path: `${screenshotDir}/volunteer-booking-form-360x800.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a worker confirms a house call only once its time has begun', async () => {
  const volunteer = await apiAs(demo.volunteer);
  const { items } = await (await fetch(`${server.url}/api/wishes?kind=service&status=open`)).json();
  const tomorrow = chinaDate(1);
  const wish = items.find((w) => w.remaining > 0 && (!w.needed_by || w.needed_by >= tomorrow));
  assert.ok(wish, 'an open house call due tomorrow or later');
  const start = new Date(`${tomorrow}T16:00:00+08:00`);
  const booked = await volunteer('POST', `/api/wishes/${wish.id}/claims`, {
    quantity: 1,
    slot_start: start.toISOString(),
    slot_end: new Date(start.getTime() + 3600_000).toISOString(),
  });
  assert.equal(booked.status, 201, await booked.clone().text());

  const { context, page, problems } = await phoneAt('/worker/claims', { account: demo.worker });
  const card = page.locator('.claim-card', { hasText: wish.title }).filter({ has: page.locator('.claim-card__slot') });
  await card.first().locator('.claim-card__wait').waitFor();
  assert.equal(await card.first().locator('.claim-card__confirm').count(), 0, 'no confirm before the visit');
  assert.equal(await card.first().locator('input[name=minutes]').count(), 0, 'nor minutes to credit');
  assert.equal(await card.first().locator('.claim-card__reject').count(), 1, 'it can still be sent back');
  await page.screenshot({ path: `${screenshotDir}/worker-house-call-before-visit-360x800.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a giver's drop-off deadline comes with the station's hours, whom to ask for and its phone", async () => {
  const donor = await apiAs(demo.donor);
  const { items } = await (await fetch(`${server.url}/api/wishes?kind=item&status=open`)).json();
  const wish = items.find((w) => w.remaining > 0);
  const claimed = await donor('POST', `/api/wishes/${wish.id}/claims`, { quantity: 1 });
  assert.equal(claimed.status, 201, await claimed.clone().text());
  const grids = (await (await fetch(`${server.url}/api/grids`)).json()).items;
  const station = grids.find((grid) => grid.station === wish.station);
  assert.ok(station.station_hours && station.station_phone, 'the demo stations have details');

  for (const options of [{}, { english: true }, { elder: true }]) {
    const { context, page, problems } = await phoneAt('/me/claims', { account: demo.donor, ...options });
    const card = page.locator('.claim-card', { hasText: wish.title }).first();
    await card.locator('.claim-card__deadline').waitFor();
    const details = card.locator('.station__details');
    await details.waitFor();
    const text = await details.innerText();
    assert.ok(text.includes(station.station_hours) && text.includes(station.station_contact), text);
    const dial = station.station_phone.replace(/[^0-9+]/g, '');
    assert.equal(await details.locator('.station__phone').getAttribute('href'), `tel:${dial}`);
    const name = options.english ? '-en' : options.elder ? '-elder' : '';
    await page.screenshot({ path: `${screenshotDir}/claim-station-details${name}-360x800.png`, fullPage: true });
    // The wish's own page names them too, beside the claim's deadline.
    await page.goto(`${server.url}/wishes/${wish.id}`);
    await page.locator('.claim-panel .station__details').waitFor();
    assert.equal(await page.locator('.station__details').count(), 1, 'said once');
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a worker says when a station is open, whom to ask and its phone, and everyone reads it', async () => {
  const { context, page, problems } = await phoneAt('/worker', { account: demo.worker });
  await page.locator('.console__link', { hasText: '驿站信息' }).click();
  await page.waitForURL(`${server.url}/worker/stations`);
  const grids = (await (await fetch(`${server.url}/api/grids`)).json()).items;
  const third = grids.find((grid) => grid.name === '第三网格');
  const form = page.locator(`.station-form[data-grid="${third.id}"]`);
  assert.equal(await form.locator('input[name=hours]').inputValue(), third.station_hours, 'what is set now');
  assert.equal(await page.locator('.station-form').count(), 4, 'every station of the community');
  // A phone that is no number is said at once, and nothing is sent.
  await form.locator('input[name=phone]').fill('找网格长');
  await form.locator('button[type=submit]').click();
  await form.locator('.field__error[data-field=phone]').waitFor();
  await form.locator('input[name=hours]').fill('每天 8:30–18:00');
  await form.locator('input[name=contact]').fill('网格员 周芳');
  await form.locator('input[name=phone]').fill('0571-8650 1203');
  await form.locator('button[type=submit]').click();
  await form.locator('.station-form__saved').waitFor();
  await page.screenshot({ path: `${screenshotDir}/worker-stations-360x800.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();

  const after = (await (await fetch(`${server.url}/api/grids`)).json()).items.find((g) => g.id === third.id);
  assert.deepEqual(
    [after.station_hours, after.station_contact, after.station_phone],
    ['每天 8:30–18:00', '网格员 周芳', '0571-8650 1203'],
  );
  // A pending volunteer's 我的 lists the station with its new details.
  const pending = await newVolunteer('新志愿者 孙');
  const volunteer = await phoneAt('/me', { account: pending });
  const listed = volunteer.page.locator('.vetting .station', { hasText: third.station });
  await listed.locator('.station__details', { hasText: '网格员 周芳' }).waitFor();
  assert.deepEqual(volunteer.problems, []);
  await volunteer.context.close();
});
