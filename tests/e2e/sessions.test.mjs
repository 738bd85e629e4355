// 集体活动: a class teacher records a group 亲情视频 session for her class of three, offline — all
// three ticked with one tap — and each child's timeline shows a 亲情联系 record and my week no
// longer lists their 亲情联系 as due; a 家长会 with nobody ticked is refused at the field with the
// typed content kept; the class's sign-in sheet lists the children with the guardian on file; and
// 关爱检查 counts this term's sessions by type. A session recorded is opened again to be corrected
// (a date, a child ticked by mistake — whose 亲情联系 goes with her tick) or deleted. The date is
// fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, addChild, fixToday, waitForServiceWorker } from './support.mjs';

const ctx = session();
const NAMES = ['陈小一', '陈小二', '陈小三'];

/** The 亲情联系 tasks my week lists for these children, overdue or due. */
async function contactsDue(page) {
  const tasks = page.locator('.task').filter({ hasText: '亲情联系' });
  return tasks.allTextContents();
}

test('a group 亲情 session writes a record per child and clears their due contact; a meeting needs attendance', async () => {
  const { origin } = ctx.server;
  const { page, context } = ctx.browser;
  // The class is taken on Monday 2 November; three weeks later their 亲情联系 (every two weeks)
  // is overdue.
  await fixToday(context, new Date('2026-11-02T09:00:00+08:00'));
  await page.goto(origin);
  await waitForServiceWorker(page);
  await page.getByRole('link', { name: '设置' }).click();
  await page.getByLabel('添加教师姓名').fill('王芳');
  await page.getByRole('button', { name: '添加教师' }).click();
  await page.getByText('已选择：王芳').waitFor();
  for (const name of NAMES) {
    await page.goto(origin);
    await addChild(page, { name, gender: '女', birth: '2016-03-04', grade: '三年级', class: '2', village: '河口村' });
  }
  // 陈小二's grandmother is on file: the sign-in sheet names her.
  await page.goto(origin);
  await page.getByRole('link', { name: /陈小二/ }).click();
  await page.getByRole('button', { name: '＋ 添加监护人' }).click();
  const guardian = page.getByRole('region', { name: '监护人 1' });
  await guardian.getByLabel('姓名').fill('李桂兰');
  await guardian.getByLabel('与儿童关系').selectOption({ label: '祖母' });
  await guardian.getByRole('button', { name: '保存' }).click();
  await guardian.getByText('李桂兰').waitFor();
  await page.goto(`${origin}/week`);
  await page.getByLabel('我是这个班的班主任').selectOption({ label: '三年级2班' });
  await page.getByRole('button', { name: '负责这个班的全部儿童' }).click();
  await page.getByText('我负责 3 名儿童').waitFor();

  await fixToday(context, new Date('2026-11-24T09:00:00+08:00'));
  await page.goto(`${origin}/week`);
  await page.getByText('我负责 3 名儿童').waitFor();
  const due = await contactsDue(page);
  for (const name of NAMES) {
    assert.ok(due.some((t) => t.includes(name)), `${name}'s 亲情联系 is due: ${due}`);
  }

  // Offline, from my week to the sessions.
  await context.setOffline(true);
  await page.getByRole('link', { name: '集体活动与会议' }).click();
  // None yet: said once.
  await page.getByText('还没有集体活动或会议的记录。').waitFor();
  assert.equal(await page.getByText('本学期还没有活动记录。').count(), 0);
  await page.getByRole('link', { name: '新建活动/会议' }).click();
  await page.getByLabel('类型').selectOption({ label: '集体亲情视频' });
  await page.getByLabel('地点').fill('学校亲情聊天室');
  await page.getByLabel('内容', { exact: true }).fill('期中后和在外打工的爸爸妈妈视频\n每人约五分钟');
  await page.getByLabel('目的').fill('缓解思念，让父母了解孩子在校情况');
  assert.equal(await page.getByLabel('组织者').inputValue(), '王芳', 'the organiser is me');
  await page.getByRole('button', { name: '学生全选' }).click();
  await page.getByText('已勾选：学生 3 人，家长 0 人').waitFor();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('已保存：集体亲情视频，3 名学生/家庭参加').waitFor();
  const listed = page.locator('.session-item');
  await listed.getByText('期中后和在外打工的爸爸妈妈视频').waitFor();
  await listed.getByText('学生 3 人，家长 0 人 · 学校亲情聊天室').waitFor();
  await page.getByText('本学期：集体亲情视频 1 次').waitFor();

  for (const name of NAMES) {
    await page.goto(origin);
    await page.getByRole('link', { name: new RegExp(name) }).click();
    await page.getByRole('link', { name: '关爱记录' }).click();
    const record = page.locator('.record').filter({ hasText: '亲情联系' });
    await record.locator('.record-headline').getByText('集体亲情视频：期中后和在外打工的爸爸妈妈视频').waitFor();
    const attended = page.getByRole('region', { name: '参加的集体活动' });
    await attended.getByText('2026-11-24 · 集体亲情视频 · 期中后和在外打工的爸爸妈妈视频（学生参加）').waitFor();
  }

  await page.goto(`${origin}/week`);
  await page.getByText('我负责 3 名儿童').waitFor();
  assert.deepEqual(await contactsDue(page), [], 'no 亲情联系 is due any more');

  // A 家长会 with nobody ticked: refused at the attendance, what was typed stays.
  await page.goto(`${origin}/sessions/new`);
  await page.getByLabel('类型').selectOption({ label: '家长会' });
  await page.getByLabel('地点').fill('三年级2班教室');
  await page.getByLabel('内容', { exact: true }).fill('期末家长会：通报期末考试安排');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.locator('#f-attendance-error').getByText('请至少勾选一名参加的学生或家长').waitFor();
  assert.equal(await page.getByLabel('内容', { exact: true }).inputValue(), '期末家长会：通报期末考试安排');
  assert.equal(await page.getByLabel('类型').inputValue(), 'parentMeeting');

  // The class's sign-in sheet, printed before the meeting; the form is still there after it.
  await page.getByRole('link', { name: '打印本班签到表' }).click();
  await page.getByRole('heading', { name: '家长会：期末家长会：通报期末考试安排 签到表' }).waitFor();
  const sheet = page.locator('table.sign-in');
  for (const name of NAMES) await sheet.getByRole('cell', { name, exact: true }).waitFor();
  await sheet.getByRole('row', { name: /陈小二\s*李桂兰（祖母）/ }).waitFor();
  await page.getByRole('cell', { name: '三年级2班教室' }).waitFor();
  await page.getByRole('button', { name: '打印签到表' }).waitFor();
  await page.goBack();
  await page.getByText('已恢复上次未保存的内容。').waitFor();
  assert.equal(await page.getByLabel('内容', { exact: true }).inputValue(), '期末家长会：通报期末考试安排');
  await page.getByLabel('陈小二 家长参加').check();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByText('已保存：家长会，1 名学生/家庭参加').waitFor();
  await page.getByText('本学期：集体亲情视频 1 次，家长会 1 次').waitFor();
  // 关爱检查 counts this term's sessions by type too.
  await page.goto(`${origin}/dashboard`);
  await page.locator('#control-sessions').getByText('本学期集体活动 2 次：集体亲情视频 1 次，家长会 1 次。').waitFor();
  await context.setOffline(false);
  assert.deepEqual(ctx.browser.errors, []);
});

