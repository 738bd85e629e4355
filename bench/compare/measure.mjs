// The measuring shared by bench/compare's scenarios (run.mjs's class of 40, school.mjs's school of
// 600): a page's WebSocket frames as CDP reports them, and one measured exchange over them.
// Moved here from run.mjs unchanged, so both scenarios count bytes and time the same way. Also
// the cold start of a phone that already holds the class or school (a new navigation of the same
// page, IndexedDB kept), timed in the page's own clock, for our app and the JS client alike.
import { setTimeout as sleep } from 'node:timers/promises';
import { startBrowser, PIN, median, percentile } from '../../tests/e2e/support.mjs';

export { median, percentile };

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

/**
 * Marks on every load of a phone's pages, for `openOurs`: when a PIN field is first on screen
 * (every bench phone set a PIN on its first load, support.mjs's unlockOnEveryLoad, so every later
 * load meets the lock; boot.js shows its field before the app's code has loaded), when the app
 * itself stands at its lock (`data-gate="locked"`: its code started, the PIN can be checked), and
 * the time of the last click (the event's own timestamp). As support.mjs's timeUnlock marks them.
 */
export async function watchStart(context) {
  await context.addInitScript(() => {
    const look = () => {
      const gate = document.documentElement.dataset.gate;
      if (window.lockShownAt === undefined && [...document.querySelectorAll('input.pin-input')].some((e) => e.offsetParent)) {
        window.lockShownAt = performance.now();
      }
      if (gate === 'locked' && window.appLockedAt === undefined) window.appLockedAt = performance.now();
      if (gate !== 'open' && window.appLockedAt === undefined) requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
    document.addEventListener('click', (e) => { window.tappedAt = e.timeStamp; }, { capture: true });
  });
}

/**
 * A new navigation of our app to `url` up to the first frame where the screen is usable: a `.count`
 * line with the text `count` and at least `rows` elements matching `selector` (the roster's
 * `共 40 名儿童` and its first row; a timeline's `共 90 条记录` and its 90 entries). In the page's
 * clock (0 = navigation start). The PIN is typed only once the app stands at its own lock, so
 * its start is never hidden behind the typing: `startToReadyMs` is navigation → the app at its
 * lock plus the tap on 解锁 → usable, the typing left out (a teacher who types while boot.js's
 * field shows gains up to that start, which this does not count). Also kept: navigation → boot.js's
 * PIN field, and navigation → usable with the harness's typing in between.
 */
export async function openOurs(page, url, usable) {
  const auto = page.autoUnlock;
  page.autoUnlock = false;
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.documentElement.dataset.gate === 'locked', null, { timeout: 300_000 });
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: '解锁' }).click();
    const done = await page.evaluate(async ({ count, selector, rows }) => {
      const ready = () => [...document.querySelectorAll('.count')].some((e) => e.textContent.includes(count))
        && document.querySelectorAll(selector).length >= rows;
      const giveUp = performance.now() + 300_000;
      while (!ready()) {
        if (performance.now() > giveUp) return null;
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return { at: performance.now(), lockShown: window.lockShownAt ?? null, appLocked: window.appLockedAt ?? null, tapped: window.tappedAt };
    }, usable);
    if (!done) throw new Error(`not usable in 300 s: ${JSON.stringify(usable)} at ${url}`);
    if (done.appLocked == null) throw new Error('the app was not seen at its lock on this load');
    const tapToReady = done.at - done.tapped;
    return {
      lockShownMs: done.lockShown == null ? null : Math.round(done.lockShown),
      appLockedMs: Math.round(done.appLocked),
      tapToReadyMs: Math.round(tapToReady),
      startToReadyMs: Math.round(done.appLocked + tapToReady),
      navigationToReadyMs: Math.round(done.at),
    };
  } finally {
    page.autoUnlock = auto;
  }
}

/** A new navigation of the JS client to `url` until it sets `window.bench[mark]`; its value. */
export async function openJs(page, url, mark) {
  await page.goto(url);
  const at = await page.waitForFunction((key) => window.bench?.[key], mark, { timeout: 300_000 }).then((h) => h.jsonValue());
  const seen = await page.evaluate(() => ({ shown: document.getElementById('status').textContent, wasmReadyMs: Math.round(window.bench.wasmReadyAt) }));
  return { startToReadyMs: Math.round(at), ...seen };
}

/**
 * `runs` cold starts by `open()` at CPU slowdown `rate` (CDP on the phone's page; back to 1
 * after): every run's figures and the median of `startToReadyMs`.
 */
export async function coldStarts(phone, rate, runs, open) {
  await phone.wire.cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const each = [];
  try {
    for (let i = 0; i < runs; i += 1) each.push(await open());
  } finally {
    await phone.wire.cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  }
  const med = (key) => (each.every((r) => r[key] != null) ? median(each.map((r) => r[key])) : null);
  return { rate, runs: each, startToReadyMs: med('startToReadyMs'), navigationToReadyMs: med('navigationToReadyMs') };
}

/**
 * Both phones' cold starts to a usable list of `size` children (they hold them already), plain and
 * at CPU ×4, `runs` each: ours (`{ phone, link }`) until its roster says 共 N 名儿童 with its
 * first row, the JS client until it has listed every child it holds from its storage. Keyed as
 * coldStartRows reads them (`ours1`, `js1`, `ours4`, `js4`).
 */
export async function listColdStarts(ours, theirs, size, runs, log = () => {}) {
  const listed = `共 ${size} 名儿童`;
  const cold = {};
  for (const rate of [1, 4]) {
    log(`cold start, CPU ×${rate}`);
    cold[`ours${rate}`] = await coldStarts(ours.phone, rate, runs, () => openOurs(ours.phone.page, ours.link.origin,
      { count: listed, selector: 'a.child-row', rows: 1 }));
    cold[`js${rate}`] = await coldStarts(theirs.phone, rate, runs, async () => {
      const r = await openJs(theirs.phone.page, theirs.link.origin, 'listShownAt');
      if (r.shown !== listed) throw new Error(`the JS client shows ${r.shown}`);
      return r;
    });
  }
  return cold;
}

/**
 * The cold-start rows of a scenario's table, plain and at CPU ×4, from listColdStarts.
 */
export function coldStartRows(table, size, runs, cold) {
  for (const rate of [1, 4]) {
    const cpu = rate === 1 ? '' : `, CPU ×${rate}`;
    table.row(`cold start to a usable list of ${size}${cpu} (median of ${runs}; ours navigation → the app at its lock + 解锁 → list)`,
      cold[`ours${rate}`].startToReadyMs, cold[`js${rate}`].startToReadyMs, ms);
    table.cells(`the same${cpu}, ours navigation → list with the harness typing the PIN in between`, '',
      ms(cold[`ours${rate}`].navigationToReadyMs), 'no PIN');
  }
}

/**
 * Every long task (≥ 50 ms on the main thread) the page's document sees, from its start: the
 * observer is in place before any of the app's scripts run, on every load of the context.
 */
export async function watchLongTasks(context) {
  await context.addInitScript(() => {
    window.longTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longTasks.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
      window.longTasksObserved = true;
    } catch { /* no longtask timing in this browser: the figures say so (null) */ }
  });
}
