// bench/compare's W-school scenario (`node run.mjs school`, `BENCH_SCALE=school`, `npm run
// bench:school`): a school of 600 children, which a care lead's phone holds whole. Phone A (a lead)
// imports the 600 by CSV through the app's import screen (as tests/e2e/perf600.test.mjs does: the
// fastest honest way to make 600 children in our app) and syncs them; then, over the loopback
// relay, the first sync onto a second lead's fresh phone (bytes, time, frames, its longest
// main-thread task) and its reconnect with nothing new, beside the stock JS automerge-repo client
// enrolled as another lead device and asked for the 600 archives; last, on both phones, the cold
// start to a usable list of the 600 (a new load of the page, plain and with the CPU slowed 4×);
// between them, typing into a third lead phone's search while its first sync runs. With
// SHOUWANG_NO_RECONNECT_SUMMARIES=true in the environment the server (spawned by schoolServer,
// which passes the environment on) answers no reconnect summary: the "before" of the same build.
// BENCH_PROFILE=<file>: our lead phone's first sync is also recorded by Chromium's sampling
// profiler into <file> (a .cpuprofile for DevTools; `node profile.mjs <file>` prints where the
// long tasks went). Build the app with names kept for it to say much: build-named.sh.
// BENCH_PROFILE_TYPING=<file>: the same for the typing phone, from its first key to its sync's end.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startBrowser, schoolCsv } from '../../tests/e2e/support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced, storedDocs } from '../../tests/e2e/sync-support.mjs';
import { relay } from './relay.mjs';
import { jsClientServer } from './js-server.mjs';
import {
  until, watchWire, exchange, openPhone, sideBySide, bytes, ms, count, ratio, watchStart, listColdStarts, coldStartRows,
  watchLongTasks,
} from './measure.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCHOOL = Number(process.env.BENCH_SCHOOL_SIZE ?? 600);
const PROFILE = process.env.BENCH_PROFILE;
const PROFILE_TYPING = process.env.BENCH_PROFILE_TYPING;
const TRACE = process.env.BENCH_TRACE;
// BENCH_TYPING_CPU=4: the typing phone's CPU slowed so many times (as a cheap phone's).
const TYPING_CPU = Number(process.env.BENCH_TYPING_CPU ?? 1);
// BENCH_SYNC_CPU=4: the lead phone B's CPU slowed so many times during its first sync (its long
// tasks, and the profile's, as on a cheap phone).
const SYNC_CPU = Number(process.env.BENCH_SYNC_CPU ?? 1);
const SUMMARIES_OFF = /^(1|true|yes|on)$/i.test(process.env.SHOUWANG_NO_RECONNECT_SUMMARIES ?? '');
// A school's first sync is a few minutes of work on this machine, not seconds.
const LONG = 20 * 60_000;
// Each cold start is timed this many times; the table gives the median.
const RUNS = 3;

/** The page's long tasks starting at or after `from` (its clock): their count and the longest. */
async function longTasksSince(page, from = 0) {
  return page.evaluate((t0) => {
    if (!window.longTasksObserved) return null;
    const d = window.longTasks.filter(([start]) => start >= t0).map(([, duration]) => duration);
    return { count: d.length, maxMs: Math.round(Math.max(0, ...d)), totalMs: Math.round(d.reduce((n, x) => n + x, 0)) };
  }, from);
}

/**
 * The children's ids from the roster's links. A school's roster is windowed (only the rows near
 * the screen are drawn), so it is scrolled top to bottom, half a screen at a time with a few
 * frames for the new rows, gathering the links; again if a pass missed any.
 */
async function rosterIds(page, expected) {
  for (let pass = 0; pass < 4; pass += 1) {
    const ids = await page.evaluate(async (step) => {
      const seen = new Set();
      const take = () => document.querySelectorAll('a.child-row').forEach((l) => seen.add(new URL(l.href).pathname.split('/')[2]));
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      window.scrollTo(0, 0);
      let bottomFrames = 0;
      while (bottomFrames < 10) {
        for (let i = 0; i < 4; i += 1) await frame();
        take();
        if (window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2) bottomFrames += 1;
        else window.scrollBy(0, Math.round(window.innerHeight * step));
      }
      window.scrollTo(0, 0);
      return [...seen];
    }, 0.5 / (pass + 1));
    if (ids.length === expected) return ids;
    console.error(`roster pass ${pass + 1}: ${ids.length} of ${expected} links`);
  }
  throw new Error(`the roster's links did not give ${expected} children`);
}

