// A new version reaches a phone that is in the middle of typing: the app offers 有新版本，点击更新,
// and taking the update loses nothing that was typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, startBrowser, waitForServiceWorker, fillChild, dist } from './support.mjs';

let server;
let browser;
let site;

before(async () => {
  // A copy of the build, so the test can publish a "new version" without touching dist/.
  site = mkdtempSync(path.join(tmpdir(), 'shouwang-site-'));
  cpSync(dist, site, { recursive: true });
  server = await startServer({ distDir: site });
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
  rmSync(site, { recursive: true, force: true });
});

test('taking an update while typing keeps what was typed', async () => {
  const { page } = browser;
  await page.goto(`${server.origin}/child/new`);
  await waitForServiceWorker(page);
  await fillChild(page, { name: '王小军', village: '赵家村四组' });

  // The phone has used the files worker (a teacher's phone keeps it only from then on): one of
  // its files, fetched through the service worker, is kept.
  const swPath = path.join(site, 'sw.js');
  const later = JSON.parse(/const LATER = (\[[^\]]*\]);/.exec(readFileSync(swPath, 'utf8'))[1]);
  const worker = later.filter((url) => url.startsWith('/shouwang-files-'));
  assert.equal(worker.length, 3, `the files worker's three files: ${later}`);
  assert.equal(later.filter((url) => url.startsWith('/split_county_screen-')).length, 1, `and the county's screen: ${later}`);
  await page.evaluate((url) => fetch(url).then((r) => r.arrayBuffer()), worker[0]);
  const kept = () => page.evaluate(async (urls) => {
    const names = await caches.keys();
    const cache = await caches.open(names[names.length - 1]);
    const paths = (await cache.keys()).map((r) => new URL(r.url).pathname);
    return urls.filter((u) => paths.includes(u));
  }, later);
  for (let tries = 0; (await kept()).length < 1; tries++) {
    assert.ok(tries < 100, 'the files worker\'s file used is kept');
    await page.waitForTimeout(100);
  }

  const sw = readFileSync(swPath, 'utf8');
  const version = /const VERSION = '([0-9a-f]+)'/.exec(sw)[1];
  writeFileSync(swPath, sw.replace(version, `${version}-next`));
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));

  const banner = page.getByRole('button', { name: '有新版本，点击更新' });
  await banner.waitFor();
  // The old version keeps working until the teacher chooses.
  assert.equal(await page.getByLabel('姓名').inputValue(), '王小军');
  await Promise.all([page.waitForEvent('load'), banner.click()]);

  await page.getByText('已恢复上次未保存的内容。').waitFor();
  assert.equal(await page.getByLabel('姓名').inputValue(), '王小军');
  assert.equal(await page.getByLabel('村/组').inputValue(), '赵家村四组');
  const active = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).active.scriptURL);
  assert.ok(active.endsWith('/sw.js'));
  const cacheNames = await page.evaluate(() => caches.keys());
  assert.deepEqual(cacheNames, [`shouwang-${version}-next`], 'the old version\'s cache is gone');
  // What the phone had used, the new version keeps whole: an export offline works after it too.
  // The county's screen, never opened on this phone, is not fetched for it.
  assert.deepEqual(await kept(), worker, 'the files worker is kept across the update, and only it');
});
