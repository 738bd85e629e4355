// Contact with the parents and back-entry (issue 18 items 4 and 5) on a class teacher's phone: a
// call to the mother nobody answered is kept but leaves the child under 父母失联 in 我的一周, an
// answered one clears it; a diary note from the spring term (more than 90 days back) is saved and
// shown as 补录 with the day it was typed, one before that term is refused naming the earliest
// day; a visit written up weeks later prints with its 补录 line in the inspection binder (after its
// guidance, far too long at first, is named beneath the text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, addChild, waitForServiceWorker, fixToday } from './support.mjs';

const ctx = session();
// Tuesday of the autumn term. The school has entered no terms, so the usual school year stands
// in: this term began 2026-09-01, the previous one 2026-02-20.
const TODAY = new Date('2026-11-24T10:00:00+08:00');

/** Saves a 与家长联系 with the mother by phone, with the outcome given. */
const LONG_CALL = '妈妈说春节回家，会带孩子去县医院配眼镜；她让爷爷晚上开灯陪孩子写作业，下个月再打电话问成绩。';

async function callMother(page, outcome, said) {
  await page.getByRole('link', { name: '＋ 与家长联系' }).click();
  await page.getByText('母亲', { exact: true }).click();
  await page.getByText('电话', { exact: true }).click();
  await page.getByText('在校表现', { exact: true }).click();
  await page.getByLabel('交流内容').fill(said);
  if (outcome) await page.getByText(outcome, { exact: true }).click();
  await page.getByRole('button', { name: '保存', exact: true }).click();
}

async function outOfTouch(page) {
  await page.goto(`${ctx.server.origin}/week`);
  await page.getByText('我负责 1 名儿童').waitFor();
  const region = page.getByRole('region', { name: '父母失联' });
  if ((await region.count()) === 0) return [];
  return region.locator('li').allTextContents();
}

test('an unanswered call keeps 父母失联, the mother answering clears it', async () => {
  const { page, context } = ctx.browser;
  // The child was added at the start of term: by now her parents' silence counts.
  await fixToday(context, new Date('2026-09-07T10:00:00+08:00'));
  await page.goto(ctx.server.origin);
  await waitForServiceWorker(page);
  await page.getByRole('link', { name: '设置' }).click();
  await page.getByLabel('添加教师姓名').fill('王芳');
  await page.getByRole('button', { name: '添加教师' }).click();
  await page.getByText('已选择：王芳').waitFor();
  await page.goto(ctx.server.origin);
  await addChild(page, { name: '李小明', gender: '男', birth: '2015-05-01', grade: '三年级', class: '2', village: '石门村3组' });
  await fixToday(context, TODAY);
  await page.goto(ctx.server.origin);
  await page.getByRole('link', { name: '我的一周' }).click();
  await page.getByLabel('我是这个班的班主任').selectOption({ label: '三年级2班' });
  await page.getByRole('button', { name: '负责这个班的全部儿童' }).click();
  await page.getByText('我负责 1 名儿童').waitFor();
  assert.deepEqual(await outOfTouch(page), ['李小明没有接通的父母联系记录']);
  await page.getByText('法律要求外出父母至少每周联系孩子一次（未成年人保护法第二十三条）', { exact: false }).waitFor();

  await page.goto(ctx.server.origin);
  await page.getByRole('link', { name: /李小明/ }).click();
  await page.getByRole('link', { name: '关爱记录' }).click();
  const records = page.url();
  // A call without its outcome is refused at the field; 无人接听 is kept as a record.
  await callMother(page, null, '打了两次没人接');
  await page.locator('#parentContacts-outcome-error').getByText('电话、视频联系请选择联系结果').waitFor();
  await page.getByText('无人接听', { exact: true }).click();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('已保存：与家长联系').waitFor();
  await page.locator('.record-headline', { hasText: '打了两次没人接' }).waitFor();
  assert.deepEqual(await outOfTouch(page), ['李小明没有接通的父母联系记录'], 'nobody answered');

  await page.goto(records);
  await callMother(page, '接通', LONG_CALL);
  await page.getByText('已保存：与家长联系').waitFor();
  assert.deepEqual(await outOfTouch(page), [], 'the mother answered');
  // The binder prints both calls, the one nobody answered too: the school's tries are its record.
  await page.goto(records.replace(/\/records$/, '/binder'));
  const calls = page.locator('.print-sheet').filter({ hasText: '与家长联系记录' });
  await calls.getByRole('row', { name: /2026-11-24 与家长联系 母亲 电话 无人接听 主题：在校表现；打了两次没人接 王芳/ }).waitFor();
  // What was said, whole: the inspector reads the paper, not the timeline's first line.
  await calls.getByRole('row', { name: `2026-11-24 与家长联系 母亲 电话 接通 主题：在校表现；${LONG_CALL} 王芳` }).waitFor();
  await page.getByText(/与家长联系和亲情联系 2 次/).waitFor();
  if (process.env.SCREENSHOTS) await calls.screenshot({ path: `${process.env.SCREENSHOTS}/binder-calls.png` });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'nothing scrolls sideways');
  assert.deepEqual(ctx.browser.errors, []);
});

