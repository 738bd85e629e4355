// A class that changes hands with a promise to a family still open: 王老师's visit agreed a
// follow-up (配眼镜) due on Friday; on Monday it is overdue on her week and on the lead's 关爱检查
// (counted, listed, under her name). Handed over, 李老师 is told whom she was given, finds on
// her week the next visit 王老师 agreed and what her call said to do next, marks the follow-up
// done, and the record says who did it and how late. The date is fixed: Monday 2026-12-07.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addChild, fixToday } from './support.mjs';
import { schoolWithPhones, enrol, waitSynced, handOver } from './sync-support.mjs';

const ctx = schoolWithPhones('石桥小学', [
  { name: '张校长', role: 'lead' },
  { name: '王老师' },
  { name: '李老师' },
], ['zhang', 'wang', 'li']);

const FOLLOW_UP = '联系父亲配眼镜';
const CALL_NEXT = '月底再打电话确认眼镜钱寄到';

async function shot(page, name) {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/${name}` });
}

test('an overdue follow-up is counted on the teacher\'s week and the lead\'s check, and done by the teacher who took over', async () => {
  const { origin } = ctx.server;
  const [zhangT, wangT, liT] = ctx.made.teachers;
  const { page: zhang } = ctx.zhang;
  const { page: wang } = ctx.wang;
  const { page: li } = ctx.li;
  for (const phone of ['zhang', 'wang', 'li']) {
    await fixToday(ctx[phone].context, new Date('2026-12-07T09:00:00+08:00'));
  }
  await enrol(wang, origin, wangT.code, '王老师的手机');
  await wang.goto(origin);
  await addChild(wang, { name: '刘小雨', gender: '女', birth: '2016-03-02', grade: '四年级', class: '2', village: '河口村' });
  await wang.getByRole('link', { name: /刘小雨/ }).click();
  await wang.getByRole('link', { name: '＋ 记录家访' }).click();
  await wang.getByLabel('家访日期', { exact: true }).fill('2026-12-01');
  await wang.getByLabel('家访目的').fill('了解视力下降的情况');
  await wang.getByText('监护人', { exact: true }).click();
  await wang.getByRole('button', { name: '学习有困难' }).click();
  await wang.getByLabel('事项').fill(FOLLOW_UP);
  await wang.getByLabel('完成期限').fill('2026-12-04');
  await wang.getByLabel(/^下次家访日期/).fill('2026-12-10');
  await wang.getByRole('button', { name: '保存家访记录' }).click();
  await wang.getByText('已保存：家访记录').waitFor();
  // A call to the father the same week, with what to do next written as text.
  await wang.goto(origin);
  await wang.getByRole('link', { name: /刘小雨/ }).click();
  await wang.getByRole('link', { name: '关爱记录' }).click();
  await wang.getByRole('link', { name: '＋ 与家长联系' }).click();
  await wang.getByText('父亲', { exact: true }).click();
  await wang.getByText('电话', { exact: true }).click();
  await wang.getByText('身体健康', { exact: true }).click();
  await wang.getByLabel('交流内容').fill('爸爸说月底寄钱配眼镜');
  await wang.getByText('接通', { exact: true }).click();
  await wang.getByLabel('后续跟进').fill(CALL_NEXT);
  await wang.getByRole('button', { name: '保存', exact: true }).click();
  await wang.getByText('已保存：与家长联系').waitFor();

  // Her week counts it with what is overdue, not apart from it.
  await wang.goto(`${origin}/week`);
  const urgent = wang.getByRole('region', { name: /^逾期和本周要做（\d+）$/ });
  await urgent.getByText(`刘小雨 · ${FOLLOW_UP}（王老师，12-04 前，已逾期）`).waitFor();
  assert.equal(await wang.getByRole('region', { name: '待办跟进事项' }).count(), 0, 'nothing else open');
  await shot(wang, 'week-late-follow-up.png');
  await wang.goto(origin);
  await waitSynced(wang);
  // Her phone counts her children only, and says so above the school's figures.
  await wang.goto(`${origin}/dashboard`);
  await wang.getByText('本机只保存你负责的儿童的档案和记录，以下数字只统计这些儿童；全校的数字以关爱负责人手机上的为准。').waitFor();

  // The lead's 关爱检查 counts it as overdue and says whose it was.
  await enrol(zhang, origin, zhangT.code, '张校长的手机');
  await zhang.goto(origin);
  await waitSynced(zhang);
  await zhang.goto(`${origin}/dashboard`);
  const late = zhang.getByRole('region', { name: '逾期未完成的跟进事项（1 项）' });
  await late.getByText(`跟进：${FOLLOW_UP}（王老师，已逾期 3 天）`).waitFor({ timeout: 30_000 });
  assert.match(await zhang.locator('#dashboard-summary').innerText(), /逾期 \d+ 项（其中家访跟进事项 1 项）/);
  assert.equal(await zhang.locator('#partial-figures').count(), 0, 'the lead\'s phone holds the school');
  const byTeacher = zhang.locator('details.drill', { hasText: /^王老师：/ });
  await byTeacher.locator('summary').click();
  await byTeacher.getByText(`跟进：${FOLLOW_UP}（王老师，已逾期 3 天）`).waitFor();
  await late.scrollIntoViewIfNeeded();
  await shot(zhang, 'dashboard-late-follow-up.png');

  // 李老师's phone is in use before the handover: what she held then is hers, not news.
  await enrol(li, origin, liT.code, '李老师的手机');
  await li.goto(origin);
  await waitSynced(li);
  assert.equal(await li.locator('#given').count(), 0, 'nothing given yet');

  // 王老师 leaves; her children go to 李老师, who does what was promised.
  await handOver(zhang, origin, '王老师', '李老师', 1);

  // Her phone tells her whom she now has, and for what, until she has read it.
  await li.goto(origin);
  await waitSynced(li);
  const given = li.locator('#given');
  await given.getByText('关爱负责人把这些儿童交给了你').waitFor({ timeout: 30_000 });
  await given.getByText('四年级2班的班主任：刘小雨（1 名）').waitFor();
  await shot(li, 'roster-given.png');
  await li.reload();
  await given.getByText('四年级2班的班主任：刘小雨（1 名）').waitFor();
  await given.getByRole('button', { name: '知道了' }).click();
  await given.waitFor({ state: 'detached' });
  await li.reload();
  await li.getByRole('link', { name: /刘小雨/ }).waitFor();
  assert.equal(await li.locator('#given').count(), 0, 'read, not said again');
  await li.goto(`${origin}/week`);
  const hers = li.getByRole('region', { name: /^逾期和本周要做（\d+）$/ });
  const row = hers.locator('li', { hasText: FOLLOW_UP });
  await row.waitFor({ timeout: 30_000 });
  // The visit 王老师 agreed with the family is hers to make now.
  await li.getByRole('region', { name: '约好的家访（1）' })
    .getByRole('link', { name: '刘小雨 · 12-10 家访：12-01 家访时约定（王老师）' }).waitFor();
  // So is what 王老师's call said to do next.
  await li.getByRole('region', { name: '联系时写下的后续跟进（1）' })
    .getByRole('link', { name: `刘小雨 · 12-07 与家长联系：${CALL_NEXT}（王老师）` }).waitFor();
  await li.getByRole('region', { name: '约好的家访（1）' }).scrollIntoViewIfNeeded();
  await shot(li, 'week-agreed-visit.png');
  // The grandmother rang: the child is with its parents until spring. Called off, then (a slip)
  // taken back.
  const agreedRow = li.getByRole('region', { name: '约好的家访（1）' }).locator('li');
  await agreedRow.getByRole('button', { name: '取消' }).click();
  const off = li.getByRole('status').filter({ hasText: '已取消：刘小雨 12-10 的家访' });
  await off.waitFor();
  await li.getByRole('region', { name: /^约好的家访/ }).waitFor({ state: 'detached' });
  await off.getByRole('button', { name: '撤销' }).click();
  await li.getByRole('status').getByText('已撤销：刘小雨 12-10 的家访仍按约定').waitFor();
  await agreedRow.waitFor();
  // A 完成 tapped on the wrong row is taken back where it was made.
  await row.getByRole('button', { name: '完成' }).click();
  const saved = li.getByRole('status').filter({ hasText: `已保存：刘小雨的“${FOLLOW_UP}”已完成` });
  await saved.waitFor();
  await row.waitFor({ state: 'detached' });
  await shot(li, 'week-done-undo.png');
  await saved.getByRole('button', { name: '撤销' }).click();
  await li.getByRole('status').getByText(`已撤销：刘小雨的“${FOLLOW_UP}”改为未完成`).waitFor();
  await row.getByRole('button', { name: '完成' }).click();
  await saved.waitFor();
  await li.goto(origin);
  await li.getByRole('link', { name: /刘小雨/ }).click();
  await li.getByRole('link', { name: '关爱记录' }).click();
  await li.locator('.record-headline', { hasText: '了解视力下降的情况' }).click();
  // Whose it was, who did it, and how late: the record reads true on paper too.
  await li.getByText(`${FOLLOW_UP}（王老师，2026-12-04 前；李老师 2026-12-07 完成，逾期 3 天）`).waitFor();
  await shot(li, 'follow-up-done-by-another.png');
  // The child's 修改记录 says whose she was and since when: the handover is the directory's.
  await li.goto(origin);
  await li.getByRole('link', { name: /刘小雨/ }).click();
  await li.getByRole('link', { name: '修改记录' }).click();
  const duties = li.getByRole('region', { name: '负责教师的变动' });
  await duties.getByText(/^\d{4}-\d{2}-\d{2} 起，王老师不再担任班主任（张校长 · 整体交接）$/).waitFor();
  await duties.getByText(/^\d{4}-\d{2}-\d{2} 起，李老师担任班主任（张校长 · 整体交接）$/).waitFor();
  await shot(li, 'history-duties.png');
  await li.goto(origin);
  await waitSynced(li);

  // Done, it leaves the lead's list once her phone has it.
  const end = Date.now() + 30_000;
  for (;;) {
    await zhang.goto(origin);
    await waitSynced(zhang);
    await zhang.goto(`${origin}/dashboard`);
    await zhang.locator('#dashboard-summary').waitFor();
    if (await zhang.getByRole('region', { name: /^逾期未完成的跟进事项/ }).count() === 0) break;
    if (Date.now() > end) throw new Error('the follow-up done on 李老师\'s phone stayed overdue on the lead\'s');
    await zhang.waitForTimeout(500);
  }
});
