// A whole class's 班主任: a teacher's phone lists the school's other children by name and class
// only; the care lead names the teacher 班主任 of 三年级2班 once, and that class's archives — and
// those of a child who joins the class later — come to the teacher's phone, while a child of
// another class stays name and class only. Ended, the card says so once it is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

test('a school of hundreds: the teacher\'s phone keeps the other children folded until opened', async () => {
  const origin = server.origin;
  const lead = ctx.lead.page;
  const teacher = ctx.teacher.page;
  // The lead imports 150 more children (五年级1–3班) from the 学籍 sheet.
  const dir = mkdtempSync(path.join(tmpdir(), 'shouwang-others-'));
  const file = path.join(dir, 'school.csv');
  const rows = ['学籍号,姓名,性别,出生日期,年级,班级,家庭住址'];
  for (let i = 0; i < 150; i += 1) {
    rows.push([`G5${String(i).padStart(11, '0')}`, `${'王李张刘陈'[i % 5]}五${i}`, i % 2 ? '女' : '男', '2015-03-04', '5',
      String(1 + (i % 3)), '石门村'].join(','));
  }
  writeFileSync(file, `${rows.join('\n')}\n`);
  try {
    await lead.goto(`${origin}/import`);
    await lead.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').setInputFiles(file);
    await lead.getByRole('button', { name: '导入 150 名' }).click();
    await lead.getByText('已导入：新增 150 名，更新 0 名。').waitFor({ timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await lead.goto(origin);
  await waitSynced(lead, 60_000);

  // 钱小三 and the 150: listed by count, their names not drawn below the teacher's own class.
  const others = teacher.getByText('本校其他儿童（151 名）');
  await soon(teacher, origin, async () => (await others.count()) > 0, 'the index lists the 150');
  await teacher.getByRole('link', { name: /钱小一/ }).waitFor();
  assert.equal(await teacher.getByRole('link', { name: /五年级/ }).count(), 0, 'the others start folded');
  if (process.env.SCREENSHOTS) {
    await teacher.screenshot({ path: path.join(process.env.SCREENSHOTS, 'roster-others-folded.png'), fullPage: true });
  }
  // Opened, every one of them is listed by name and class; folded again, they go.
  await others.click();
  await teacher.getByRole('link', { name: '王五0 · 五年级1班' }).waitFor();
  assert.equal(await teacher.locator('.others li a').count(), 151);
  await others.click();
  await teacher.getByRole('link', { name: '王五0 · 五年级1班' }).waitFor({ state: 'detached' });
  // Looking for a child of another class: the search above finds among them too.
  await teacher.getByLabel('查找儿童（姓名、拼音或首字母）').fill('王五10');
  await teacher.getByText(/^本校其他儿童（找到 \d+ 名，共 151 名）$/).waitFor();
  await teacher.getByRole('link', { name: '王五10 · 五年级2班' }).waitFor();
  if (process.env.SCREENSHOTS) {
    await teacher.locator('.others').screenshot({ path: path.join(process.env.SCREENSHOTS, 'roster-others-found.png') });
  }
  assert.equal(await teacher.getByRole('link', { name: '王五0 · 五年级1班' }).count(), 0);
  await teacher.getByLabel('查找儿童（姓名、拼音或首字母）').fill('');
  await teacher.getByText('本校其他儿童（151 名）').waitFor();
});

test('the lead ends a class\'s 班主任, and the card says so once it is stored', async () => {
  const lead = ctx.lead.page;
  await lead.goto(`${server.origin}/pairing`);
  await lead.getByRole('button', { name: '取消三年级2班：孙老师' }).click();
  await lead.getByRole('status').getByText('已保存：孙老师不再是三年级2班的班主任').waitFor();
  if (process.env.SCREENSHOTS) {
    await lead.getByRole('region', { name: '整班班主任' }).screenshot({ path: path.join(process.env.SCREENSHOTS, 'class-teacher-ended.png') });
  }
  await lead.getByText('三年级2班：孙老师').waitFor({ state: 'detached' });
});
