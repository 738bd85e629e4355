// A phone whose stored copy of a child no longer opens (one changed byte breaks its seal) asks
// the school's server for the child again: what arrives is not merged over the damaged copy, the
// teacher is told in Chinese until she taps 重试, the child's screen says the archive is damaged,
// and the school's other children keep arriving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, addChild, waitShown } from './support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced } from './sync-support.mjs';

const server = schoolServer();
const ctx = {};

before(async () => {
  await server.start();
  ctx.made = makeSchool(server, '青山小学', [{ name: '陈校长', role: 'lead' }, { name: '刘主任', role: 'lead' }]);
  ctx.a = await startBrowser();
  ctx.b = await startBrowser();
});

after(async () => {
  await ctx.a?.close();
  await ctx.b?.close();
  await server.kill();
  server.cleanup();
});

/** The stored chunks of one document, as arrays of bytes, in key order. */
function chunksOf(page, id) {
  return page.evaluate((id) => new Promise((resolve, reject) => {
    const open = indexedDB.open('shouwang');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const range = IDBKeyRange.bound([id], [id, []]);
      const request = open.result.transaction('chunks').objectStore('chunks').getAll(range);
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        open.result.close();
        resolve(request.result.map((value) => [...new Uint8Array(value)]));
      };
    };
  }), id);
}

/** Changes one byte in the middle of every stored chunk of the document; returns how many. */
function damage(page, id) {
  return page.evaluate((id) => new Promise((resolve, reject) => {
    const open = indexedDB.open('shouwang');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('chunks', 'readwrite');
      let changed = 0;
      const cursor = tx.objectStore('chunks').openCursor(IDBKeyRange.bound([id], [id, []]));
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at) return;
        const bytes = new Uint8Array(at.value);
        bytes[bytes.length >> 1] ^= 0xff;
        at.update(bytes);
        changed += 1;
        at.continue();
      };
      tx.oncomplete = () => {
        open.result.close();
        resolve(changed);
      };
      tx.onerror = () => reject(tx.error);
    };
  }), id);
}

test('a damaged copy on the phone is not written over by the server\'s, the teacher is told, and the other children still arrive', async () => {
  const origin = server.origin;
  const { a, b } = ctx;
  await enrol(a.page, origin, ctx.made.teachers[0].code, '陈校长的手机');
  await a.page.goto(origin);
  await addChild(a.page, { name: '张小兰', gender: '女', birth: '2016-04-02', grade: '二年级', class: '1', village: '青山村' });
  await a.page.goto(origin);
  await a.page.getByRole('link', { name: /张小兰/ }).click();
  await a.page.waitForURL(/\/child\//);
  const child = new URL(a.page.url()).pathname.split('/')[2];
  await a.page.goto(origin);
  await waitSynced(a.page);

  await enrol(b.page, origin, ctx.made.teachers[1].code, '刘主任的手机');
  await b.page.goto(origin);
  await b.page.getByRole('link', { name: /张小兰/ }).waitFor({ timeout: 30_000 });
  await waitSynced(b.page);

  assert.ok(await damage(b.page, child) >= 1, 'the child has stored chunks on phone B');
  const damaged = await chunksOf(b.page, child);

  // Opened again, phone B cannot open its copy and asks the server for the child; what comes
  // back must not be merged over, nor stored in place of, the copy it holds.
  await b.page.goto(origin);
  const failure = b.page.locator('#sync-failure');
  await failure.waitFor({ timeout: 30_000 });
  assert.match(await failure.innerText(), /学校服务器上的更新未能保存到本机：本机上张小兰的档案已损坏（.+），未与学校服务器上的版本合并，本机的副本原样保留/);
  await b.page.goto(`${origin}/child/${child}`);
  await waitShown(b.page, b.page.getByRole('heading', { name: '这份档案已损坏，无法打开' }));
  assert.deepEqual(await chunksOf(b.page, child), damaged, 'the damaged copy is kept as it was');

  // The failure stays shown while the sync goes on: another child arrives meanwhile.
  await a.page.goto(origin);
  await addChild(a.page, { name: '李小山', gender: '男', birth: '2015-09-12', grade: '三年级', class: '2', village: '青山村' });
  await a.page.goto(origin);
  await waitSynced(a.page);
  await b.page.goto(origin);
  await b.page.getByRole('link', { name: /李小山/ }).waitFor({ timeout: 30_000 });
  await failure.waitFor();
  assert.deepEqual(await chunksOf(b.page, child), damaged, 'still kept as it was');

  // 重试 clears it; the teacher decides what to do with the damaged archive on its screen.
  await failure.getByRole('button', { name: '重试' }).click();
  await failure.waitFor({ state: 'detached' });
});
