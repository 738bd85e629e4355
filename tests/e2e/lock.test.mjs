// A lost or shared phone gives nothing away: the PIN is set at first start (too simple ones
// refused), every record byte in IndexedDB and the token are sealed, reopening asks for the
// PIN, wrong PINs make the wait grow (a reload does not reset it), and the app locks itself
// (reloading, so nothing stays in memory) after the school's idle minutes. The screenshots of
// both lock screens at 360×640 land in $SCREENSHOTS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { session, startBrowser, addChild, unlock, gateOf, PIN } from './support.mjs';

const ctx = session();
const NAME = '欧阳守望';
const PHONE = '13912345678';
const TALK = '夜里常梦见妈妈回来接她';
const shots = process.env.SCREENSHOTS;

/** Everything the browser keeps for the app, as text: every IndexedDB store and localStorage. */
function rawDump(page) {
  return page.evaluate(async () => {
    const text = (value) => {
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
        return new TextDecoder('utf-8', { fatal: false }).decode(value);
      }
      return typeof value === 'string' ? value : JSON.stringify(value);
    };
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('shouwang');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const stores = {};
    for (const name of db.objectStoreNames) {
      stores[name] = await new Promise((resolve, reject) => {
        const store = db.transaction(name).objectStore(name);
        const keys = store.getAllKeys();
        const values = store.getAll();
        values.onsuccess = () => resolve(values.result.map((v, i) => `${text(keys.result[i])} => ${text(v)}`));
        values.onerror = () => reject(values.error);
      });
    }
    db.close();
    const local = Object.keys(localStorage).map((k) => `${k} => ${localStorage.getItem(k)}`);
    return { stores, local };
  });
}

test('a PIN is set at first start, and nothing about a child is readable without it', async () => {
  const { page } = ctx.browser;
  page.autoUnlock = false;
  await page.goto(ctx.server.origin);
  assert.equal(await gateOf(page), 'setup');
  if (shots) await page.screenshot({ path: path.join(shots, 'pin-setup.png') });
  await page.getByLabel('设置 PIN（至少 6 位数字）').fill('123456');
  await page.getByLabel('再输入一次 PIN').fill('123456');
  await page.getByRole('button', { name: '设置 PIN' }).click();
  await page.getByText('PIN 不能是连续的数字（如 123456、654321），请换一个不容易被猜到的').waitFor();
  // Letters get our own words, not the browser's.
  await page.getByLabel('设置 PIN（至少 6 位数字）').fill('abc123');
  await page.getByLabel('再输入一次 PIN').fill('abc123');
  await page.getByRole('button', { name: '设置 PIN' }).click();
  await page.getByText('PIN 只能是数字', { exact: true }).waitFor();
  await page.getByLabel('再输入一次 PIN').fill('000000');
  await page.getByLabel('设置 PIN（至少 6 位数字）').fill('000000');
  await page.getByRole('button', { name: '设置 PIN' }).click();
  await page.getByText('PIN 不能全是同一个数字，请换一个不容易被猜到的').waitFor();
  assert.equal(await gateOf(page), 'setup');
  await unlock(page);

  await addChild(page, { name: NAME, gender: '女', birth: '2015-04-09', grade: '三年级', class: '2', village: '青石村五组' });
  await page.getByRole('link', { name: new RegExp(NAME) }).click();
  await page.getByRole('link', { name: '关爱记录' }).click();
  await page.getByRole('link', { name: '＋ 成长日记' }).click();
  await page.getByLabel('记录', { exact: true }).fill(`妈妈换了新号码 ${PHONE}，周五打给她`);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存：成长日记').waitFor();
  await page.getByRole('link', { name: '＋ 谈心' }).click();
  await page.getByLabel('谈心主题').fill(TALK);
  await page.getByLabel('教师的疏导与帮助').fill('听她说完，约好周五打亲情电话');
  // A half-typed draft is in IndexedDB too: it must be sealed like the records.
  await page.waitForTimeout(300);
  const draftDump = JSON.stringify(await rawDump(page));
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存：谈心').waitFor();

  const dump = await rawDump(page);
  const all = JSON.stringify(dump) + draftDump;
  assert.ok(dump.stores.chunks.length > 0, 'the records are stored');
  for (const secret of [NAME, PHONE, TALK, '青石村']) {
    assert.ok(!all.includes(secret), `${secret} readable in storage`);
  }
});