test('a session recorded is corrected — its date, a child ticked by mistake — or deleted', async () => {
  const { origin } = ctx.server;
  const { page } = ctx.browser;
  await page.goto(`${origin}/sessions`);
  const video = page.locator('.session-item').filter({ hasText: '集体亲情视频' });
  // Named in roster order.
  const listedNames = await video.getByText(/^参加：/).textContent();
  assert.deepEqual(listedNames.replace('参加：', '').split('、').sort(), [...NAMES].sort());
  await video.getByRole('link', { name: /^查看或更正 2026-11-24/ }).click();
  const came = page.getByRole('region', { name: '参加人员' });
  await came.getByText(/陈小一（学生参加）/).waitFor();
  for (const name of NAMES) await came.getByText(new RegExp(`${name}（学生参加）`)).waitFor();
  assert.equal(await page.getByLabel('地点').inputValue(), '学校亲情聊天室');
  await page.getByLabel('日期').fill('2026-11-23');
  await page.getByLabel('陈小三 学生参加').uncheck();
  await page.getByText('已勾选：学生 2 人，家长 0 人').waitFor();
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/session-correct.png` });
  await page.getByRole('button', { name: '保存更正' }).click();
  await page.getByText('已保存更正：集体亲情视频，2 名学生/家庭参加').waitFor();
  await video.getByText(/^参加：(陈小一、陈小二|陈小二、陈小一)$/).waitFor();
  await video.getByText('2026-11-23').waitFor();
  await video.getByText('学生 2 人，家长 0 人 · 学校亲情聊天室').waitFor();

  // 陈小一's record moved with the session; 陈小三 has neither the session nor its 亲情联系.
  await page.goto(origin);
  await page.getByRole('link', { name: /陈小一/ }).click();
  await page.getByRole('link', { name: '关爱记录' }).click();
  await page.getByRole('region', { name: '参加的集体活动' })
    .getByText('2026-11-23 · 集体亲情视频 · 期中后和在外打工的爸爸妈妈视频（学生参加）').waitFor();
  await page.locator('.record').filter({ hasText: '集体亲情视频：' }).locator('.record-date').getByText('11-23').waitFor();
  await page.goto(origin);
  await page.getByRole('link', { name: /陈小三/ }).click();
  await page.getByRole('link', { name: '关爱记录' }).click();
  await page.getByRole('link', { name: '＋ 成长日记' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.record').filter({ hasText: '集体亲情视频' }).count(), 0);
  assert.equal(await page.getByRole('region', { name: '参加的集体活动' }).count(), 0);
  await page.goto(`${origin}/week`);
  await page.getByText('我负责 3 名儿童').waitFor();
  const due = await contactsDue(page);
  assert.ok(due.some((t) => t.includes('陈小三')), `陈小三's 亲情联系 is due again: ${due}`);

  // The 家长会 is deleted after its question.
  await page.goto(`${origin}/sessions`);
  const meeting = page.locator('.session-item').filter({ hasText: '家长会' });
  await meeting.getByRole('link', { name: /^查看或更正/ }).click();
  let asked = '';
  page.once('dialog', (dialog) => { asked = dialog.message(); dialog.accept(); });
  await page.getByRole('button', { name: '删除这次活动' }).click();
  await page.getByText('已删除：家长会').waitFor();
  assert.match(asked, /^删除这次家长会？/);
  assert.equal(await page.locator('.session-item').filter({ hasText: '家长会' }).count(), 0);
  await page.getByText('本学期：集体亲情视频 1 次').waitFor();
  assert.deepEqual(ctx.browser.errors, []);
});