// The server's own daily quota of new documents per device (3,000, room for 750 children) holds
// phone A's 600: it once turned the import away when the same children were registered twice at
// once (fixed in the server, 62bd7a0), so the benchmark keeps the default to show it stays fixed.
const server = schoolServer();
const opened = [];
const results = { children: SCHOOL, reconnectSummaries: !SUMMARIES_OFF, quotaDocumentsPerDay: Number(process.env.SHOUWANG_QUOTA_DOCUMENTS_PER_DAY ?? 3000) };
const started = Date.now();
const log = (...args) => console.error(`[${((Date.now() - started) / 1000).toFixed(0)} s]`, ...args);
const csvDir = mkdtempSync(path.join(tmpdir(), 'shouwang-bench-school-'));

// Stopped from outside (kill <pid>): the browsers, the server and the temporary files go too.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    for (const p of opened) await p.close().catch(() => {});
    await server.kill();
    server.cleanup();
    rmSync(csvDir, { recursive: true, force: true });
    process.exit(130);
  });
}

const phone = (options) => openPhone(opened, (context) => Promise.all([watchLongTasks(context), watchStart(context)]), options);

try {
  await server.start();
  const serverPort = Number(new URL(server.origin).port);
  const made = makeSchool(server, '对比中心小学', ['A', 'B', 'J', 'C'].map((n) => ({ name: `${n}老师`, role: 'lead' })));
  const code = Object.fromEntries(['A', 'B', 'J', 'C'].map((n, i) => [n, made.teachers[i].code]));
  const js = await jsClientServer(path.join(here, 'dist'), serverPort);
  const ours = { link: await relay(serverPort) };
  const theirs = { link: await relay(js.port) };
  ours.phone = await phone();
  theirs.phone = await phone({ js: true });
  // Both open their app first (our PIN set, the JS page's wasm up), outside every figure.
  await ours.phone.page.goto(ours.link.origin);
  await ours.phone.page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 60_000 });
  await theirs.phone.page.goto(theirs.link.origin);
  await theirs.phone.page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 60_000 });

  // 1. Phone A, a lead, imports the school by CSV through the import screen, then syncs it.
  log(`phone A imports ${SCHOOL} children`);
  const a = await startBrowser();
  opened.push(a);
  const aWire = await watchWire(a);
  await enrol(a.page, server.origin, code.A, 'A 的手机');
  const file = path.join(csvDir, 'school.csv');
  writeFileSync(file, schoolCsv(SCHOOL));
  await a.page.goto(`${server.origin}/import`);
  await a.page.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').setInputFiles(file);
  await a.page.getByText(`将新增 ${SCHOOL} 名，更新 0 名；0 行有误，不导入。`).waitFor({ timeout: 120_000 });
  aWire.reset();
  const importStart = Date.now();
  await a.page.getByRole('button', { name: `导入 ${SCHOOL} 名` }).click();
  await a.page.getByText(`已导入：新增 ${SCHOOL} 名，更新 0 名。`).waitFor({ timeout: LONG });
  const importedAt = Date.now();
  log(`imported in ${importedAt - importStart} ms; phone A syncs`);
  await a.page.goto(server.origin);
  await a.page.getByText(`共 ${SCHOOL} 名儿童`).waitFor({ timeout: 120_000 });
  await waitSynced(a.page, 10 * 60_000);
  const aSyncedAt = Date.now();
  const aSum = (sent) => aWire.frames.filter((f) => f.sent === sent).reduce((n, f) => n + f.bytes, 0);
  const children = await rosterIds(a.page, SCHOOL);
  const onA = new Set(await storedDocs(a.page));
  const missing = children.filter((id) => !onA.has(id));
  if (missing.length) throw new Error(`archives listed but not on phone A: ${missing.slice(0, 3).join(', ')}`);
  results.phoneA = {
    importMs: importedAt - importStart,
    importToSyncedMs: aSyncedAt - importStart,
    syncAfterImportMs: aSyncedAt - importedAt,
    sentBytes: aSum(true),
    receivedBytes: aSum(false),
    documentsHeld: onA.size,
  };
  log(`phone A synced ${aSyncedAt - importedAt} ms after the import (${onA.size} documents)`);
  await a.close();
  opened.splice(opened.indexOf(a), 1);

  // 2. First sync of the school onto our lead phone B, enrolled from its settings screen and back
  //    to its roster (as run.mjs). Its long tasks: every one from the settings page's load on
  //    (the app starting included), and those after the enrolment answer (the sync's own work;
  //    the sync may start a little earlier).
  {
    log('first sync, ours');
    const { page, wire } = ours.phone;
    let mark = null;
    let enrolledAt = 0;
    let profiledFrom = null;
    if (SYNC_CPU > 1) await wire.cdp.send('Emulation.setCPUThrottlingRate', { rate: SYNC_CPU });
    if (TRACE) await startTrace(wire.cdp);
    if (PROFILE) {
      await wire.cdp.send('Profiler.enable');
      await wire.cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await wire.cdp.send('Profiler.start');
      // The wall clock at the profile's start, so profile.mjs finds the long tasks in it (the
      // page loads anew meanwhile, and its clock with it).
      profiledFrom = await page.evaluate(() => performance.timeOrigin + performance.now());
    }
    ours.firstSync = await exchange(wire, () => enrol(page, ours.link.origin, code.B, 'B 的手机'), async () => {
      enrolledAt = Date.now();
      mark = await page.evaluate(() => ({ origin: performance.timeOrigin, at: performance.now() }));
      await page.getByRole('link', { name: '返回名册' }).click();
      await page.getByText(`共 ${SCHOOL} 名儿童`).waitFor({ timeout: LONG });
      await waitSynced(page, LONG);
      // The socket's figure ends at its last frame; the phone applies what came for a while after.
      ours.enrolledToSyncedMs = Date.now() - enrolledAt;
    });
    if (SYNC_CPU > 1) await wire.cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    if (TRACE) {
      writeFileSync(TRACE, JSON.stringify(await stopTrace(wire.cdp)));
      log(`trace written to ${TRACE}`);
    }
    const origin = await page.evaluate(() => performance.timeOrigin);
    if (PROFILE) {
      const { profile } = await wire.cdp.send('Profiler.stop');
      profile.page = { profiledFrom: profiledFrom - origin, longTasks: await page.evaluate(() => window.longTasks) };
      writeFileSync(PROFILE, JSON.stringify(profile));
      log(`profile written to ${PROFILE}`);
    }
    // 返回名册 stays in the app (no new document); if it ever loaded one, its tasks all count.
    ours.longTasks = await longTasksSince(page, 0);
    ours.longTasksAfterEnrolled = await longTasksSince(page, origin === mark.origin ? mark.at : 0);
    ours.documentsHeld = (await storedDocs(page)).length;
    log(`ours: ${ours.firstSync.ms} ms, ${ours.documentsHeld} documents`);
  }

  // 2b. Typing while a school syncs: lead C's fresh phone (loopback, no relay) enrols; once its
  //     roster shows the search box, a thumb types a query a key every 120 ms, clears it and
  //     types again, until the phone says it is in sync. Each key's time from the key press to
  //     the frame that shows it is the browser's own Event Timing (keydown entries; the browser
  //     reports only those of 16 ms or more, rounded to 8 ms).
  {
    log('typing during a first sync, ours');
    const c = await startBrowser();
    opened.push(c);
    await watchLongTasks(c.context);
    const { page } = c;
    await page.goto(server.origin);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 60_000 });
    await enrol(page, server.origin, code.C, 'C 的手机');
    const cdp = await page.context().newCDPSession(page);
    if (TYPING_CPU > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: TYPING_CPU });
    await page.getByRole('link', { name: '返回名册' }).click();
    await page.locator('#search').waitFor({ timeout: LONG });
    await page.evaluate(() => {
      window.keyTimings = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === 'keydown') window.keyTimings.push(e.duration);
      }).observe({ type: 'event', durationThreshold: 16 });
    });
    const synced = page.locator('#sync-status[data-phase="idle"][data-pending="0"]');
    const search = page.locator('#search');
    let typed = 0;
    const startedTyping = Date.now();
    const typingFrom = await page.evaluate(() => performance.now());
    if (PROFILE_TYPING) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await cdp.send('Profiler.start');
    }
    while (!(await synced.count()) && Date.now() - startedTyping < LONG) {
      await search.pressSequentially('zhangxm', { delay: 120 });
      typed += 7;
      await search.fill('');
    }
    const slow = await page.evaluate(() => window.keyTimings);
    if (PROFILE_TYPING) {
      const { profile } = await cdp.send('Profiler.stop');
      profile.page = { profiledFrom: typingFrom, longTasks: await page.evaluate(() => window.longTasks) };
      writeFileSync(PROFILE_TYPING, JSON.stringify(profile));
      log(`typing profile written to ${PROFILE_TYPING}`);
    }
    results.typingDuringSync = {
      cpuSlowdown: TYPING_CPU,
      keys: typed,
      typingMs: Date.now() - startedTyping,
      over16: slow.length,
      over50: slow.filter((d) => d > 50).length,
      longestMs: slow.length ? Math.max(...slow) : null,
      // The page's own long tasks while it typed and synced (CPU slowed as above).
      longTasks: await longTasksSince(page, typingFrom),
    };
    log(`typing during C's first sync: ${JSON.stringify(results.typingDuringSync)}`);
    await c.close();
    opened.splice(opened.indexOf(c), 1);
  }

  // 3. The JS client, enrolled as another lead device, asks for the 600 archives: the ids it can
  //    know exist (a child's records, talks and plans ids exist only once written, and nothing
  //    on the wire tells it which have been).
  {
    log('first sync, JS');
    const { page, wire } = theirs.phone;
    const answer = await fetch(`${server.origin}/api/enrol`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code.J, deviceName: 'J 的 JS 客户端' }),
    });
    if (!answer.ok) throw new Error(`enrol: ${answer.status} ${await answer.text()}`);
    const enrolment = await answer.json();
    let startedAt = 0;
    theirs.firstSync = await exchange(wire, async () => {
      startedAt = Date.now();
      await page.evaluate(() => { window.longTasks.length = 0; });
      await page.evaluate((args) => window.bench.start(args), { peerId: enrolment.peerId, token: enrolment.token });
      const found = await page.evaluate((list) => window.bench.findAll(list), children);
      if (found.found !== children.length) throw new Error(`the JS client found ${found.found} of ${children.length}: ${found.missing.slice(0, 3).join('; ')}`);
    }, async () => {
      await until(() => page.evaluate(() => window.bench.inSync()), 'the JS client in sync', LONG);
      theirs.enrolledToSyncedMs = Date.now() - startedAt;
    });
    theirs.longTasks = await longTasksSince(page, 0);
    theirs.documentsHeld = children.length;
    log(`JS: ${theirs.firstSync.ms} ms`);
  }

  // 4. A reconnect with nothing new: the link drops every connection and takes new ones at once.
  log('reconnect, ours');
  ours.reconnect = await exchange(ours.phone.wire, () => ours.link.drop(), async () => {
    await until(() => ours.phone.wire.handshakes.length > 0, 'a new socket');
    await waitSynced(ours.phone.page, LONG);
  });
  log('reconnect, JS');
  theirs.reconnect = await exchange(theirs.phone.wire, () => theirs.link.drop(), async () => {
    await until(() => theirs.phone.wire.handshakes.length > 0, 'a new socket');
    await until(() => theirs.phone.page.evaluate(() => window.bench.inSync()), 'the JS client in sync', LONG);
  });

  // 5. The cold start of both phones, which now hold the school: a new navigation of the same page
  //    (same browser context, IndexedDB kept) until the list is usable: our roster saying
  //    共 600 名儿童 with its first row (after the PIN: measure.mjs's openOurs), the JS client's
  //    names of every child it holds read from its storage.
  const cold = await listColdStarts(ours, theirs, SCHOOL, RUNS, log);
  results.coldStarts = cold;

  // The table, as run.mjs prints the class's.
  const table = sideBySide();
  const { row } = table;
  for (const [key, what] of [['firstSync', 'first sync of the school'], ['reconnect', 'reconnect, nothing new']]) {
    const o = ours[key];
    const j = theirs[key];
    row(`${what}, loopback: sent`, o.sentBytes, j.sentBytes, bytes);
    row(`${what}, loopback: received`, o.receivedBytes, j.receivedBytes, bytes);
    row(`${what}, loopback: time`, o.ms, j.ms, ms);
    // The ratio is of all frames, both ways.
    table.cells(`${what}, loopback: frames sent / received`, ratio(o.framesSent + o.framesReceived, j.framesSent + j.framesReceived),
      `${o.framesSent} / ${o.framesReceived}`, `${j.framesSent} / ${j.framesReceived}`);
  }
  const slowed = SYNC_CPU > 1 ? `, ours at CPU ×${SYNC_CPU}, JS not slowed` : '';
  row(`first sync: from the enrolment answer until the phone says synced (wall clock)${slowed}`, ours.enrolledToSyncedMs, theirs.enrolledToSyncedMs, ms);
  row(`first sync: longest main-thread task (ours from the settings page load, app start included)${slowed}`, ours.longTasks?.maxMs, theirs.longTasks?.maxMs, ms);
  row(`first sync: long tasks (≥ 50 ms), count${slowed}`, ours.longTasks?.count, theirs.longTasks?.count, count);
  row(`first sync after the enrolment answer: longest main-thread task${slowed}`, ours.longTasksAfterEnrolled?.maxMs, null, ms);
  row(`first sync after the enrolment answer: long tasks (≥ 50 ms), count${slowed}`, ours.longTasksAfterEnrolled?.count, null, count);
  coldStartRows(table, SCHOOL, RUNS, cold);
  const r = ours.reconnect;
  const both = r.sentBytes + r.receivedBytes;
  const limit = 2048 + 16 * ours.documentsHeld;
  // A lead's phone follows four ids a child (archive, records, talks, plans), most of which do not
  // exist until written, besides the school's own documents: every one is in the summary.
  const followed = 4 * SCHOOL + (ours.documentsHeld - SCHOOL);
  const limitFollowed = 2048 + 16 * followed;
  const jr = theirs.reconnect.sentBytes + theirs.reconnect.receivedBytes;
  const floors = [
    `reconnect floor: ours ${bytes(both)} both ways vs ≤ ${bytes(limit)} (2 KB + 16 B × ${ours.documentsHeld} documents held): ${both <= limit ? 'met' : 'NOT met'}`,
    `reconnect floor counting every id the lead's phone follows: ours ${bytes(both)} vs ≤ ${bytes(limitFollowed)} (2 KB + 16 B × ${followed}: 4 a child + ${ours.documentsHeld - SCHOOL} school documents): ${both <= limitFollowed ? 'met' : 'NOT met'}`,
    `reconnect, JS client: ${bytes(jr)} both ways for its ${theirs.documentsHeld} documents (its own 2 KB + 16 B × held would be ${bytes(2048 + 16 * theirs.documentsHeld)})`,
  ];
  const t = results.typingDuringSync;
  floors.push(`typing during another lead phone's first sync (loopback${t.cpuSlowdown > 1 ? `, CPU ×${t.cpuSlowdown}` : ''}): ${t.keys} keys over ${ms(t.typingMs)}; keydown → its frame (Event Timing entries) over 16 ms: ${t.over16}, over 50 ms: ${t.over50}${t.longestMs === null ? '' : `, longest ${ms(t.longestMs)}`}${t.longTasks ? `; the page's long tasks (≥ 50 ms) meanwhile: ${t.longTasks.count}, longest ${ms(t.longTasks.maxMs)}` : ''}`);
  const pa = results.phoneA;
  console.log(`\nW-school: ${SCHOOL} children; documents held after the first sync: ours ${ours.documentsHeld}, JS ${theirs.documentsHeld} (phone A ${pa.documentsHeld}); reconnect summaries ${SUMMARIES_OFF ? 'OFF (SHOUWANG_NO_RECONNECT_SUMMARIES=true)' : 'on'}`);
  console.log(`Phone A: import ${ms(pa.importMs)}, then synced ${ms(pa.syncAfterImportMs)} later (${ms(pa.importToSyncedMs)} from the tap on 导入; sent ${bytes(pa.sentBytes)}, received ${bytes(pa.receivedBytes)})`);
  table.print(floors);
  const plain = (side) => ({ ...side, link: undefined, phone: undefined });
  console.log(`\nRAW ${JSON.stringify({ scale: 'school', results, ours: plain(ours), js: plain(theirs) })}`);
  log('done');
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  for (const p of opened) await p.close().catch(() => {});
  await server.kill();
  server.cleanup();
  rmSync(csvDir, { recursive: true, force: true });
  process.exit(process.exitCode ?? 0);
}

/** Starts Chromium's own trace of what the page's main thread did (tasks, layout, style, garbage
 * collection, script), for `trace.mjs`. */
async function startTrace(cdp) {
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'] },
    transferMode: 'ReportEvents',
  });
}

async function stopTrace(cdp) {
  const events = [];
  const collect = (e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', collect);
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', collect);
  return { traceEvents: events };
}