test('reopening asks for the PIN; wrong PINs make the wait grow, and a reload does not reset it', async () => {
  const { page } = ctx.browser;
  page.autoUnlock = false;
  await page.goto(ctx.server.origin);
  assert.equal(await gateOf(page), 'locked');
  assert.equal(await page.getByText(NAME).count(), 0);
  if (shots) await page.screenshot({ path: path.join(shots, 'lock.png') });
  const pin = page.getByLabel('PIN', { exact: true });
  const button = page.getByRole('button', { name: '解锁' });
  // What cannot be a PIN is said so, in Chinese, and costs no try.
  await pin.fill('12');
  await button.click();
  await page.getByText('PIN 至少 6 位数字', { exact: true }).waitFor();
  for (const tries of [1, 2]) {
    await pin.fill('864209');
    await button.click();
    await page.getByText(`PIN 不正确（已错 ${tries} 次）`).waitFor();
  }
  await pin.fill('864209');
  await button.click();
  // One wait said, counting down; the refusal itself names no second number.
  await page.getByText('PIN 不正确（已错 3 次）', { exact: true }).waitFor();
  await page.locator('#pin-wait', { hasText: /^PIN 错误次数过多，请 [1-5] 秒后再试$/ }).waitFor();
  assert.ok(await button.isDisabled());
  await page.reload();
  assert.equal(await gateOf(page), 'locked');
  await page.locator('#pin-wait', { hasText: /请 \d 秒后再试/ }).waitFor();
  await page.locator('#pin-wait').waitFor({ state: 'hidden', timeout: 10_000 });
  await pin.fill('864209');
  await button.click();
  await page.getByText('PIN 不正确（已错 4 次）', { exact: true }).waitFor();
  await page.locator('#pin-wait', { hasText: /请 ([1-9]|10) 秒后再试/ }).waitFor();
  await page.locator('#pin-wait').waitFor({ state: 'hidden', timeout: 15_000 });

  const started = Date.now();
  await pin.fill(PIN);
  await button.click();
  await page.getByRole('link', { name: new RegExp(NAME) }).waitFor();
  const unlockMs = await page.evaluate(() => performance.getEntriesByName('shouwang:unlock')[0]?.duration);
  console.log(`PERF ${JSON.stringify({ unlockMs: Math.round(unlockMs), unlockToRosterMs: Date.now() - started })}`);
  // The right PIN clears the count: the next wrong one costs nothing again.
  await page.reload();
  await page.getByLabel('PIN', { exact: true }).fill('864209');
  await page.getByRole('button', { name: '解锁' }).click();
  await page.getByText('PIN 不正确（已错 1 次）').waitFor();
});

test('a PIN typed before the app has loaded opens the records: the page\'s own lock screen hands it over', async () => {
  // Its own phone, with the app's code held back on the way (no service worker to serve it).
  const phone = await startBrowser({ serviceWorkers: 'block' });
  try {
    const { page } = phone;
    await page.goto(ctx.server.origin);
    await addChild(page, { name: '司马早到', gender: '男', birth: '2016-03-01', grade: '三年级', class: '1', village: '早村' });
    page.autoUnlock = false;
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
    await page.goto(ctx.server.origin, { waitUntil: 'domcontentloaded' });
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    if (shots) await page.screenshot({ path: path.join(shots, 'lock-before-app.png') });
    // The app has not started: no gate yet, nothing about a child on the page.
    assert.equal(await page.evaluate(() => document.documentElement.dataset.gate ?? 'none'), 'none');
    assert.equal(await page.getByText('司马早到').count(), 0);
    await page.getByRole('button', { name: '解锁' }).click();
    await page.getByRole('button', { name: '正在解锁…' }).waitFor();
    release();
    await page.getByRole('link', { name: /司马早到/ }).waitFor();
    assert.equal(await page.locator('input.pin-input').count(), 0, 'a PIN field stayed on the page');
    // A wrong PIN typed early is refused by the app like any other.
    await page.unroute(/_bg\.wasm$/);
    await page.goto(ctx.server.origin, { waitUntil: 'domcontentloaded' });
    await page.getByLabel('PIN', { exact: true }).fill('864209');
    await page.getByRole('button', { name: '解锁' }).click();
    await page.getByText('PIN 不正确（已错 1 次）').waitFor();
    assert.equal(await page.getByLabel('PIN', { exact: true }).count(), 1);
  } finally {
    await phone.close();
  }
});

