// The term's paperwork for a class of 40: the class's inspection binders print as one job (a cover,
// a contents list, every child's binder, a home visit on the paper 家访记录表 with the lead's check), counted in A4 pages
// of Chromium's PDF; the narrative term summary carries the figures the term report computes, the
// lead's edit survives a reload, prints without an emptied paragraph and downloads as .docx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { session, addLeadAndTeacher, fixToday, unzip } from './support.mjs';

const ctx = session();
const TODAY = new Date('2026-11-24T10:00:00+08:00');
const SURNAMES = '王李张刘陈杨赵黄周吴';
const GIVEN = ['小明', '小红', '子涵', '雨桐'];
// 40 children of 四年级1班, as the registry exports them.
const CLASS = SURNAMES.split('').flatMap((s) => GIVEN.map((g) => `${s}${g}`));

/** The class list as a UTF-8 .csv the import screen reads. */
function classCsv() {
  const rows = CLASS.map((name, i) => `${name},${i % 2 ? '女' : '男'},2016-0${(i % 9) + 1}-15,四年级,1,石门村${(i % 5) + 1}组`);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'shouwang-class-')), '四年级1班.csv');
  writeFileSync(file, ['姓名,性别,出生日期,年级,班级,村/组', ...rows].join('\n'));
  return file;
}

