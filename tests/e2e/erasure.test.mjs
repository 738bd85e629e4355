// A child leaves and is erased: the care lead records the departure as the child's 学籍状态 on the
// child screen (the child leaves the roster for the 已离校 filter), cannot erase while the school's retention period
// runs, then erases the child after it — 关爱检查 listing it once its time is past, and no more once
// erased; the server's data directory no longer holds the child's
// files and the class teacher's phone drops its copies at its next sync. On the way, the lead's
// 查阅记录 shows which phones the child's records went to (a teacher is refused it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { addChild } from './support.mjs';
import { schoolWithPhones, enrol, waitSynced, storedDocs, enrolmentOf } from './sync-support.mjs';

const ctx = schoolWithPhones('石门小学', [{ name: '李老师' }, { name: '王校长', role: 'lead' }], ['teacher', 'lead']);
const { server } = ctx;

/** The child's archive directory in the server's storage (automerge-repo's nodefs layout). */
function archiveFiles(child) {
  return path.join(server.dataDir, 'schools', ctx.made.school.id, child.slice(0, 2), child.slice(2));
}

async function recordDeparture(page, reason, day) {
  const card = page.getByRole('region', { name: '学籍状态' });
  await card.getByText(reason, { exact: true }).click();
  await card.getByLabel('变更日期').fill(day);
  if (reason === '转出') await card.getByLabel('转入学校').fill('县城第二小学');
  await card.getByRole('button', { name: '登记状态变更' }).click();
  await card.getByText(`已离校（${reason}，${day}）`).waitFor();
  await card.getByText(`已保存：学籍状态改为${reason}`).waitFor();
}

