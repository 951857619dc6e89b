// Shared set-up of the end-to-end tests: a real server on a free port with a fresh
// demo database, and the system Chromium driven by playwright-core (no browser download).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '../..');
export const screenshotDir = join(root, 'target', 'e2e');
mkdirSync(screenshotDir, { recursive: true });

// `dist`: the built SPA to serve (a test may serve a copy that it changes); `args`: more of
// `serve`'s options (e.g. `--allow-push-endpoint`).
export async function startServer({ dist = join(root, 'dist'), args = [] } = {}) {
  const binary = process.env.MICROWISH_SERVER ?? join(root, 'target/debug/microwish-server');
  const dir = mkdtempSync(join(tmpdir(), 'microwish-e2e-'));
  const child = spawn(
    binary,
    ['serve', '--addr', '127.0.0.1:0', '--database', `sqlite://${dir}/e2e.db`, '--dist', dist, '--demo', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 30_000);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
  });
  return {
    url,
    stop() {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

// `options`: more of Playwright's context options (e.g. `serviceWorkers: 'block'`).
export function phoneContext(browser, options = {}) {
  return browser.newContext({
    viewport: { width: 360, height: 800 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    ...options,
  });
}

// A phone with 我的 settings already chosen (elder mode, English), signed in as `account`
// (when given) and showing `path` of `server`; page errors are gathered in `problems`.
export async function phoneAt(server, browser, path, { account, elder = false, english = false } = {}) {
  const context = await phoneContext(browser);
  await context.addInitScript(([elder, english]) => {
    if (elder) localStorage.setItem('microwish.elder', 'on');
    if (english) localStorage.setItem('microwish.language', 'en');
  }, [elder, english]);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  if (account) {
    await page.goto(`${server.url}/login?next=${encodeURIComponent(path)}`);
    await logIn(page, account);
    await page.waitForURL(`${server.url}${path}`);
    await page.locator('.tabbar[data-session=in]').waitFor();
  } else {
    await visit(page, `${server.url}${path}`);
  }
  return { context, page, problems };
}

// Opens `url` and waits until the app has taken the shell's place. On the list a visitor's
// first screen is the server's (crates/server/src/first_screen.rs), and it stays, the app hidden
// behind it, until the app's list is ready (src/shell.rs): until then the page has both.
export async function visit(page, url) {
  await page.goto(url);
  await appTookOver(page);
}

export const appTookOver = (page) => page.waitForFunction(() => !document.getElementById('shell'));

// The demo's logins (printed by `microwish-server serve --demo`).
export const demo = {
  worker: { phone: '13800000001', password: 'xingyi-worker-2026', name: '网格长 李红' },
  donor: { phone: '13800000002', password: 'xingyi-donor-2026', name: '爱心人士 张先生' },
  volunteer: { phone: '13800000003', password: 'xingyi-volunteer-2026' },
  shop: { phone: '13800000004', password: 'xingyi-shop-2026', name: '大拇哥童鞋店 王荣亮' },
  resident: { phone: '13800000005', password: 'xingyi-resident-2026', name: '居民 王阿姨' },
  property: { phone: '13800000006', password: 'xingyi-property-2026', name: '红色物业 刘师傅' },
};

// Fills in and sends the login form the page shows.
export async function logIn(page, { phone, password }) {
  await page.locator('input[name=phone]').fill(phone);
  await page.locator('input[name=password]').fill(password);
  await page.locator('.auth-form__submit').click();
}

// Logs out the way a person does: 我的, then 退出.
export async function tapLogOut(page) {
  await page.locator('.tabbar__me').click();
  await page.locator('.account__logout').click();
}

// Walks every page a person reaches, as each role (visitor, donor, volunteer, worker, shop,
// resident, property staff), calling `check(page, label)` on each once it has drawn. Tests
// that hold for every page (touch targets, accessibility) share this one list. `setUp(context)`
// runs on each role's browser context first (e.g. to turn on elder mode). A step `open:SELECTOR`
// follows the first link the page shows that matches (a request's page, whose id only the
// signed-in know).
export async function everyPage(server, browser, check, { setUp = async () => {} } = {}) {
  const json = async (path) => (await fetch(server.url + path)).json();
  const wishes = (await json('/api/wishes?limit=100')).items;
  const item = wishes.find((wish) => wish.kind === 'item' && wish.status === 'open') ?? wishes[0];
  const service = wishes.find((wish) => wish.kind === 'service' && wish.status === 'open') ?? item;
  const campaign = (await json('/api/campaigns')).items[0];
  // The inbox's request not yet accepted, so its page offers the whole triage.
  const waiting = '/worker/requests?status=submitted';
  const tour = [
    [null, ['/', `/wishes/${item.id}`, `/campaigns/${campaign.id}`, '/login', '/register', '/reset', '/privacy', '/me',
      '/board']],
    [demo.donor, ['/', `/wishes/${item.id}`, '/me/claims', '/notices', '/me']],
    [demo.volunteer, [`/wishes/${service.id}`, '/me/claims', '/calls', 'open:.request-card', '/me/certificates']],
    [demo.worker, ['/worker', '/worker/claims', '/worker/volunteers', '/worker/households',
      '/worker/households/new', '/worker/wishes/new', '/worker/pledges', 'open:.pledge-list__record',
      '/worker/campaigns/new', '/worker/stats', '/worker/stations', '/worker/pairings', `/campaigns/${campaign.id}`, waiting,
      'open:.request-card', '/notices', '/me']],
    [demo.shop, ['/shop', 'open:.pledge-card__actions a', '/shop', 'open:.shop-record__link',
      '/shop/pledges/new', '/me']],
    [demo.resident, ['/', '/requests/new', '/me/requests', 'open:.request-card[data-status=in_progress]']],
    [demo.property, ['/assigned', 'open:.request-card[data-status=dispatched]']],
  ];
  for (const [who, paths] of tour) {
    const context = await phoneContext(browser);
    await setUp(context);
    const page = await context.newPage();
    const role = who ? Object.keys(demo).find((key) => demo[key] === who) : 'visitor';
    if (who) {
      await page.goto(`${server.url}/login`);
      await logIn(page, who);
      await page.waitForURL((to) => !to.pathname.startsWith('/login'));
    }
    for (const path of paths) {
      let label = path;
      if (path.startsWith('open:')) {
        const link = page.locator(path.slice('open:'.length)).first();
        await link.waitFor();
        label = await link.getAttribute('href');
        await link.click();
        await page.waitForURL(`${server.url}${label}`);
      } else {
        await page.goto(server.url + path);
      }
      await page.locator('main, .page, .wish-list').first().waitFor();
      await page.waitForTimeout(800);
      await check(page, `${role} ${label}`);
    }
    await context.close();
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// What axe-core (npm, pinned) finds serious or critical on the page as it is now (WCAG 2.1 A
// and AA rules), one line per rule with up to three places.
export async function seriousViolations(page) {
  // Through the DevTools protocol: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.slice(0, 3).map(describeNode).join(' | ')}`);
}

// Where, and for contrast the colours axe saw.
function describeNode(node) {
  const data = node.any[0]?.data;
  const colours = data?.fgColor ? ` (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio})` : '';
  return node.target.join(' ') + colours;
}
