// The small stock JS automerge-repo browser client that bench/compare sets beside our app: npm's
// Repo with its IndexedDB storage and browser WebSocket adapters, nothing of our own on the wire.
// The harness drives it through `window.bench` (enrolment, the documents to ask for, the day's
// records), as a teacher drives our app through its screens. Once enrolled it remembers its peer
// id, token and the children it holds (localStorage), so a reload starts it again without the
// harness and shows a minimal list: every held child's name read from IndexedDB (the cold start
// beside our roster), or with `?records=<id>` that records document's diary (opening a child).
import { Repo, initializeWasm, ImmutableString } from '@automerge/automerge-repo/slim';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb';

// The slim entry and a separate .wasm file: the smallest download automerge documents for the
// browser (base64 inside the bundle would be a third larger before compression).
await initializeWasm(new URL('automerge.wasm', location.href));
// When the wasm is up (downloaded again on every load: no service worker, `no-cache`), so a cold
// start's figure can be read as that plus the list.
const wasmReadyAt = performance.now();

const status = document.getElementById('status');
let repo = null;
let adapter = null;
const handles = new Map();
const ENROLMENT = 'bench-enrolment';
const CHILDREN = 'bench-children';

/** The server's peer id, once the socket has joined (the adapter learns it from `peer`). */
function serverPeer() {
  return repo.peers[0];
}

function headsEqual(a, b) {
  return !!a && !!b && a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

window.bench = {
  firstScreenAt: null,
  /** Starts the Repo as the enrolled device: its peer id, the server's /sync with its token. */
  start({ peerId, token, retryMs }) {
    const url = `${location.origin.replace(/^http/, 'ws')}/sync?token=${encodeURIComponent(token)}`;
    adapter = new BrowserWebSocketClientAdapter(url, retryMs);
    repo = new Repo({ peerId, network: [adapter], storage: new IndexedDBStorageAdapter('bench-js') });
    localStorage.setItem(ENROLMENT, JSON.stringify({ peerId, token }));
    status.textContent = `connecting as ${peerId}`;
  },
  /** Asks for every id at once; resolves with how many came and which did not. */
  async findAll(ids) {
    const found = await Promise.allSettled(ids.map((id) => repo.find(`automerge:${id}`)));
    const missing = [];
    found.forEach((r, i) => { if (r.status === 'fulfilled') handles.set(ids[i], r.value); else missing.push(`${ids[i]}: ${r.reason}`); });
    // The children among them (an archive says `kind: "child"`, as schema::is_kind reads it; a
    // scalar string reads as an ImmutableString): what the list shows after a reload.
    const children = [...handles].filter(([, h]) => String(h.doc()?.kind) === 'child').map(([id]) => id);
    localStorage.setItem(CHILDREN, JSON.stringify(children));
    status.textContent = `${handles.size} documents`;
    return { found: handles.size, missing };
  },
  /**
   * True once the server has told us heads equal to ours for every document held: the JS
   * Repo records the heads a peer reports per storage id (`getSyncInfo`).
   */
  inSync() {
    const peer = serverPeer();
    const storageId = peer && repo.getStorageIdOfPeer(peer);
    if (!storageId) return false;
    for (const handle of handles.values()) {
      if (!headsEqual(handle.heads(), handle.getSyncInfo(storageId)?.lastHeads)) return false;
    }
    return true;
  },
  /**
   * One diary record appended to a child's records document, laid out as
   * `schema::records::add_entry` writes it: a map pushed onto `diary` with `id` and `author`,
   * then the fields `date`, `title` (strings) and `text` (Automerge text), and the change's
   * message the app's `ChangeMeta` JSON with Unix seconds as its time.
   */
  addDiary(recordsId, { id, author, date, text }) {
    const handle = handles.get(recordsId);
    if (!handle) throw new Error(`records document ${recordsId} not held`);
    handle.change((doc) => {
      doc.diary.push({
        id: new ImmutableString(id),
        author: new ImmutableString(author),
        date: new ImmutableString(date),
        title: new ImmutableString(''),
        text,
      });
    }, { message: JSON.stringify({ author, action: '记录成长日记' }), time: Math.floor(Date.now() / 1000) });
  },
  /** The diary entries a records document holds (to check the day's work arrived intact). */
  diaryCount(recordsId) {
    return handles.get(recordsId)?.doc()?.diary?.length ?? null;
  },
  async flush() {
    await repo.flush();
  },
  /**
   * One diary record as `addDiary` writes it, then `repo.flush()`: the ms from the change until
   * the Repo has written it to IndexedDB (the JS side of our 保存 → 已保存).
   */
  async timedDiary(recordsId, entry) {
    const started = performance.now();
    this.addDiary(recordsId, entry);
    await repo.flush();
    return performance.now() - started;
  },
  wasmReadyAt,
  listShownAt: null,
  recordsShownAt: null,
};

/** Resolves at the first frame after the DOM has changed: when the list can be seen. */
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));

/** Every held child found from storage, their names in a `<ul>` (the JS roster). */
async function showList(ids) {
  const found = await Promise.all(ids.map((id) => repo.find(`automerge:${id}`)));
  const list = document.createElement('ul');
  list.id = 'children';
  found.forEach((handle, i) => {
    handles.set(ids[i], handle);
    const item = document.createElement('li');
    item.textContent = String(handle.doc()?.basic?.name ?? '');
    list.append(item);
  });
  document.body.append(list);
  status.textContent = `共 ${ids.length} 名儿童`;
  window.bench.listShownAt = await nextFrame();
}

/** One records document found from storage, its diary entries in an `<ol>` (a child's timeline). */
async function showRecords(id) {
  window.bench.recordsFindAt = performance.now();
  const handle = await repo.find(`automerge:${id}`);
  handles.set(id, handle);
  const list = document.createElement('ol');
  list.id = 'records';
  for (const entry of handle.doc()?.diary ?? []) {
    const item = document.createElement('li');
    item.textContent = `${entry.date} ${String(entry.text)}`;
    list.append(item);
  }
  document.body.append(list);
  status.textContent = `共 ${list.children.length} 条记录`;
  window.bench.recordsShownAt = await nextFrame();
}

const stored = JSON.parse(localStorage.getItem(ENROLMENT) ?? 'null');
if (stored) {
  // A reload of an enrolled client: start again as the same device and show what it holds.
  window.bench.start(stored);
  const records = new URL(location.href).searchParams.get('records');
  if (records) await showRecords(records);
  else await showList(JSON.parse(localStorage.getItem(CHILDREN) ?? '[]'));
} else {
  status.textContent = 'ready';
}
window.bench.firstScreenAt = performance.now();
