// A teacher's first day with 守望, in a real headless Chromium against the release build served
// by our server: add a child, fix bad input, edit, reload, then lose the network and open again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { session, waitForServiceWorker, fillChild, addChild, gateOf, unlock } from './support.mjs';

const ctx = session();

test('an empty roster invites the teacher to add a child', async () => {
  const { page } = ctx.browser;
  await page.goto(ctx.server.origin);
  await page.getByText('还没有儿童档案').waitFor();
  assert.equal(await page.title(), '守望');

  // What this first open downloaded: the wasm comes as the build's brotli copy (about 31% of
  // its size; on-the-fly gzip would be 43%), the village link's longest wait.
  const loaded = await page.evaluate(() => [...performance.getEntriesByType('navigation'),
    ...performance.getEntriesByType('resource')].map((e) => ({
    name: e.name.split('/').pop(), sent: e.encodedBodySize, size: e.decodedBodySize,
  })));
  const wasm = loaded.find((e) => e.name.endsWith('_bg.wasm'));
  assert.ok(wasm && wasm.sent < wasm.size * 0.36, `the wasm is sent brotli-compressed: ${JSON.stringify(wasm)}`);
  // Behind the PIN the roster comes with the records' part (src/unlocked.rs) and the code it
  // shares with other parts; the other screens' parts (src/lazy.rs) wait until opened.
  const parts = loaded.filter((e) => e.name.startsWith('split_')).map((e) => e.name.replace(/-[0-9a-f]+\.wasm$/, ''));
  assert.deepEqual(parts, ['split_unlocked'], 'no screen part is downloaded for the roster');
  const sent = loaded.reduce((sum, e) => sum + e.sent, 0);
  console.log(`PERF ${JSON.stringify({ firstScreenBytesSent: sent, wasmBytes: wasm.size, wasmBytesSent: wasm.sent })}`);
});

test('bad input is explained beside each field and nothing is saved', async () => {
  const { page } = ctx.browser;
  await page.getByRole('link', { name: '＋ 添加儿童' }).click();
  await page.getByRole('button', { name: '保存' }).click();
  for (const message of ['请填写姓名', '请选择性别', '请填写出生日期', '请选择年级', '请填写班级']) {
    await page.getByText(message, { exact: true }).waitFor();
  }
  await fillChild(page, { name: '   ', gender: '男', birth: '2030-01-01', grade: '三年级', class: '二', village: '李家村三组' });
  await page.locator('form').getByLabel('学籍号').fill('abc!!');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('请填写姓名', { exact: true }).waitFor();
  await page.getByText('出生日期不能晚于今天').waitFor();
  await page.getByText('班级请填写数字，例如 2').waitFor();
  await page.getByText('学籍号只能由字母和数字组成，例如 G430521201403050011').waitFor();
  assert.equal(await page.getByLabel('姓名').getAttribute('aria-invalid'), 'true');
  // The first message is brought into view with its field focused, above the save bar.
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
  assert.equal(await page.evaluate(() => document.activeElement.labels?.[0]?.textContent), '姓名');
  await page.locator('form').getByLabel('学籍号').fill('');
  // What was typed is kept, so the teacher only corrects the wrong parts.
  assert.equal(await page.getByLabel('班级').inputValue(), '二');
  assert.equal(await page.getByLabel('村/组').inputValue(), '李家村三组');

  await fillChild(page, { birth: '1999-12-31' });
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('出生日期不能早于 2000年1月1日').waitFor();

  await page.getByRole('link', { name: '返回名册' }).click();
  await page.getByText('还没有儿童档案').waitFor();
});

test('a draft survives a reload in the middle of typing', async () => {
  const { page } = ctx.browser;
  await page.goto(`${ctx.server.origin}/child/new`);
  await fillChild(page, { name: '张小明', class: '2' });
  await page.waitForTimeout(300);
  await page.reload();
  await page.getByText('已恢复上次未保存的内容。').waitFor();
  assert.equal(await page.getByLabel('姓名').inputValue(), '张小明');
  assert.equal(await page.getByLabel('班级').inputValue(), '2');
  // A child begun and given up: 放弃草稿 empties the form, and the next new child starts blank
  // (nothing of the first, such as a 学籍号, slips into her).
  await page.locator('form').getByLabel('学籍号').fill('G123');
  await page.getByRole('button', { name: '放弃草稿，重新填写' }).click();
  assert.equal(await page.getByLabel('姓名').inputValue(), '');
  assert.equal(await page.getByLabel('学籍号').inputValue(), '');
  await page.waitForTimeout(300);
  await page.goto(ctx.server.origin);
  await page.goto(`${ctx.server.origin}/child/new`);
  await page.getByLabel('姓名').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.getByText('已恢复上次未保存的内容。').count(), 0);
  assert.equal(await page.getByLabel('学籍号').inputValue(), '');
  await page.goto(ctx.server.origin);
});

