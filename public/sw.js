// The service worker: keeps this build's app shell cached so that the app opens with no network.
// scripts/stamp-sw.sh (a Trunk post_build hook) fills in the build id and the files to precache,
// so every build changes this file's bytes: that is how the browser notices a new build.
'use strict';

const BUILD = '__MICROWISH_BUILD__';
const PRECACHE = ['__MICROWISH_PRECACHE__'];
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
