// The service worker: keeps the whole app shell on the device so 守望 opens with no network.
// PRECACHE and VERSION are filled in at build time by .ci/precache.sh from the real build output.
const VERSION = '__SHOUWANG_VERSION__';
const PRECACHE = __SHOUWANG_PRECACHE__;
const CACHE = `shouwang-${VERSION}`;

self.addEventListener('install', (event) => {
  // A new version waits until the teacher taps 更新, so nothing being typed is interrupted.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith('shouwang-') && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
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
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
