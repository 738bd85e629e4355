// The care lead's month end: 考勤 → 缺席学生情况登记表 with 全校各班（每班一页） gives every class's
// register at once, each on its own page with its class and tally, one print job, and one .xlsx
// with a sheet named by each class. The date is fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { session, addChild, addLeadAndTeacher, fixToday, rollCall, unzip, sheetRows } from './support.mjs';

const ctx = session();

test('every class\'s absence register at once, a page each, and one workbook with a sheet a class', async () => {
  const { origin } = ctx.server;
  const { page, context } = ctx.browser;
  await fixToday(context, new Date('2026-09-18T09:00:00+08:00'));
  await page.goto(origin);
  await addLeadAndTeacher(page);
  for (const [name, cls] of [['乙小一', '1'], ['乙小二', '2']]) {
    await page.goto(origin);
    await addChild(page, { name, gender: '男', birth: '2016-05-06', grade: '四年级', class: cls, village: '西村' });
  }
  // 四年级1班 first (the first class), then 四年级2班.
  await rollCall(page, origin, '2026-09-17', [['乙小一', '病假']]);
  await page.getByText('已保存：9月17日 考勤，缺勤 1 人').waitFor();
  await page.goto(`${origin}/attendance`);
  await page.getByLabel('班级').selectOption({ label: '四年级2班' });
  await page.getByLabel('日期').fill('2026-09-18');
  await page.getByLabel('日期').dispatchEvent('change');
  await page.getByLabel('乙小二 缺勤').check();
  await page.getByLabel('乙小二缺勤原因').selectOption({ label: '事假' });
  await page.getByRole('button', { name: /保存考勤/ }).click();
  await page.getByText('已保存：9月18日 考勤，缺勤 1 人').waitFor();

  await page.getByRole('link', { name: /缺席学生情况登记表/ }).click();
  await page.getByLabel('班级').selectOption({ label: '全校各班（每班一页）' });
  const one = page.getByRole('region', { name: '缺勤明细（四年级1班）' });
  const two = page.getByRole('region', { name: '缺勤明细（四年级2班）' });
  await one.getByText('乙小一').waitFor();
  await two.getByText('乙小二').waitFor();
  assert.equal(await one.getByText('乙小二').count(), 0, 'each class lists its own children');
  await page.getByText(/班级：四年级2班　月份：2026年9月/).waitFor();
  const tallies = await page.locator('.register-tally').allInnerTexts();
  assert.deepEqual(tallies, ['本月缺勤 1 人次：病假 1，事假 0，无故缺勤 0。', '本月缺勤 1 人次：病假 0，事假 1，无故缺勤 0。']);
  await page.getByRole('button', { name: '打印全校登记表（2 个班）' }).waitFor();
  // Printed, each class starts a page of its own.
  await page.emulateMedia({ media: 'print' });
  const breaks = await page.locator('.register-sheet').evaluateAll((sheets) => sheets.map((s) => getComputedStyle(s).breakBefore));
  assert.deepEqual(breaks, ['auto', 'page']);
  await page.emulateMedia({ media: 'screen' });
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/register-all.png` });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出登记表（Excel）' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), '缺席学生情况登记表-全校-2026年9月.xlsx');
  const files = unzip(readFileSync(await download.path()));
  const workbook = files.get('xl/workbook.xml').toString('utf8');
  assert.match(workbook, /name="缺勤明细（四年级1班）"/);
  assert.match(workbook, /name="缺勤明细（四年级2班）"/);
  assert.ok(sheetRows(files, 1).some((row) => row.includes('乙小一')));
  assert.ok(!sheetRows(files, 1).some((row) => row.includes('乙小二')));
  assert.ok(sheetRows(files, 2).some((row) => row.includes('乙小二')));
  assert.deepEqual(ctx.browser.errors, []);
});
