// The measuring shared by bench/compare's scenarios (run.mjs's class of 40, school.mjs's school of
// 600): a page's WebSocket frames as CDP reports them, and one measured exchange over them.
// Moved here from run.mjs unchanged, so both scenarios count bytes and time the same way.
import { setTimeout as sleep } from 'node:timers/promises';
import { startBrowser } from '../../tests/e2e/support.mjs';

/** Waits until `check()` (sync or async) is true. */
export async function until(check, what, timeout = 180_000) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * The WebSocket traffic of a page as CDP reports it (`Network.webSocketFrameSent/Received`, the
 * payload's bytes, as sync-perf.test.mjs counts), with the browser's own timestamps: a figure's
 * time runs from the first socket's handshake to the last frame of the exchange.
 */
export async function watchWire({ context, page }) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const wire = { cdp, frames: [], handshakes: [], lastAt: 0 };
  const size = (r) => (r.opcode === 2 ? Buffer.from(r.payloadData, 'base64').length : Buffer.byteLength(r.payloadData));
  const seen = (entry) => { wire.lastAt = Date.now(); return entry; };
  cdp.on('Network.webSocketWillSendHandshakeRequest', ({ timestamp }) => wire.handshakes.push(seen(timestamp)));
  cdp.on('Network.webSocketFrameSent', ({ timestamp, response }) => wire.frames.push(seen({ sent: true, bytes: size(response), t: timestamp })));
  cdp.on('Network.webSocketFrameReceived', ({ timestamp, response }) => wire.frames.push(seen({ sent: false, bytes: size(response), t: timestamp })));
  wire.reset = () => { wire.frames = []; wire.handshakes = []; };
  return wire;
}

/**
 * One measured exchange: `act` starts it, `synced` resolves once the client says it is in sync;
 * then the socket must stay quiet for 2 s (whatever still comes is counted). Every frame of the
 * window is counted, on however many sockets it took.
 */
export async function exchange(wire, act, synced) {
  wire.reset();
  await act();
  await synced();
  const cap = Date.now() + 30_000;
  while (Date.now() - wire.lastAt < 2_000 && Date.now() < cap) await sleep(100);
  const frames = wire.frames;
  const sum = (sent) => frames.filter((f) => f.sent === sent).reduce((n, f) => n + f.bytes, 0);
  const start = wire.handshakes[0] ?? frames[0]?.t;
  return {
    sentBytes: sum(true),
    receivedBytes: sum(false),
    framesSent: frames.filter((f) => f.sent).length,
    framesReceived: frames.filter((f) => !f.sent).length,
    sockets: wire.handshakes.length,
    ms: frames.length ? Math.round((frames.at(-1).t - start) * 1000) : 0,
  };
}

/**
 * A fresh headless phone, kept in `opened` (closed at the end), with `watch(context)` installed
 * before its first page (a scenario's own marks) and its WebSocket frames counted (`p.wire`).
 */
export async function openPhone(opened, watch, { js = false } = {}) {
  const p = await startBrowser();
  // support.mjs goes past our app's lock screen on every load; the JS page has none.
  if (js) p.page.autoUnlock = false;
  opened.push(p);
  await watch(p.context);
  p.wire = await watchWire(p);
  return p;
}

export const bytes = (n) => (n == null ? '—' : `${n.toLocaleString('en')} B`);
export const ms = (n) => (n == null ? '—' : `${n.toLocaleString('en')} ms`);
export const count = (n) => (n == null ? '—' : n.toLocaleString('en'));
export const ratio = (o, j) => (o == null || !j ? '—' : (o / j).toFixed(2));

/**
 * The table both scenarios print, ratios first: `row` formats two figures, `cells` takes a
 * ratio and texts made by the caller; `print` writes the table and then the floors.
 */
export function sideBySide() {
  const rows = [];
  return {
    row: (what, o, j, format) => rows.push({ what, ratio: ratio(o, j), ours: format(o), js: format(j) }),
    cells: (what, shares, o, j) => rows.push({ what, ratio: shares, ours: o, js: j }),
    print(floors) {
      console.log('\n| | ours / JS | ours | JS |\n|---|---|---|---|');
      for (const r of rows) console.log(`| ${r.what} | ${r.ratio} | ${r.ours} | ${r.js} |`);
      console.log('');
      for (const f of floors) console.log(`- ${f}`);
    },
  };
}
