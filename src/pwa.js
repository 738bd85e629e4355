// Browser glue the Rust side calls through wasm-bindgen: service-worker registration and updates,
// and the storage-persistence API. Kept in JS because these are promise-and-callback APIs that
// take a page of web-sys code each and hold no app logic.

let updateRequested = false;

export function registerServiceWorker(onUpdateReady) {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Reload only when the teacher asked for the new version, never in the middle of typing.
    if (updateRequested) window.location.reload();
  });
  navigator.serviceWorker.register('/sw.js').then((reg) => {
    const watch = (worker) => {
      if (!worker) return;
      const check = () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) onUpdateReady();
      };
      worker.addEventListener('statechange', check);
      check();
    };
    watch(reg.waiting);
    reg.addEventListener('updatefound', () => watch(reg.installing));
    const recheck = () => reg.update().catch(() => {});
    window.addEventListener('online', recheck);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') recheck();
    });
  }).catch((err) => console.warn('service worker registration failed', err));
}

export function applyUpdate() {
  updateRequested = true;
  navigator.serviceWorker.getRegistration().then((reg) => {
    if (reg && reg.waiting) reg.waiting.postMessage('skipWaiting');
    else window.location.reload();
  });
}

// Asks the service worker to keep, for offline use, what only some phones need (sw.js, LATER):
// called on the phones Store::keeps_everything_offline names; a teacher's keeps it once used.
export function keepEverything() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.ready
    .then((reg) => reg.active && reg.active.postMessage('keep-all'))
    .catch(() => {});
}

export function isServiceWorkerControlled() {
  return !!(navigator.serviceWorker && navigator.serviceWorker.controller);
}

export async function storagePersisted() {
  return !!(navigator.storage && navigator.storage.persisted && await navigator.storage.persisted());
}

export async function storagePersist() {
  return !!(navigator.storage && navigator.storage.persist && await navigator.storage.persist());
}

// Resolves to [usage, quota] in bytes, or null where the browser does not say.
export async function storageEstimate() {
  if (!(navigator.storage && navigator.storage.estimate)) return null;
  const { usage, quota } = await navigator.storage.estimate();
  return [usage || 0, quota || 0];
}

// Timings the end-to-end tests read back (performance.getEntriesByName).
export function recordMeasure(name, start, end) {
  try { performance.measure(name, { start, end }); } catch (_) { /* older browsers: no metric */ }
}

export function downloadBytes(fileName, bytes) {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