test('the lead records a departure, erases the child after the retention period, and it is gone everywhere', async () => {
  const origin = server.origin;
  const teacher = ctx.teacher.page;
  await enrol(teacher, origin, ctx.made.teachers[0].code, '李老师的手机');
  await teacher.goto(origin);
  await addChild(teacher, { name: '刘小东', gender: '男', birth: '2012-03-04', grade: '六年级', class: '2', village: '石门村' });
  await teacher.goto(origin);
  await waitSynced(teacher);
  await teacher.getByRole('link', { name: /刘小东/ }).click();
  await teacher.waitForURL(/\/child\//);
  const child = new URL(teacher.url()).pathname.split('/')[2];
  assert.ok(existsSync(archiveFiles(child)), 'the archive is on the server');

  const lead = ctx.lead.page;
  await enrol(lead, origin, ctx.made.teachers[1].code, '王校长的手机');
  await lead.goto(origin);
  await waitSynced(lead);
  await lead.getByRole('link', { name: /刘小东/ }).click();
  await lead.getByRole('region', { name: '学籍状态' }).getByText('在校', { exact: true }).waitFor();

  // The lead sees which phones the child's records went to and came from.
  await lead.getByRole('link', { name: '查阅记录' }).click();
  await lead.getByRole('heading', { name: '刘小东的档案和记录到过哪些手机' }).waitFor();
  await lead.getByText(/李老师（李老师的手机） 从手机上传：刘小东的档案/).first().waitFor();
  await lead.getByText(/王校长（王校长的手机） 下载到手机：刘小东的档案/).first().waitFor();
  // The whole school's 30 days name each child's documents too, not a bare 从手机上传：.
  await lead.goto(`${origin}/audit`);
  await lead.getByRole('heading', { name: '全校近 30 天' }).waitFor();
  await lead.getByText(/李老师（李老师的手机） 从手机上传：刘小东的档案/).first().waitFor();
  assert.equal(await lead.getByText(/(上传|下载到手机)：$/).count(), 0, 'no row without its document');
  await lead.goBack();
  await teacher.goto(`${origin}/audit?child=${child}`);
  await teacher.getByText('只有关爱负责人可以查看查阅记录。').waitFor();
  await teacher.getByText('只有关爱负责人可以这样做').waitFor();
  await lead.goBack();

  // Left today: the records are kept for the school's three years, and erasure says until when.
  const today = new Date().toISOString().slice(0, 10);
  await recordDeparture(lead, '转出', today);
  const kept = lead.getByRole('region', { name: '学籍状态' });
  await kept.getByText(/记录保存期到 \d{4}-\d{2}-\d{2} 为止，之后才能永久删除/).waitFor();
  assert.equal(await kept.getByRole('button', { name: '永久删除' }).count(), 0);
  await lead.goto(origin);
  await lead.getByText('另有未在校儿童 0 名（休学、疑似辍学）、已离校儿童 1 名，可在“筛选 → 学籍状态”中查看。').waitFor();
  assert.equal(await lead.locator('.group').getByText('刘小东').count(), 0, 'out of the roster list');
  await lead.getByText('筛选', { exact: true }).click();
  await lead.getByLabel('学籍状态').selectOption({ label: '已离校（转出、毕业、辍学）' });
  await lead.getByText('已离校（转出、毕业、辍学）共 1 名儿童').waitFor();

  // The school's index and directory as every phone holds them before the erasure.
  const oldIndex = enrolmentOf(teacher).indexUrl.replace('automerge:', '');
  const oldDirectory = enrolmentOf(teacher).directoryUrl.replace('automerge:', '');
  assert.ok((await storedDocs(teacher)).includes(oldIndex), 'the teacher\'s phone holds the index');

  // Graduated years ago: the lead withdraws the first departure, records the right one, erases.
  await lead.getByRole('link', { name: /刘小东/ }).click();
  await lead.getByRole('button', { name: '撤销最近一次变更' }).click();
  await lead.getByRole('region', { name: '学籍状态' }).getByText('在校', { exact: true }).waitFor();
  await recordDeparture(lead, '毕业', '2020-07-01');
  // Kept past the school's three years: 关爱检查 asks the lead to erase it, a tap from its page.
  const childPage = lead.url();
  await lead.goto(`${origin}/dashboard`);
  const overdue = lead.getByRole('region', { name: '离校儿童记录已过保存年限（3 年）' });
  if (process.env.SCREENSHOTS) {
    await overdue.waitFor();
    await overdue.scrollIntoViewIfNeeded();
    await lead.screenshot({ path: path.join(process.env.SCREENSHOTS, 'dashboard-retention.png') });
  }
  await overdue.getByRole('link', { name: '刘小东（2020-07-01 毕业，2023-07-01 起可删除）' }).click();
  await lead.waitForURL(childPage);
  const card = lead.getByRole('region', { name: '学籍状态' });
  await card.getByRole('button', { name: '永久删除' }).click();
  await card.getByText('请输入儿童姓名“刘小东”以确认').waitFor();
  await card.getByLabel('输入儿童姓名以确认').fill('刘小东');
  await card.getByRole('button', { name: '永久删除' }).click();
  await lead.getByText('已永久删除该儿童的全部记录').waitFor();
  assert.ok(!existsSync(archiveFiles(child)), 'the archive\'s files are gone from the server');
  assert.ok(!(await storedDocs(lead)).includes(child), 'and from the lead\'s phone');
  assert.equal(await lead.getByText('刘小东').count(), 0);
  await lead.goto(`${origin}/dashboard`);
  await lead.getByRole('heading', { name: '关爱检查' }).waitFor();
  await lead.locator('#due-title').waitFor();
  assert.equal(await lead.locator('#retention-due').count(), 0, 'nothing left past its time');

  // The class teacher's phone reads the erasure in the directory and drops its copies.
  const end = Date.now() + 60_000;
  while ((await storedDocs(teacher)).includes(child)) {
    if (Date.now() > end) throw new Error('the erased child stayed on the teacher\'s phone');
    await teacher.goto(origin);
    await waitSynced(teacher);
    await teacher.waitForTimeout(500);
  }
  await teacher.goto(origin);
  assert.equal(await teacher.getByText('刘小东').count(), 0, 'gone from the teacher\'s roster');

  // The index and directory, whose histories still named the child, were founded anew: both
  // phones moved to the new ones and the old ones are gone from the server and the phones.
  for (const old of [oldIndex, oldDirectory]) {
    assert.ok(!existsSync(archiveFiles(old)), `the old ${old} is gone from the server`);
  }
  for (const phone of [teacher, lead]) {
    const until = Date.now() + 60_000;
    for (;;) {
      const held = await storedDocs(phone);
      if (!held.includes(oldIndex) && !held.includes(oldDirectory)) break;
      if (Date.now() > until) throw new Error('the old index or directory stayed on a phone');
      await phone.goto(origin);
      await waitSynced(phone);
      await phone.waitForTimeout(500);
    }
  }
  // The teacher keeps working on the new documents: a new child reaches the lead.
  await addChild(teacher, { name: '周小北', gender: '女', birth: '2013-05-06', grade: '五年级', class: '1', village: '石门村' });
  await teacher.goto(origin);
  await waitSynced(teacher);
  const shown = Date.now() + 60_000;
  for (;;) {
    await lead.goto(origin);
    await waitSynced(lead);
    if (await lead.getByRole('link', { name: /周小北/ }).count() > 0) break;
    if (Date.now() > shown) throw new Error('the new child did not reach the lead');
    await lead.waitForTimeout(500);
  }

  const audit = server.cli('audit', '--child', child);
  assert.deepEqual(audit.map((e) => e.direction), ['erased'], 'the audit keeps only the erasure');
  assert.equal(audit[0].teacherName, '王校长');
});