test('a child is added, listed, edited, and still there after a reload', async () => {
  const { page } = ctx.browser;
  await addChild(page, { name: '张小明', gender: '男', birth: '2014-03-05', grade: '三年级', class: '2', village: '李家村三组' });
  await page.getByRole('link', { name: /张小明/ }).waitFor();
  await page.getByText('三年级2班（1 人）').waitFor();
  const timings = await page.evaluate(() => performance.getEntriesByName('shouwang:save').map((e) => e.duration));
  assert.equal(timings.length, 1, 'the save was measured once, after IndexedDB committed');

  await page.reload();
  await page.getByRole('link', { name: /张小明/ }).click();
  await page.getByRole('heading', { name: '张小明' }).waitFor();
  // What a teacher sees on opening a child: the summary and the one-tap ways to record care.
  await page.getByRole('link', { name: '＋ 记录家访' }).waitFor();
  if (process.env.SCREENSHOTS) {
    await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'child-first-screen.png') });
  }
  await fillChild(page, { village: '王家村一组' });
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存', { exact: true }).waitFor();

  await page.reload();
  await page.getByRole('heading', { name: '张小明' }).waitFor();
  assert.equal(await page.getByLabel('村/组').inputValue(), '王家村一组');
  assert.equal(await page.getByLabel('出生日期').inputValue(), '2014-03-05');
  assert.ok(await page.getByLabel('男').isChecked());

  // The same child added again is said at 姓名 before a second archive is made.
  await page.goto(`${ctx.server.origin}/child/new`);
  await fillChild(page, { name: '张小明', gender: '男', birth: '2014-03-05', grade: '三年级', class: '2班', village: '李家村三组' });
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('本校三年级2班已有张小明：同一名儿童请不要重复添加（请在名册中找到她）；确是另一名同名儿童，请再点一次“保存”。').waitFor();
  assert.equal(await page.getByLabel('姓名').getAttribute('aria-invalid'), 'true');
  await page.getByRole('link', { name: '返回名册' }).click();
  await page.getByText('三年级2班（1 人）').waitFor();
  await page.goto(`${ctx.server.origin}/child/new`);
  await page.getByRole('button', { name: '放弃草稿，重新填写' }).click();
  await page.goto(ctx.server.origin);
});

test('the app is installable: manifest, icons and a controlling service worker', async () => {
  const { page } = ctx.browser;
  await page.goto(ctx.server.origin);
  await waitForServiceWorker(page);
  const manifest = await (await fetch(`${ctx.server.origin}/manifest.webmanifest`)).json();
  assert.equal(manifest.short_name, '守望');
  assert.equal(manifest.lang, 'zh-CN');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, '/');
  assert.equal(manifest.scope, '/');
  const sizes = [];
  for (const icon of manifest.icons) {
    const bytes = Buffer.from(await (await fetch(new URL(icon.src, ctx.server.origin))).arrayBuffer());
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG', icon.src);
    const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    assert.equal(`${w}x${h}`, icon.sizes, icon.src);
    sizes.push(`${icon.sizes} ${icon.purpose}`);
  }
  assert.deepEqual(sizes.sort(), ['192x192 any', '512x512 any', '512x512 maskable']);

  // Chromium's own installability verdict, as the install prompt uses it.
  const cdp = await ctx.browser.context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
  const { errors } = await cdp.send('Page.getAppManifest');
  assert.deepEqual(errors, []);
});

test('where the service worker keeps the app, a child\'s screens are loaded while the teacher types her PIN', async () => {
  const { page } = ctx.browser;
  await page.goto(ctx.server.origin);
  await waitForServiceWorker(page);
  page.autoUnlock = false;
  try {
    await page.reload();
    assert.equal(await gateOf(page), 'locked');
    // Loaded ahead on the lock screen (src/lazy.rs, warm_child_screens): nothing of a child is
    // readable yet, but the code of a child's screens is ready when the PIN is typed.
    await page.waitForFunction(() => performance.getEntriesByType('resource')
      .some((e) => e.name.includes('/split_child_screens')), null, { timeout: 15_000 });
    await unlock(page);
  } finally {
    page.autoUnlock = true;
  }
  await page.getByRole('link', { name: /张小明/ }).waitFor();
  const childParts = () => page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => e.name.split('/').pop()).filter((name) => name.startsWith('split_child_screens')));
  const ahead = await childParts();
  assert.equal(ahead.length, 1, `the child screens' part, once: ${ahead}`);
  await page.getByRole('link', { name: /张小明/ }).click();
  await page.getByRole('heading', { name: '张小明' }).waitFor();
  assert.deepEqual(await childParts(), ahead, 'the tap on the child fetched no part again');
});

test('with the server gone, the app still opens from the service worker and lists the child', async () => {
  const { page } = ctx.browser;
  await page.goto(ctx.server.origin);
  await waitForServiceWorker(page);
  const childUrl = await page.getByRole('link', { name: /张小明/ }).getAttribute('href');
  await ctx.server.stop();
  await page.reload();
  await page.getByRole('link', { name: /张小明/ }).waitFor();
  // A deep link opens too, and the record can still be edited and saved offline.
  await page.goto(`${ctx.server.origin}${childUrl}`);
  await page.getByRole('heading', { name: '张小明' }).waitFor();
  await fillChild(page, { village: '王家村二组' });
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存', { exact: true }).waitFor();

  await ctx.browser.context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: '张小明' }).waitFor();
  assert.equal(await page.getByLabel('村/组').inputValue(), '王家村二组');
  // Screens not opened before on this phone open offline too: the service worker kept their parts.
  await page.goto(`${ctx.server.origin}/week`);
  await page.getByRole('heading', { name: '我的一周' }).waitFor();
  await page.goto(`${ctx.server.origin}/settings`);
  await page.getByRole('heading', { name: '设置', exact: true }).waitFor();
  await ctx.browser.context.setOffline(false);
  assert.deepEqual(ctx.browser.errors, [], 'no uncaught errors in the page');
});
