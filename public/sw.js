// The service worker: keeps the app on the device so 守望 opens with no network.
// PRECACHE, LATER and VERSION are filled in at build time by .ci/precache.sh from the real build
// output. PRECACHE is what every phone needs offline; LATER is what only some do: the files
// worker that makes and reads .xlsx and .docx, and the county's screen (the bureau's staff open it,
// no teacher does). A care lead's phone (once its sync is done) and one kept on its own with
// children ask for all of it ('keep-all', Store::keeps_everything_offline); elsewhere a file of it
// is kept the first time it is used.
const VERSION = '__SHOUWANG_VERSION__';
const PRECACHE = __SHOUWANG_PRECACHE__;
const LATER = __SHOUWANG_LATER__;
const CACHE = `shouwang-${VERSION}`;
const KEPT_LATER = new Set(LATER);
// LATER's parts, each kept whole or not at all: a file's name starts with its part's.
const LATER_PARTS = ['/shouwang-files-', '/split_county_screen-'];

self.addEventListener('install', (event) => {
  // A new version waits until the teacher taps 更新, so nothing being typed is interrupted.
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE);
    // A phone that kept a part of LATER under an earlier version keeps this version's too: a
    // teacher who has made a file offline before can again after the update, and the bureau's
    // computer opens the county's screen offline as before.
    const parts = await keptBefore();
    if (parts.length) await keepLater((url) => parts.some((part) => url.startsWith(part)));
  })());
});

// The parts of LATER an earlier version's cache holds (the files worker is named
// shouwang-files-<hash> by .ci/worker-names.sh, the county's screen split_county_screen-<hash>).
async function keptBefore() {
  const kept = new Set();
  for (const name of await caches.keys()) {
    if (name === CACHE || !name.startsWith('shouwang-')) continue;
    for (const request of await (await caches.open(name)).keys()) {
      const path = new URL(request.url).pathname;
      for (const part of LATER_PARTS) if (path.startsWith(part)) kept.add(part);
    }
  }
  return [...kept];
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('shouwang-') && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

// What LATER holds (of the parts `wanted`) and this phone has not kept yet, fetched one file at a
// time (a rural link is shared with the page's own work); a file that cannot be had now is asked
// for again next time.
async function keepLater(wanted = () => true) {
  const cache = await caches.open(CACHE);
  for (const url of LATER.filter(wanted)) {
    if (await cache.match(url)) continue;
    try {
      await cache.add(url);
    } catch (_) {
      return;
    }
  }
}

self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
  if (event.data === 'keep-all') event.waitUntil(keepLater());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/sync') return;
  if (request.mode === 'navigate') {
    // Every screen is the same single page: answer from the cache at once, online or not.
    event.respondWith(caches.match('/index.html', { cacheName: CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetchAndKeep(request, url)));
});

// A LATER file fetched because it is used is kept, so it opens offline from then on.
async function fetchAndKeep(request, url) {
  const response = await fetch(request);
  if (response.ok && KEPT_LATER.has(url.pathname)) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)).catch(() => {});
  }
  return response;
}
