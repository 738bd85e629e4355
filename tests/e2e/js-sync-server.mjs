// A stock automerge-repo sync server (npm @automerge/automerge-repo with its WebSocket server
// adapter) on 127.0.0.1, for the Rust sync client's interop test (crates/sync/tests/with_js.rs).
// It makes one document of its own, prints `{"url", "docId"}` as one JSON line, then answers each
// document id read on stdin with that document's `note` as one JSON line. It stops when stdin
// closes, so it never outlives the test.
import { createInterface } from 'node:readline';
import { Repo, ImmutableString } from '@automerge/automerge-repo';
import { NodeWSServerAdapter } from '@automerge/automerge-repo-network-websocket';
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((resolve) => wss.once('listening', resolve));
// Like our server: nothing is pushed to a peer that has not asked for it.
const repo = new Repo({ network: [new NodeWSServerAdapter(wss)], peerId: 'js-server', sharePolicy: async () => false });
const own = repo.create({ note: new ImmutableString('来自 JS 服务器') });
console.log(JSON.stringify({ url: `ws://127.0.0.1:${wss.address().port}`, docId: own.documentId }));

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  try {
    const handle = await repo.find(`automerge:${line.trim()}`);
    const note = handle.doc()?.note;
    console.log(JSON.stringify({ docId: line.trim(), note: note === undefined ? null : String(note) }));
  } catch (err) {
    console.log(JSON.stringify({ docId: line.trim(), error: String(err) }));
  }
}
wss.close();
process.exit(0);
