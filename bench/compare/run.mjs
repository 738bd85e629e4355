// bench/compare: our app's sync beside a small stock JS automerge-repo browser client, in the same
// headless Chromium against the same real server (the release binary, 127.0.0.1 only), for a
// class of 40 (issue 15 item 1). Prints ours | JS | ratio for: bytes before the first screen and
// in total; the first sync of the class onto a newly enrolled phone (loopback and a 300 ms /
// 750 kbit/s link); a reconnect with nothing new; a day's work (10 records over 8 children); then,
// on the same two phones back on a fast link: 20 saves (p50 / p95), a child given 90 diary
// records opened from a new page load, and the cold start to a usable list, plain and with the
// CPU slowed 4×. Run `node build.mjs` first (npm run bench does both). See README "Benchmarks".
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { deflateRawSync } from 'node:zlib';
import { startBrowser, addChild, classChild } from '../../tests/e2e/support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced, storedDocs } from '../../tests/e2e/sync-support.mjs';
import { relay, FAST, SLOW } from './relay.mjs';
import { jsClientServer } from './js-server.mjs';
import { recordsId, newId } from './ids.mjs';
import {
  until, exchange, openPhone, sideBySide, bytes, ms, watchStart, openOurs, openJs, coldStarts, listColdStarts, coldStartRows, percentile,
} from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLASS_SIZE = 40;
const OFFLINE = { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
const ONLINE = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
const SLOW_LABEL = 'relay RTT 300 ms, 750 kbit/s each way';
// Cold starts and openings are each timed this many times; the table gives the median.
const RUNS = 3;
const SAVES = 20;
const RECORDS = 90;

/** Marks the first frame that shows something: our app's gate, or the JS page's status line. */
async function markFirstScreen(context) {
  await context.addInitScript(() => {
    const look = () => {
      const gate = document.documentElement.dataset.gate;
      const ours = gate && gate !== 'checking';
      // A reloaded JS client that shows its list instead of 'ready' sets firstScreenAt itself.
      const js = document.getElementById('status')?.textContent === 'ready' || window.bench?.firstScreenAt != null;
      if (ours || js) window.firstScreenAt = performance.now();
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
}

/**
 * A fresh phone's first open of `origin` through `link`: the bytes of every response that ended
 * before the first screen (transferSize: headers and body as they came), and every byte the link
 * carried down until it has been quiet for 3 s (our app: once its service worker holds the whole
 * app for offline).
 */
async function firstOpen(phone, link, origin, { serviceWorker }) {
  link.reset();
  await phone.page.goto(origin);
  await phone.page.waitForFunction(() => window.firstScreenAt !== undefined, null, { timeout: 120_000 });
  if (serviceWorker) await phone.page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 60_000 });
  while (Date.now() - link.lastByteAt < 3_000) await sleep(200);
  const firstScreen = await phone.page.evaluate(() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .filter((e) => e.responseEnd <= window.firstScreenAt)
    .reduce((n, e) => n + e.transferSize, 0));
  return { firstScreenBytes: firstScreen, totalBytesDown: link.down, totalBytesUp: link.up };
}

/** Adds a diary entry through the app's screen, as a teacher does (sync-perf.test.mjs). */
async function diaryThroughScreen(page, origin, child, text) {
  await page.goto(`${origin}/child/${child}/add/diary`);
  await page.getByLabel('记录', { exact: true }).fill(text);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存：成长日记').waitFor();
}

const dayText = (day, i) => `第 ${day} 天第 ${i + 1} 条：今天在校表现良好，午饭吃完，作业按时完成。`;

// `node run.mjs school` (or BENCH_SCALE=school): the W-school scenario of school.mjs instead of
// the class; it ends the process itself. Without either, the class of 40 runs as it always did.
if (process.argv[2] === 'school' || process.env.BENCH_SCALE === 'school') {
  await import('./school.mjs');
  process.exit(process.exitCode ?? 0);
}

const server = schoolServer();
const opened = [];
const results = {};
const started = Date.now();
const log = (...args) => console.error(`[${((Date.now() - started) / 1000).toFixed(0)} s]`, ...args);

const phone = (options) => openPhone(opened, (context) => Promise.all([markFirstScreen(context), watchStart(context)]), options);

try {
  await server.start();
  const serverPort = Number(new URL(server.origin).port);
  const made = makeSchool(server, '对比小学', ['A', 'B1', 'B2', 'J1', 'J2'].map((n) => ({ name: `${n}老师`, role: 'lead' })));
  const code = Object.fromEntries(['A', 'B1', 'B2', 'J1', 'J2'].map((n, i) => [n, made.teachers[i].code]));
  const js = await jsClientServer(path.join(here, 'dist'), serverPort);

  // Each measured phone has its own link, so its bytes and its slowness are its own.
  const ours = { plain: { link: await relay(serverPort) }, slow: { link: await relay(serverPort) } };
  const theirs = { plain: { link: await relay(js.port) }, slow: { link: await relay(js.port) } };
  for (const side of [ours.plain, ours.slow]) side.phone = await phone();
  for (const side of [theirs.plain, theirs.slow]) side.phone = await phone({ js: true });

  // 1. The first open of a fresh phone, over the loopback.
  log('first open');
  results.openOurs = await firstOpen(ours.plain.phone, ours.plain.link, ours.plain.link.origin, { serviceWorker: true });
  results.openJs = await firstOpen(theirs.plain.phone, theirs.plain.link, theirs.plain.link.origin, { serviceWorker: false });
  await ours.slow.phone.page.goto(ours.slow.link.origin);
  await theirs.slow.phone.page.goto(theirs.slow.link.origin);
  await theirs.slow.phone.page.waitForFunction(() => window.firstScreenAt !== undefined);

  // 2. Phone A enters the class through the app's screens, with one diary entry per child: the
  //    first record is what makes a child's records document in our app.
  log('phone A enters the class');
  const a = await startBrowser();
  opened.push(a);
  await enrol(a.page, server.origin, code.A, 'A 的手机');
  await a.page.goto(server.origin);
  for (let i = 0; i < CLASS_SIZE; i += 1) {
    await addChild(a.page, classChild(i));
  }
  await a.page.goto(server.origin);
  await a.page.locator('a.child-row').nth(CLASS_SIZE - 1).waitFor();
  const children = await a.page.locator('a.child-row').evaluateAll((links) => links.map((l) => new URL(l.href).pathname.split('/')[2]));
  if (children.length !== CLASS_SIZE) throw new Error(`the roster lists ${children.length}`);
  for (const [i, child] of children.entries()) await diaryThroughScreen(a.page, server.origin, child, dayText(0, i));
  await a.page.goto(server.origin);
  await waitSynced(a.page, 120_000);
  const onA = new Set(await storedDocs(a.page));
  const records = children.map(recordsId);
  const missing = records.filter((id) => !onA.has(id));
  if (missing.length) throw new Error(`records ids derived here are not on phone A: ${missing.join(', ')}`);
  const ids = [...children, ...records];
  results.phoneA = { documentsHeld: onA.size };
  await a.close();
  opened.splice(opened.indexOf(a), 1);

  // 3. First sync of the class onto a newly enrolled phone: ours enrols from its settings screen
  //    and goes back to its roster (sync-perf.test.mjs); the JS client is enrolled as another lead
  //    device and asks for the 80 ids (the children and their records documents) at once.
  const enrolJs = async (teacherCode, name) => {
    const answer = await fetch(`${server.origin}/api/enrol`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: teacherCode, deviceName: name }),
    });
    if (!answer.ok) throw new Error(`enrol: ${answer.status} ${await answer.text()}`);
    return answer.json();
  };
  for (const [label, side, teacher] of [['plain', ours.plain, 'B1'], ['slow', ours.slow, 'B2']]) {
    log(`first sync, ours, ${label}`);
    const { page, wire } = side.phone;
    if (label === 'slow') side.link.shape = SLOW;
    side.firstSync = await exchange(wire, () => enrol(page, side.link.origin, code[teacher], `${teacher} 的手机`), async () => {
      await page.getByRole('link', { name: '返回名册' }).click();
      await page.locator('.child-row').nth(CLASS_SIZE - 1).waitFor({ timeout: 120_000 });
      await waitSynced(page, 180_000);
    });
    side.documentsHeld = (await storedDocs(page)).length;
  }
  for (const [label, side, teacher] of [['plain', theirs.plain, 'J1'], ['slow', theirs.slow, 'J2']]) {
    log(`first sync, JS, ${label}`);
    const { page, wire } = side.phone;
    const enrolment = await enrolJs(code[teacher], `${teacher} 的 JS 客户端`);
    side.teacherId = enrolment.teacher.id;
    if (label === 'slow') side.link.shape = SLOW;
    side.firstSync = await exchange(wire, async () => {
      await page.evaluate((args) => window.bench.start(args), { peerId: enrolment.peerId, token: enrolment.token });
      const found = await page.evaluate((list) => window.bench.findAll(list), ids);
      if (found.found !== ids.length) throw new Error(`the JS client found ${found.found} of ${ids.length}: ${found.missing.slice(0, 3).join('; ')}`);
    }, () => until(() => page.evaluate(() => window.bench.inSync()), 'the JS client in sync'));
    side.documentsHeld = ids.length;
  }

  // 4. A reconnect with nothing new: the link drops every connection and takes new ones at once.
  const oursBack = (page, wire) => async () => {
    await until(() => wire.handshakes.length > 0, 'a new socket');
    await waitSynced(page, 120_000);
  };
  const jsBack = (page, wire) => async () => {
    await until(() => wire.handshakes.length > 0, 'a new socket');
    await until(() => page.evaluate(() => window.bench.inSync()), 'the JS client in sync');
  };
  for (const label of ['plain', 'slow']) {
    log(`reconnect, ${label}`);
    const o = ours[label];
    o.reconnect = await exchange(o.phone.wire, () => o.link.drop(), oursBack(o.phone.page, o.phone.wire));
    const j = theirs[label];
    j.reconnect = await exchange(j.phone.wire, () => j.link.drop(), jsBack(j.phone.page, j.phone.wire));
  }
  for (const side of [ours.plain, theirs.plain]) await side.phone.close();

  // 5. A day's work behind the slow link: 10 diary entries over 8 children written offline, then
  //    the link comes back. One phone at a time, the other one cut off, so neither receives the
  //    other's day inside its own figure.
  const eight = children.slice(0, 8);
  {
    log("a day's work, ours");
    const { page, wire } = ours.slow.phone;
    const { link } = ours.slow;
    // The app learns it is offline from the browser, as sync-perf.test.mjs has it; the link
    // refuses too, so nothing leaks out early.
    link.refusing = true;
    link.drop();
    await wire.cdp.send('Network.emulateNetworkConditions', OFFLINE);
    for (let i = 0; i < 10; i += 1) await diaryThroughScreen(page, link.origin, eight[i % 8], dayText(1, i));
    await page.goto(link.origin);
    await page.locator('#sync-status[data-phase="offline"]').waitFor();
    ours.slow.day = await exchange(wire, async () => {
      link.refusing = false;
      await wire.cdp.send('Network.emulateNetworkConditions', ONLINE);
    }, oursBack(page, wire));
    // The JS phone takes our day now (not measured), then our phone leaves the link.
    await sleep(3_000);
    link.refusing = true;
    link.drop();
  }
  {
    log("a day's work, JS");
    const { page, wire } = theirs.slow.phone;
    const { link } = theirs.slow;
    await until(() => page.evaluate(() => window.bench.inSync()), 'the JS client holding our day');
    link.refusing = true;
    link.drop();
    await until(() => page.evaluate(() => !window.bench.inSync()), 'the JS client offline');
    const today = new Date().toISOString().slice(0, 10);
    for (let i = 0; i < 10; i += 1) {
      await page.evaluate(([id, entry]) => window.bench.addDiary(id, entry),
        [recordsId(eight[i % 8]), { id: newId(), author: theirs.slow.teacherId, date: today, text: dayText(2, i) }]);
    }
    await page.evaluate(() => window.bench.flush());
    theirs.slow.day = await exchange(wire, async () => { link.refusing = false; }, jsBack(page, wire));
    const counts = await page.evaluate((list) => list.map((id) => window.bench.diaryCount(id)), eight.map(recordsId));
    // 1 from phone A, ours' day (10 over 8: two children have 2) and the JS day the same way.
    if (counts.reduce((n, c) => n + c, 0) !== 8 + 10 + 10) throw new Error(`diary entries on the JS phone: ${counts}`);
  }

  // 6. On the same two phones, back on a fast link (loopback through the relay, nothing slowed):
  //    the saves, a child of 90 records, the cold starts. Nothing measured before is touched.
  const manyChild = children[CLASS_SIZE - 1];
  const jsChild = children[CLASS_SIZE - 2];
  const timed = {};
  {
    log(`${SAVES} saves and a child of ${RECORDS} records, ours`);
    const { page } = ours.slow.phone;
    const { link } = ours.slow;
    link.shape = FAST;
    link.refusing = false;
    // The app reconnects by itself (its retry); a load makes it try at once.
    await page.goto(link.origin);
    await waitSynced(page, 120_000);
    // Through the screens: the add form, 保存, the timeline saying 已保存 (the app goes there
    // itself). After the first, the form is reached by the timeline's own link, as a teacher
    // taps it, not a page load. The time is the page's: the click event's timestamp to the
    // mutation that puts 已保存：成长日记 in the DOM (a MutationObserver set before the click).
    // Phone A gave the child 1 entry; 89 more make 90, the first SAVES of them timed.
    await page.goto(`${link.origin}/child/${manyChild}/add/diary`);
    const saves = [];
    for (let i = 0; i < RECORDS - 1; i += 1) {
      if (i > 0) await page.getByRole('link', { name: '＋ 成长日记' }).click();
      await page.getByLabel('记录', { exact: true }).fill(dayText(3, i));
      await page.evaluate(() => {
        window.savedAt = null;
        const seen = () => [...document.querySelectorAll('.status-ok')].some((e) => e.textContent.includes('已保存：成长日记'));
        const watch = new MutationObserver(() => { if (seen()) { window.savedAt = performance.now(); watch.disconnect(); } });
        watch.observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      await page.getByRole('button', { name: '保存' }).click();
      const took = await page.waitForFunction(() => window.savedAt != null && window.savedAt - window.tappedAt, null, { timeout: 60_000 })
        .then((h) => h.jsonValue());
      if (i < SAVES) saves.push(took);
    }
    timed.oursSaves = saves;
    // The app's own measure of each save (store: from the save's start until IndexedDB has
    // committed, perf.test.mjs's figure), for the same saves: the page was not loaded again since
    // the first form, so its entries are these saves in order.
    const own = await page.evaluate(() => performance.getEntriesByName('shouwang:save').map((e) => e.duration));
    timed.oursSaveMeasures = own.length === RECORDS - 1 ? own.slice(0, SAVES) : null;
    if (!timed.oursSaveMeasures) log(`shouwang:save entries: ${own.length}, not ${RECORDS - 1}: not reported`);
    await page.getByText(`共 ${RECORDS} 条记录`).waitFor();
    // The sync status is on the roster.
    await page.goto(link.origin);
    await waitSynced(page, 120_000);
  }
  {
    log(`${SAVES} saves, JS`);
    const { page } = theirs.slow.phone;
    theirs.slow.link.shape = FAST;
    theirs.slow.link.refusing = false;
    const today = new Date().toISOString().slice(0, 10);
    const saves = [];
    for (let i = 0; i < SAVES; i += 1) {
      saves.push(await page.evaluate(([id, entry]) => window.bench.timedDiary(id, entry),
        [recordsId(jsChild), { id: newId(), author: theirs.slow.teacherId, date: today, text: dayText(4, i) }]));
    }
    timed.jsSaves = saves;
    // Our 89 entries reach the JS client by sync: both open the same 90-entry document.
    await until(() => page.evaluate((id) => window.bench.diaryCount(id), recordsId(manyChild)).then((n) => n === RECORDS),
      `the JS client holding ${RECORDS} entries`, 120_000);
    await until(() => page.evaluate(() => window.bench.inSync()), 'the JS client in sync');
  }
  // The JS client's entries reach our phone too, so neither syncs anything new while timed.
  await waitSynced(ours.slow.phone.page, 120_000);
  {
    log(`a child of ${RECORDS} records opened, and the cold starts`);
    const o = ours.slow;
    const j = theirs.slow;
    const recordsUsable = { count: `共 ${RECORDS} 条记录`, selector: 'ol.timeline li.record', rows: RECORDS };
    timed.oursOpenChild = await coldStarts(o.phone, 1, RUNS, () => openOurs(o.phone.page, `${o.link.origin}/child/${manyChild}/records`, recordsUsable));
    timed.jsOpenChild = await coldStarts(j.phone, 1, RUNS, async () => {
      const r = await openJs(j.phone.page, `${j.link.origin}/?records=${recordsId(manyChild)}`, 'recordsShownAt');
      if (r.shown !== `共 ${RECORDS} 条记录`) throw new Error(`the JS client shows ${r.shown}`);
      r.findToShownMs = Math.round(await j.phone.page.evaluate(() => window.bench.recordsShownAt - window.bench.recordsFindAt));
      return r;
    });
    timed.cold = await listColdStarts(o, j, CLASS_SIZE, RUNS);
  }
  results.timed = timed;

  // The table: ratios first.
  const table = sideBySide();
  const { row } = table;
  row('bytes before the first screen', results.openOurs.firstScreenBytes, results.openJs.firstScreenBytes, bytes);
  row('bytes in total (down; ours incl. offline cache)', results.openOurs.totalBytesDown, results.openJs.totalBytesDown, bytes);
  for (const [label, name] of [['plain', 'loopback'], ['slow', SLOW_LABEL]]) {
    for (const [key, what] of [['firstSync', 'first sync of the class'], ['reconnect', 'reconnect, nothing new']]) {
      const o = ours[label][key];
      const j = theirs[label][key];
      row(`${what}, ${name}: sent`, o.sentBytes, j.sentBytes, bytes);
      row(`${what}, ${name}: received`, o.receivedBytes, j.receivedBytes, bytes);
      row(`${what}, ${name}: time`, o.ms, j.ms, ms);
    }
  }
  for (const [key, what] of [['sentBytes', 'sent'], ['receivedBytes', 'received'], ['ms', 'time']]) {
    row(`a day's work (10 records / 8 children), ${SLOW_LABEL}: ${what}`, ours.slow.day[key], theirs.slow.day[key], key === 'ms' ? ms : bytes);
  }
  const round = (n) => (n == null ? null : Math.round(n));
  for (const [p, what] of [[50, 'p50'], [95, 'p95']]) {
    row(`save of a diary entry (${SAVES}), ${what}: ours 保存 click → 已保存 in the DOM; JS change → repo.flush() done`,
      round(percentile(timed.oursSaves, p)), round(percentile(timed.jsSaves, p)), ms);
  }
  if (timed.oursSaveMeasures) {
    table.cells(`the same ${SAVES} saves, ours by the app's own shouwang:save measure (to IndexedDB committed): p50 / p95`, '',
      `${ms(round(percentile(timed.oursSaveMeasures, 50)))} / ${ms(round(percentile(timed.oursSaveMeasures, 95)))}`, '');
  } else {
    table.cells(`the same ${SAVES} saves, ours by the app's own shouwang:save measure`, '', '— (entries missing)', '');
  }
  row(`a child of ${RECORDS} diary records, new page load → its ${RECORDS} entries listed (median of ${RUNS}; ours navigation → the app at its lock + 解锁 → entries)`,
    timed.oursOpenChild.startToReadyMs, timed.jsOpenChild.startToReadyMs, ms);
  coldStartRows(table, CLASS_SIZE, RUNS, timed.cold);
  const held = { ours: ours.slow.documentsHeld, js: theirs.slow.documentsHeld };
  const floors = [];
  for (const label of ['plain', 'slow']) {
    const r = ours[label].reconnect;
    const limit = 2048 + 16 * ours[label].documentsHeld;
    floors.push(`reconnect floor (${label}): ours ${bytes(r.sentBytes + r.receivedBytes)} both ways vs ≤ ${bytes(limit)} (2 KB + 16 B × ${ours[label].documentsHeld} documents held): ${r.sentBytes + r.receivedBytes <= limit ? 'met' : 'NOT met'}`);
  }
  const od = ours.slow.day.sentBytes + ours.slow.day.receivedBytes;
  const jd = theirs.slow.day.sentBytes + theirs.slow.day.receivedBytes;
  floors.push(`day's work floor: ours ${bytes(od)} vs JS ${bytes(jd)} both ways: ${od <= jd ? 'met' : 'NOT met'}`);
  // The day's new content as its records would be written down plainly (id, author, date, text),
  // deflated: what "≤ 2× the compressed new content" is measured against.
  const today = new Date().toISOString().slice(0, 10);
  const day = Array.from({ length: 10 }, (_, i) => ({ id: newId(), author: theirs.slow.teacherId, date: today, text: dayText(1, i) }));
  const content = deflateRawSync(Buffer.from(JSON.stringify(day))).length;
  floors.push(`day's work ≤ 2× its compressed content: ours ${bytes(od)} both ways vs ≤ ${bytes(2 * content)} (the 10 records as JSON, deflated: ${bytes(content)}): ${od <= 2 * content ? 'met' : 'NOT met'}`);

  console.log(`\nW-class: ${CLASS_SIZE} children; documents held after the first sync: ours ${held.ours}, JS ${held.js} (phone A ${results.phoneA.documentsHeld})`);
  table.print(floors);
  console.log(`\nRAW ${JSON.stringify({ results, ours: { plain: { ...ours.plain, link: undefined, phone: undefined }, slow: { ...ours.slow, link: undefined, phone: undefined } }, js: { plain: { ...theirs.plain, link: undefined, phone: undefined }, slow: { ...theirs.slow, link: undefined, phone: undefined } } })}`);
  log('done');
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  for (const p of opened) await p.close().catch(() => {});
  await server.kill();
  server.cleanup();
  process.exit(process.exitCode ?? 0);
}
