// The service worker: keeps this build's app shell cached so that the app opens with no network,
// and shows the user's notices (通知) on the lock screen when the server pushes one.
// scripts/stamp-sw.sh (a Trunk post_build hook) fills in the build id and the files to precache,
// so every build changes this file's bytes: that is how the browser notices a new build.
'use strict';

const BUILD = '__MICROWISH_BUILD__';
const PRECACHE = ['__MICROWISH_PRECACHE__'];
// Builds' caches; 'microwish.settings' (the page's language, see below) is not one of them.
const CACHE_PREFIX = 'microwish-';
const CACHE = CACHE_PREFIX + BUILD;
const SHELL = '/index.html';
// How long a page load waits for the network before opening the cached shell (a bad signal
// should not keep the user staring at a blank page).
const NAVIGATION_TIMEOUT_MS = 3000;

const precached = new Set(PRECACHE);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // Revalidate, so that a stale HTTP cache never leaks into this build's cache.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'no-cache' }))))
      // The next page load already runs the new build (its files are all precached).
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The API is neither cached nor touched: the app keeps its own offline data in IndexedDB,
  // and its server-sent events must reach the network untouched.
  if (
    request.method !== 'GET' ||
    url.origin !== self.location.origin ||
    url.pathname === '/api' ||
    url.pathname.startsWith('/api/')
  ) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(openPage(request));
  } else if (precached.has(url.pathname)) {
    event.respondWith(fromCache(request, url.pathname));
  } else {
    event.respondWith(fetch(request).catch(() => caches.match(request).then((hit) => hit ?? Response.error())));
  }
});

// Network first, so an online load always gets the newest index.html; offline, too slow, or a
// proxy's 5xx while the server is away: this build's index.html, which routes any client path.
async function openPage(request) {
  const network = fetch(request).catch(() => null);
  const response = await Promise.race([network, delay(NAVIGATION_TIMEOUT_MS)]);
  if (response && response.status < 500) {
    return response;
  }
  const shell = await caches.match(SHELL, { cacheName: CACHE });
  return shell ?? (await network) ?? Response.error();
}

// Every file of this build was precached with it: cache first (the network if evicted).
async function fromCache(request, path) {
  const hit = await caches.match(path, { cacheName: CACHE, ignoreVary: true });
  return hit ?? fetch(request);
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- Notices on the lock screen ----
// A push carries a notice's id, kind and ids, never words (nothing personal passes through a
// push service): the words are this table's, a copy of the app's (src/i18n/notices.rs). The
// test `the_service_worker_words_each_kind_as_the_app_does` (cargo test -p microwish --lib)
// fails when the two differ, and prints the block to put here.
const NOTICE_WORDS = /* notice-words */ {
  "en": {
    "body": "Microwish · tap to see it",
    "kinds": {
      "allocation_confirmed": "Your goods were handed over",
      "allocation_made": "Your goods were allocated",
      "call_for_volunteers": "Call for party members",
      "claim_confirmed": "Claim confirmed",
      "claim_expired": "Claim expired",
      "claim_expiring": "Claim ends within a day",
      "claim_rejected": "Claim sent back",
      "request_accepted": "Request accepted",
      "request_assigned": "A request was assigned to you",
      "request_closed": "Request closed",
      "request_dispatched": "Someone is handling your request",
      "request_new": "New request in your grid",
      "request_overdue": "Request overdue",
      "request_resolved": "Request resolved: please rate it",
      "thanks_received": "Thanks received",
      "volunteer_approved": "Volunteer approved",
      "volunteer_declined": "Volunteer application declined",
      "volunteer_suspended": "Volunteering suspended",
      "wish_fulfilled": "Wish fulfilled",
      "wish_withdrawn": "Wish withdrawn"
    }
  },
  "zh-CN": {
    "body": "微心愿 · 点开查看",
    "kinds": {
      "allocation_confirmed": "捐赠已送到",
      "allocation_made": "捐赠已分配",
      "call_for_volunteers": "支部吹哨:党员报到",
      "claim_confirmed": "认领已确认",
      "claim_expired": "认领已过期",
      "claim_expiring": "认领即将到期",
      "claim_rejected": "认领被退回",
      "request_accepted": "诉求已受理",
      "request_assigned": "有诉求派给你",
      "request_closed": "诉求已结束",
      "request_dispatched": "诉求已派人办理",
      "request_new": "网格有新诉求",
      "request_overdue": "诉求超时",
      "request_resolved": "诉求已办结,请评价",
      "thanks_received": "收到感谢",
      "volunteer_approved": "志愿者审核通过",
      "volunteer_declined": "志愿者申请未通过",
      "volunteer_suspended": "志愿者资格已暂停",
      "wish_fulfilled": "心愿已圆满实现",
      "wish_withdrawn": "心愿已撤下"
    }
  }
} /* /notice-words */;
const FIRST_LANGUAGE = 'zh-CN';
// The language the page speaks, kept by public/prefs.js where a service worker can read it.
const SETTINGS_CACHE = 'microwish.settings';
const LANGUAGE_KEY = '/settings/language';

self.addEventListener('push', (event) => {
  event.waitUntil(showNotice(event.data));
});

async function showNotice(data) {
  let notice = null;
  try {
    notice = data ? data.json() : null;
  } catch (_) {
    // Not a notice of ours: still shown (a push must show something), in general words.
  }
  const language = await spokenLanguage();
  const words = NOTICE_WORDS[language];
  const kind = notice && Object.hasOwn(words.kinds, notice.kind) ? notice.kind : null;
  const id = notice && typeof notice.id === 'string' && NOTICE_ID.test(notice.id) ? notice.id : null;
  await self.registration.showNotification(kind ? words.kinds[kind] : words.body, {
    body: words.body,
    lang: language,
    icon: '/icon-192.png',
    tag: id ?? 'notice',
    data: { id, kind },
  });
  // Open pages pull at once (a page in the background may have let its event stream sleep),
  // those opened before this worker took charge of them too.
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const page of pages) page.postMessage({ type: 'notice', id, kind });
}

async function spokenLanguage() {
  try {
    const saved = await caches.match(LANGUAGE_KEY, { cacheName: SETTINGS_CACHE });
    const tag = saved ? (await saved.text()).trim() : FIRST_LANGUAGE;
    return Object.hasOwn(NOTICE_WORDS, tag) ? tag : FIRST_LANGUAGE;
  } catch (_) {
    return FIRST_LANGUAGE;
  }
}

const NOTICE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Tapped: the app opens the notice (/notices/{id} marks it read and goes on to what it is
// about), in the page already open if there is one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const id = event.notification.data?.id;
  event.waitUntil(openApp(id ? `/notices/${id}` : '/notices'));
});

async function openApp(path) {
  const url = new URL(path, self.location.origin).href;
  const pages = await self.clients.matchAll({ type: 'window' });
  for (const page of pages) {
    const moved = await page.navigate(url).catch(() => null);
    if (moved) return moved.focus().catch(() => moved);
  }
  return self.clients.openWindow(url);
}

// The push service replaced this device's subscription: the server learns the new one.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(resubscribe(event.oldSubscription, event.newSubscription));
});

async function resubscribe(old, fresh) {
  const subscription =
    fresh ?? (old?.options ? await self.registration.pushManager.subscribe(old.options) : null);
  if (subscription) await sendJson('POST', subscription.toJSON());
  if (old && old.endpoint !== subscription?.endpoint) {
    await sendJson('DELETE', { endpoint: old.endpoint });
  }
}

function sendJson(method, body) {
  return fetch('/api/push/subscriptions', {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  }).catch(() => null);
}