/** Pages of a PDF: its page objects (`/Type /Page`, not the `/Pages` tree). */
function pdfPages(bytes) {
  return (bytes.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

test('a class of 40 is imported and one child has a home visit', async () => {
  const { page, context } = ctx.browser;
  await fixToday(context, TODAY);
  await page.goto(ctx.server.origin);
  await addLeadAndTeacher(page);
  await page.goto(`${ctx.server.origin}/import`);
  await page.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').setInputFiles(classCsv());
  await page.getByRole('button', { name: '导入 40 名' }).click();
  await page.getByText('已导入：新增 40 名，更新 0 名。').waitFor();

  await page.goto(ctx.server.origin);
  await page.getByRole('link', { name: /王小明/ }).first().click();
  await page.getByRole('link', { name: '关爱记录' }).click();
  await page.getByRole('link', { name: '＋ 记录家访' }).click();
  await page.getByLabel('家访日期', { exact: true }).fill('2026-11-24');
  await page.getByText('监护人', { exact: true }).click();
  await page.getByRole('button', { name: '作业无人辅导' }).click();
  await page.getByRole('button', { name: '保存家访记录' }).click();
  await page.getByText('已保存：家访记录').waitFor();
  // 关爱检查 lists it among the term's visits not checked yet, a tap from the child's records,
  // where the lead checks it (学校检查); the paper form carries her check.
  await page.goto(`${ctx.server.origin}/dashboard`);
  await page.locator('#checks-summary').getByText('本学期家访记录 1 份，学校已检查 0 份，未检查 1 份。').waitFor({ timeout: 60_000 });
  if (process.env.SCREENSHOTS) {
    await page.locator('#checks-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'dashboard-unchecked.png') });
  }
  await page.locator('#unchecked-visits li', { hasText: '11月24日 张主任的家访' }).getByRole('link', { name: '王小明' }).click();
  const record = page.locator('li.record', { hasText: '家访' }).first();
  await record.locator('summary').click();
  await record.getByLabel('检查意见（可不填）').fill('家访记录完整');
  await record.getByRole('button', { name: '已检查' }).click();
  await record.getByText('已保存：已检查').waitFor();
  await page.goto(`${ctx.server.origin}/dashboard`);
  await page.locator('#checks-summary').getByText('本学期家访记录 1 份，学校已检查 1 份，未检查 0 份。').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#unchecked-visits').count(), 0);
  assert.deepEqual(ctx.browser.errors, []);
});

test('the class binder prints every child after a cover and contents, the visit on the paper form', async () => {
  const { page } = ctx.browser;
  await page.goto(`${ctx.server.origin}/dashboard`);
  await page.getByRole('link', { name: '打印档案袋' }).click();
  await page.getByRole('link', { name: '四年级1班（40 人）' }).click();
  await page.locator('#binder-contents').waitFor({ timeout: 60_000 });

  const cover = page.locator('#binder-cover');
  await cover.getByRole('row', { name: '班级 四年级1班' }).waitFor();
  await cover.getByRole('row', { name: '学期 2026年秋季学期' }).waitFor();
  await cover.getByRole('row', { name: '人数 40 名' }).waitFor();
  const contents = await page.locator('#binder-contents tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual([...contents].sort(), [...CLASS].sort());
  // Every child's binder, each its archive, in the contents' order.
  const children = page.locator('section.binder-child');
  assert.equal(await children.count(), 40);
  assert.deepEqual(await children.evaluateAll((all) => all.map((s) => s.getAttribute('aria-label'))), contents);
  assert.equal(await children.filter({ hasText: '留守儿童档案' }).count(), 40);

  // 王小明's visit on the 家访记录表: the child, the place from the archive, who was met.
  const visit = page.locator('section.binder-child[aria-label="王小明"] .visit-form');
  await visit.getByRole('row', { name: /学生姓名 王小明 班级 四年级1班/ }).waitFor();
  await visit.getByRole('row', { name: /家访时间 2026年11月24日 家访地点 石门村1组/ }).waitFor();
  await visit.getByRole('row', { name: /家访对象 监护人/ }).waitFor();
  await visit.getByText('在家学习：作业无人辅导').waitFor();
  await visit.getByRole('row', { name: /^学校检查意见 张主任 \d+月\d+日 已检查：家访记录完整$/ }).waitFor();
  const row = page.locator('#binder-contents tbody tr').filter({ hasText: '王小明' });
  assert.equal(await row.locator('td').nth(4).textContent(), '1');

  const pdf = await page.pdf({ format: 'A4' });
  const pages = pdfPages(pdf);
  console.log(`PERF ${JSON.stringify({ classBinderChildren: 40, classBinderA4Pages: pages })}`);
  // A cover, the contents and at least a page per child and one for the visit.
  assert.ok(pages >= 43, `${pages} pages`);
  assert.deepEqual(ctx.browser.errors, []);
});

test('the term summary states the report’s figures; the lead’s edit is kept, printed and exported', async () => {
  const { page } = ctx.browser;
  // The figures as the term report's table computes them for the class.
  await page.goto(`${ctx.server.origin}/school/report`);
  const classRow = page.getByRole('region', { name: '关爱落实（班级）' }).getByRole('row', { name: /四年级1班/ });
  await classRow.waitFor({ timeout: 60_000 });
  const cells = await classRow.locator('td').allTextContents();
  const [visitsDue, visitsDone] = [cells[1], cells[2]];
  assert.equal(visitsDone, '1');

  await page.goto(`${ctx.server.origin}/dashboard`);
  await page.getByRole('link', { name: '工作总结' }).click();
  await page.getByRole('heading', { name: '2026年秋季学期关爱留守儿童工作总结' }).waitFor();
  const text = (id) => page.locator(`#summary-${id}`).inputValue();
  assert.match(await text('intro'), /本学期（2026年9月1日至2027年1月20日）/);
  assert.match(await text('children'), /另有40名学生的家庭情况尚未填写/);
  assert.match(await text('visits'), new RegExp(`本学期共家访1次.*应家访${visitsDue}人次，按期完成${visitsDone}人次`));
  // The school's own check of the visit is part of the term's work.
  assert.match(await text('visits'), /学校定期检查家访记录，已检查1份。$/);
  assert.match(await text('pairing'), /纳入关爱的40名学生中已有0名落实了结对帮扶教师或代理家长/);

  // The lead rewrites the closing and empties the pairing paragraph, then is called away before
  // saving: back on the page, what was typed is there, kept as a draft.
  await page.locator('#summary-closing').fill('下学期，我们将为每一名留守儿童落实结对帮扶教师。');
  await page.locator('#summary-pairing').fill('');
  await page.getByRole('link', { name: '返回关爱检查' }).click();
  await page.getByRole('heading', { level: 1, name: '关爱检查' }).waitFor();
  await page.getByRole('link', { name: '工作总结' }).click();
  await page.getByText('已恢复上次未保存的内容。').waitFor();
  await page.waitForFunction(() => document.querySelector('#summary-closing')?.value === '下学期，我们将为每一名留守儿童落实结对帮扶教师。');
  assert.equal(await text('pairing'), '');
  // Saved, then reloaded: both stay, and no draft is offered again.
  await page.getByRole('button', { name: '保存修改' }).click();
  await page.getByText('已保存').waitFor();
  await page.reload();
  await page.getByRole('heading', { name: '2026年秋季学期关爱留守儿童工作总结' }).waitFor();
  assert.equal(await text('closing'), '下学期，我们将为每一名留守儿童落实结对帮扶教师。');
  assert.equal(await text('pairing'), '');
  assert.equal(await page.getByText('已恢复上次未保存的内容。').count(), 0);

  // On paper: the text alone, the emptied paragraph gone and the numbers closed up.
  await page.emulateMedia({ media: 'print' });
  const printed = page.locator('#summary-text');
  assert.ok(await printed.isVisible());
  const headings = await printed.locator('h3').allTextContents();
  assert.deepEqual(headings.slice(0, 2), ['一、摸清底数，建档立卡', '二、定期家访，了解实情']);
  assert.ok(!headings.some((h) => h.includes('结对帮扶，责任到人')));
  await printed.getByText('下学期，我们将为每一名留守儿童落实结对帮扶教师。').waitFor();
  await page.emulateMedia({ media: 'screen' });

  // The Word file holds the same text.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出 Word' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), '2026年秋季学期关爱留守儿童工作总结.docx');
  const xml = unzip(readFileSync(await download.path())).get('word/document.xml').toString('utf8');
  assert.ok(xml.includes('二、定期家访，了解实情'));
  assert.ok(xml.includes(`应家访${visitsDue}人次，按期完成${visitsDone}人次`));
  assert.ok(xml.includes('下学期，我们将为每一名留守儿童落实结对帮扶教师。'));
  assert.deepEqual(ctx.browser.errors, []);
});
