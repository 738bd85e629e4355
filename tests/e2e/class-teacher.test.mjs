// A whole class's 班主任: a teacher's phone lists the school's other children by name and class
// only; the care lead names the teacher 班主任 of 三年级2班 once, and that class's archives — and
// those of a child who joins the class later — come to the teacher's phone, while a child of
// another class stays name and class only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addChild } from './support.mjs';
import { schoolWithPhones, enrol, waitSynced, storedDocs } from './sync-support.mjs';

const ctx = schoolWithPhones('石门小学', [{ name: '孙老师' }, { name: '王校长', role: 'lead' }], ['teacher', 'lead']);
const { server } = ctx;

/** The ids of the roster's children named, as the lead's phone links them. */
async function idOf(page, name) {
  const href = await page.getByRole('link', { name: new RegExp(name) }).first().getAttribute('href');
  return href.split('/')[2];
}

/** Reloads until `check` holds, syncing each time (a minute at most). */
async function soon(page, origin, check, what) {
  const end = Date.now() + 60_000;
  for (;;) {
    await page.goto(origin);
    await waitSynced(page);
    if (await check()) return;
    if (Date.now() > end) throw new Error(`not in a minute: ${what}`);
    await page.waitForTimeout(500);
  }
}

test('the lead names a class 班主任 once; the class comes to the teacher, other classes stay names', async () => {
  const origin = server.origin;
  const lead = ctx.lead.page;
  await enrol(lead, origin, ctx.made.teachers[1].code, '王校长的手机');
  await lead.goto(origin);
  for (const [name, cls] of [['钱小一', '2'], ['钱小二', '2'], ['钱小三', '1']]) {
    await addChild(lead, { name, gender: '女', birth: '2017-02-03', grade: '三年级', class: cls, village: '石门村' });
    await lead.goto(origin);
  }
  await waitSynced(lead);
  const [one, two, three] = [await idOf(lead, '钱小一'), await idOf(lead, '钱小二'), await idOf(lead, '钱小三')];

  const teacher = ctx.teacher.page;
  await enrol(teacher, origin, ctx.made.teachers[0].code, '孙老师的手机');
  await soon(teacher, origin, async () => (await teacher.getByText('本校其他儿童（3 名）').count()) > 0,
    'the index lists the three children');
  await teacher.getByRole('link', { name: '钱小三 · 三年级1班' }).waitFor();
  assert.equal((await storedDocs(teacher)).filter((id) => [one, two, three].includes(id)).length, 0,
    'no archive on the teacher\'s phone');

  await lead.goto(`${origin}/pairing`);
  // Nothing chosen: each choice says so beneath itself, and nothing is saved.
  await lead.getByRole('button', { name: '设为班主任' }).click();
  await lead.locator('#f-classTeacherClass-error').getByText('请选择班级').waitFor();
  await lead.locator('#f-classTeacherTeacher-error').getByText('请选择教师').waitFor();
  await lead.getByLabel('班级').selectOption({ label: '三年级2班' });
  await lead.locator('#class-teacher-teacher').selectOption({ label: '孙老师' });
  await lead.getByRole('button', { name: '设为班主任' }).click();
  await lead.getByText('已保存：孙老师是三年级2班的班主任').waitFor();
  await lead.getByText('三年级2班：孙老师').waitFor();
  await lead.goto(origin);
  await waitSynced(lead);

  await soon(teacher, origin, async () => {
    const held = await storedDocs(teacher);
    return held.includes(one) && held.includes(two);
  }, 'the class\'s archives reach the teacher');
  assert.ok(!(await storedDocs(teacher)).includes(three), 'the other class stays off the phone');
  await teacher.getByText('本校其他儿童（1 名）').waitFor();

  // A child who joins the class later goes to its 班主任 too.
  await lead.goto(origin);
  await addChild(lead, { name: '钱小四', gender: '男', birth: '2017-04-05', grade: '三年级', class: '2', village: '石门村' });
  await lead.goto(origin);
  await waitSynced(lead);
  const four = await idOf(lead, '钱小四');
  await soon(teacher, origin, async () => (await storedDocs(teacher)).includes(four),
    'the new child of the class reaches the teacher');
  await teacher.getByRole('link', { name: /钱小四/ }).first().click();
  await teacher.getByLabel('学籍号').waitFor();
});
