// The page's end of the files worker (crates/files): started on the first job, then kept, with
// each job's answer matched to it by number. Kept in JS because it is promise-and-callback
// plumbing around one Worker, holding no app logic.

let started = null;
let next = 0;
const waiting = new Map();

// The worker says `ready` once its wasm is running: a message posted before would be lost.
function start(loader, ready) {
  if (started) return started;
  started = new Promise((resolve, reject) => {
    const worker = new Worker(loader);
    worker.onmessage = (event) => {
      if (event.data === ready) {
        resolve(worker);
        return;
      }
      const [id, reply, bytes] = event.data;
      waiting.get(id)?.resolve([reply, bytes]);
      waiting.delete(id);
    };
    // The worker could not load (offline before it was ever cached, a file missing), or a job
    // crashed it: every job waiting fails, and the next one starts a fresh worker.
    worker.onerror = (event) => {
      event.preventDefault();
      const failure = new Error(event.message || 'worker failed');
      reject(failure);
      for (const job of waiting.values()) job.reject(failure);
      waiting.clear();
      started = null;
      worker.terminate();
    };
  });
  return started;
}

// `input` is a view into the app's wasm memory: only a copy of it may be sent (cloning the view
// would copy all of that memory, transferring it would take it from the app).
export async function runJob(loader, ready, job, input) {
  const worker = await start(loader, ready);
  const copy = input.slice();
  return new Promise((resolve, reject) => {
    const id = next++;
    waiting.set(id, { resolve, reject });
    worker.postMessage([id, job, copy], [copy.buffer]);
  });
}