test('a backup file carries the records to another phone, merged with what is there', async () => {
  const { page } = ctx.browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'shouwang-backup-'));
  const other = await startBrowser();
  page.autoUnlock = true;
  try {
    // This lone phone is its care lead's: its teachers and who looks after whom are kept on the
    // phone alone, and must come back with the backup as the records do.
    await page.goto(`${ctx.server.origin}/settings`);
    await page.getByLabel('添加教师姓名').fill('张主任');
    await page.getByText('关爱负责人（德育主任、校长）').click();
    await page.getByRole('button', { name: '添加教师' }).click();
    await page.getByText('已选择：张主任').waitFor();
    await page.goto(`${ctx.server.origin}/pairing`);
    await page.getByLabel('儿童', { exact: true }).first().selectOption({ label: `${NAME}（三年级2班）` });
    await page.locator('#assign-teacher').selectOption({ label: '张主任' });
    await page.getByLabel('职责').selectOption({ label: '结对帮扶教师' });
    await page.getByRole('button', { name: '安排', exact: true }).click();
    await page.getByText(`已保存：张主任担任${NAME}的结对帮扶教师`).waitFor();

    await page.goto(`${ctx.server.origin}/settings`);
    await page.getByLabel('备份口令（至少 8 个字符）').fill('123');
    await page.getByRole('button', { name: '导出备份' }).click();
    await page.getByText('备份口令至少 8 个字符').waitFor();
    await page.getByLabel('备份口令（至少 8 个字符）').fill('青石村的备份口令');
    // A slip in the passphrase is caught before the file is made.
    await page.getByLabel('再输入一次备份口令（导出时）').fill('青石村的备份口');
    await page.getByRole('button', { name: '导出备份' }).click();
    await page.getByText('两次输入的备份口令不一致，请重新输入。未生成备份文件。').waitFor();
    await page.getByLabel('再输入一次备份口令（导出时）').fill('青石村的备份口令');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出备份' }).click(),
    ]);
    const file = path.join(dir, 'phone.swbak');
    await download.saveAs(file);

    const second = other.page;
    await second.goto(ctx.server.origin);
    await addChild(second, { name: '司马新来', gender: '男', birth: '2016-02-03', grade: '二年级', class: '1', village: '白水村' });
    await second.goto(`${ctx.server.origin}/settings`);
    const chooser = second.getByLabel('导入备份文件（先填上面的备份口令）');
    await second.getByLabel('备份口令（至少 8 个字符）').fill('不是这个口令啊');
    await chooser.setInputFiles(file);
    await second.getByText('备份口令不正确，或备份文件已损坏。未导入任何内容。').waitFor();
    const broken = path.join(dir, 'broken.swbak');
    writeFileSync(broken, 'SWBAK1 not really a backup');
    await chooser.setInputFiles(broken);
    await second.getByText('备份文件已损坏，未导入任何内容').waitFor();
    await second.getByLabel('备份口令（至少 8 个字符）').fill('青石村的备份口令');
    await chooser.setInputFiles(file);
    await second.getByText('已导入备份：1 名儿童的记录已与本机合并。教师名单、负责分工和学校设置也已恢复，请在上方“我是哪位老师”中选择您自己。').waitFor();
    await second.locator('#backup-message').scrollIntoViewIfNeeded();
    if (shots) await second.screenshot({ path: path.join(shots, 'backup-restored.png') });
    await second.getByRole('radio', { name: '张主任（关爱负责人）' }).check();
    await second.getByText('已选择：张主任').waitFor();
    await second.goto(`${ctx.server.origin}/pairing`);
    await second.getByRole('region', { name: '结对一览表' }).getByText('张主任').first().waitFor();
    await second.goto(ctx.server.origin);
    await second.getByRole('link', { name: /司马新来/ }).waitFor();
    await second.getByRole('link', { name: new RegExp(NAME) }).click();
    await second.getByRole('link', { name: '关爱记录' }).click();
    await second.getByText(`妈妈换了新号码 ${PHONE}，周五打给她`).first().waitFor();
    await second.getByText(TALK).first().waitFor();
  } finally {
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the school sets the idle lock; left untouched that long, the app reloads locked, its memory cleared', async () => {
  const { page } = ctx.browser;
  page.autoUnlock = false;
  await page.clock.install();
  // This lone phone is its care lead's (张主任, added before its backup), who may change the
  // school's settings.
  await page.goto(`${ctx.server.origin}/school/settings`);
  await unlock(page);
  const minutes = page.getByLabel('自动锁定时间（分钟）');
  assert.equal(await minutes.inputValue(), '5', 'five minutes unless the school says otherwise');
  await minutes.fill('45');
  await page.getByRole('button', { name: '保存设置' }).click();
  await page.getByText('自动锁定时间（分钟）应在 1 到 30 之间').first().waitFor();
  await minutes.fill('2');
  await page.getByRole('button', { name: '保存设置' }).click();
  await page.getByText('已保存：学校设置').waitFor();
  // The last card, above the sticky save bar once the form is scrolled to its end.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  if (shots) await page.screenshot({ path: path.join(shots, 'idle-setting.png') });

  await page.goto(ctx.server.origin);
  await unlock(page);
  await page.getByRole('link', { name: new RegExp(NAME) }).waitFor();
  // A mark in this page's memory: gone once the page (and its wasm memory, with the data key)
  // is dropped.
  await page.evaluate(() => { window.stillThisPage = true; });
  await page.clock.fastForward('01:30');
  assert.equal(await gateOf(page), 'open');
  await page.clock.fastForward('00:40');
  await page.waitForFunction(() => document.documentElement.dataset.gate === 'locked' && window.stillThisPage === undefined);
  assert.equal(await page.getByText(NAME).count(), 0, 'nothing of the child is left on the screen');
  await unlock(page);
  await page.getByRole('link', { name: new RegExp(NAME) }).waitFor();
});
