// The small stock JS automerge-repo browser client that bench/compare sets beside our app: npm's
// Repo with its IndexedDB storage and browser WebSocket adapters, nothing of our own on the wire.
// The harness drives it through `window.bench` (enrolment, the documents to ask for, the day's
// records), as a teacher drives our app through its screens.
import { Repo, initializeWasm, ImmutableString } from '@automerge/automerge-repo/slim';
import { BrowserWebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb';

// The slim entry and a separate .wasm file: the smallest download automerge documents for the
// browser (base64 inside the bundle would be a third larger before compression).
await initializeWasm(new URL('automerge.wasm', location.href));

const status = document.getElementById('status');
let repo = null;
let adapter = null;
const handles = new Map();

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
    status.textContent = `connecting as ${peerId}`;
  },
  /** Asks for every id at once; resolves with how many came and which did not. */
  async findAll(ids) {
    const found = await Promise.allSettled(ids.map((id) => repo.find(`automerge:${id}`)));
    const missing = [];
    found.forEach((r, i) => { if (r.status === 'fulfilled') handles.set(ids[i], r.value); else missing.push(`${ids[i]}: ${r.reason}`); });
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
};

status.textContent = 'ready';
window.bench.firstScreenAt = performance.now();
