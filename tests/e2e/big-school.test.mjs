// A lead with a school of 600 just imported from the registry: 关爱检查 lists the children still
// needing family facts a screenful at a time and what is overdue is right below; on 结对帮扶 a
// child is chosen a class at a time (not from a wheel of 600 names) and paired with a teacher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { session, addLeadAndTeacher, importSchool } from './support.mjs';

const SCHOOL = 600;
const ctx = session();

test(`a lead of ${SCHOOL} children reaches what is due and pairs a child a class at a time`, async () => {
  const { page } = ctx.browser;
  const { origin } = ctx.server;
  // The care lead (张主任, "me" on this phone) and a teacher (王芳).
  await page.goto(origin);
  await addLeadAndTeacher(page);
  await importSchool(page, origin, SCHOOL);

  // 关爱检查: 20 of the 600 needing facts, and what is overdue within a few screens, not 80.
  await page.goto(`${origin}/dashboard`);
  const facts = page.getByRole('region', { name: `需补充家庭情况（${SCHOOL} 人）` });
  await facts.getByRole('link').first().waitFor({ timeout: 60_000 });
  assert.equal(await facts.getByRole('link').count(), 20);
  await facts.getByRole('button', { name: `显示更多（还有 ${SCHOOL - 20} 名）` }).waitFor();
  const due = await page.getByRole('heading', { name: '逾期与近期应做（按儿童）' }).boundingBox();
  assert.ok(due.y < 6 * 640, `逾期与近期应做 starts ${Math.round(due.y)} px down`);
  await facts.getByRole('button', { name: /显示更多/ }).click();
  await page.waitForFunction(() => document.querySelectorAll('#needs-facts a').length === 40);

  // 结对帮扶: the 班级 drop-down narrows 儿童 to one class; all classes at first.
  await page.goto(`${origin}/pairing`);
  const children = page.locator('#assign-child option');
  await page.getByRole('heading', { name: '安排教师' }).waitFor();
  await page.locator('#assign-child-class').waitFor();
  assert.equal(await children.count(), SCHOOL + 1);
  await page.locator('#assign-child-class').selectOption({ label: '三年级3班' });
  const names = (await children.allTextContents()).slice(1);
  assert.ok(names.length > 0 && names.length < 60, `${names.length} names in 三年级3班`);
  assert.ok(names.every((n) => n.endsWith('（三年级3班）')), names.join(' '));
  // A child chosen stays chosen while the class is narrowed to hers, and is let go for another.
  await page.getByLabel('儿童', { exact: true }).first().selectOption({ label: names[0] });
  await page.locator('#assign-child-class').selectOption({ label: '全部班级' });
  assert.equal(await page.locator('#assign-child').evaluate((s) => s.selectedOptions[0].textContent), names[0]);
  await page.locator('#assign-child-class').selectOption({ label: '一年级1班' });
  assert.equal(await page.locator('#assign-child').inputValue(), '');
  await page.locator('#assign-child-class').selectOption({ label: '三年级3班' });
  await page.getByLabel('儿童', { exact: true }).first().selectOption({ label: names[0] });
  if (process.env.SCREENSHOTS) {
    await page.getByRole('heading', { name: '安排教师' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'pairing-class-first.png') });
  }
  await page.locator('#assign-teacher').selectOption({ label: '王芳' });
  await page.getByLabel('职责').selectOption({ label: '结对帮扶教师' });
  await page.getByRole('button', { name: '安排', exact: true }).click();
  await page.getByText(`已保存：王芳担任${names[0].replace(/（.*$/, '')}的结对帮扶教师`).waitFor();
  const gaps = page.getByRole('region', { name: '没有结对成人的儿童' });
  await gaps.getByText(`共 ${SCHOOL - 1} 名`).waitFor();
});