test('a note from last term is saved as 补录, one before it is refused', async () => {
  const { page } = ctx.browser;
  await page.goto(ctx.server.origin);
  await page.getByRole('link', { name: /李小明/ }).click();
  await page.getByRole('link', { name: '关爱记录' }).click();
  await page.getByRole('link', { name: '＋ 成长日记' }).click();
  await page.getByLabel('记录', { exact: true }).fill('六一儿童节在全校朗诵《我的妈妈》');
  await page.getByLabel('日期').fill('2026-02-19');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('#diary-date-error').getByText('日期不能早于 2026-02-20（上学期开学）').waitFor();
  await page.getByLabel('日期').fill('2026-06-01');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('已保存：成长日记').waitFor();
  const note = page.locator('.record').filter({ hasText: '六一儿童节' });
  await note.locator('.badge.back-entry').getByText('补录').waitFor();
  await note.locator('summary').click();
  await note.getByText('2026-06-01 · 补录（2026-11-24 录入）').waitFor();
  // A call typed on the day is no back-entry.
  const call = page.locator('.record').filter({ hasText: '妈妈说春节回家' });
  assert.equal(await call.locator('.badge.back-entry').count(), 0);

  // A visit of October written up today prints with its 补录 line.
  await page.getByRole('link', { name: '＋ 记录家访' }).click();
  await page.getByLabel('家访日期', { exact: true }).fill('2026-10-15');
  await page.getByText('监护人', { exact: true }).click();
  await page.getByRole('button', { name: '作业无人辅导' }).click();
  // Guidance pasted twice over is named beneath its own text, which is otherwise drawn bare.
  const guidance = page.getByLabel('对监护人的家庭教育指导');
  assert.equal(await page.locator('#visit-guidance-error').count(), 0);
  await guidance.fill('多与孩子谈心'.repeat(400));
  await page.getByRole('button', { name: '保存家访记录' }).click();
  await page.locator('#visit-guidance-error').getByText('对监护人的家庭教育指导最多 2000 个字').waitFor();
  assert.equal(await guidance.getAttribute('aria-invalid'), 'true');
  await guidance.fill('多与孩子谈心');
  await page.getByRole('button', { name: '保存家访记录' }).click();
  await page.getByText('已保存：家访记录').waitFor();
  await page.goto(page.url().replace(/\/records$/, '/binder'));
  const sheet = page.locator('.print-sheet').filter({ hasText: '家访记录' });
  await sheet.getByRole('row', { name: '补录 于 2026-11-24 录入' }).waitFor();
  assert.deepEqual(ctx.browser.errors, []);
});
