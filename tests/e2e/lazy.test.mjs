// The main wasm holds only the gate: the records behind the PIN (src/unlocked.rs) and every screen
// outside the roster (src/lazy.rs) are parts of the wasm downloaded when first needed. A part that
// cannot be downloaded (no network, and no service worker yet to serve it) must leave the teacher a
// clear message and a working app, and the screen must open once the network is back.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startServer, startBrowser, PIN } from './support.mjs';
import { axeViolations, layoutFaults } from './screen-checks.mjs';

/** A screen's part: a group's (split_…) or code groups share (chunk_…). */
const part = /\/(split_|chunk_)[^/]*\.wasm$/;
const server = await startServer();
// No service worker: it would serve the parts from its cache, unseen by the page's routing.
const browser = await startBrowser({ serviceWorkers: 'block' });
after(async () => {
  await browser.close();
  await server.stop();
  server.cleanup();
});

test('the page says it is opening until its code comes; the PIN is set with the main wasm alone; records that cannot be downloaded are said, and open once they can', async () => {
  const { page } = browser;
  const asked = [];
  await page.route(part, (route) => {
    asked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  // Until the app's code has come (seconds on a village link), the page says it is opening.
  const main = /\/shouwang-[0-9a-f]+_bg\.wasm$/;
  let letMainThrough;
  const mainHeld = new Promise((resolve) => { letMainThrough = resolve; });
  await page.route(main, async (route) => {
    await mainHeld;
    await route.continue();
  });
  page.autoUnlock = false;
  await page.goto(server.origin, { waitUntil: 'commit' });
  await page.getByText('正在打开…').waitFor();
  letMainThrough();
  await page.getByLabel('设置 PIN（至少 6 位数字）').fill(PIN);
  assert.equal(await page.getByText('正在打开…').count(), 0, 'the page says 正在打开… no more');
  await page.unroute(main);
  await page.getByLabel('再输入一次 PIN').fill(PIN);
  assert.ok(asked.some((url) => url.includes('split_unlocked')), `the records' part is fetched while the PIN is set: ${asked}`);
  await page.getByRole('button', { name: '设置 PIN' }).click();
  await page.getByRole('alert').filter({ hasText: '本机记录的程序还没有下载完' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(await layoutFaults(page), []);
  mkdirSync('artifacts/screens', { recursive: true });
  await page.screenshot({ path: 'artifacts/screens/records-not-downloaded.png' });

  // Once the network is back, 重新打开 reloads the page: the PIN, then the roster.
  await page.unroute(part);
  page.autoUnlock = true;
  await page.getByRole('button', { name: '重新打开' }).click();
  await page.getByText('还没有儿童档案').waitFor({ timeout: 60_000 });
  assert.deepEqual(browser.errors, [], 'no uncaught errors in the page');
});

test('a screen whose part cannot be downloaded says so, and opens once it can', async () => {
  const { page } = browser;
  await page.goto(server.origin);
  await page.getByText('还没有儿童档案').waitFor();
  // From here no part is to be had: the records' part is already in the page.
  const asked = [];
  await page.route(part, (route) => {
    asked.push(route.request().url());
    return route.abort('internetdisconnected');
  });

  await page.getByRole('link', { name: '＋ 添加儿童' }).click();
  await page.getByRole('alert').filter({ hasText: '这个页面的程序还没有下载到本机' }).waitFor();
  assert.ok(asked.some((url) => url.includes('split_child_screens')), `the child screens' part was asked for: ${asked}`);
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(await layoutFaults(page), []);
  mkdirSync('artifacts/screens', { recursive: true });
  await page.screenshot({ path: 'artifacts/screens/part-not-downloaded.png' });

  // The app goes on: back to the roster, and the same screen opens once its part can be had.
  await page.getByRole('link', { name: '返回名册' }).click();
  await page.getByText('还没有儿童档案').waitFor();
  await page.unroute(part);
  await page.getByRole('link', { name: '＋ 添加儿童' }).click();
  await page.getByLabel('姓名').waitFor();
  assert.deepEqual(browser.errors, [], 'no uncaught errors in the page');
});

test('a screen whose part is slow to come says it is opening, then opens', async () => {
  const { page } = browser;
  // A rural link: a part not yet on this page takes seconds, until the test lets it through.
  let gate = null;
  let release;
  const hold = () => { gate = new Promise((resolve) => { release = () => { gate = null; resolve(); }; }); };
  hold();
  await page.route(part, async (route) => {
    if (gate) await gate;
    await route.continue();
  });
  const notice = page.getByRole('status').filter({ hasText: '正在打开页面' });

  // Loaded at a screen's address: the page says what it is doing, the store's part included.
  await page.goto(`${server.origin}/binders`);
  await notice.waitFor();
  await page.getByText('正在读取本机记录…').waitFor();
  mkdirSync('artifacts/screens', { recursive: true });
  await page.screenshot({ path: 'artifacts/screens/part-opening.png' });
  assert.deepEqual(await axeViolations(page), []);
  release();
  await page.getByRole('heading', { name: '打印档案袋' }).waitFor();
  await notice.waitFor({ state: 'detached' });

  // From the roster, the tap is answered at once while the next screen downloads.
  await page.goto(server.origin);
  await page.getByText('还没有儿童档案').waitFor();
  hold();
  await page.getByRole('link', { name: '我的一周' }).click();
  await notice.waitFor();
  await page.screenshot({ path: 'artifacts/screens/part-opening-from-roster.png' });
  release();
  await page.getByRole('heading', { name: '我的一周' }).waitFor();
  await notice.waitFor({ state: 'detached' });
  await page.unroute(part);
  assert.deepEqual(browser.errors, [], 'no uncaught errors in the page');
});
