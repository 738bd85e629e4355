// 控辍保学 end to end, the date fixed: a child absent without reason Monday to Friday is flagged on
// the next working day on the school's 控辍保学 page; the care lead records the child as 疑似辍学
// (the child leaves the roster's 在校 list); a 劝返 attempt dated before the absence began is
// refused at its field with the typed draft kept, then saved; the 劝返复学通知书 prints filled from
// the archive and the ledger and is kept as issued; the child returns (复学) and the notice opened
// again is the one handed over; the 辍学学生情况报告表 to the bureau is filled from the archive, the
// status's 说明, the notice and the attempt; and October's monthly report — printed
// and downloaded — lists the case and its attempt, read back from the .xlsx; 关爱检查 counts the
// term's case, return and absences; the half-year 辍学情况统计表 counts each grade from 1 September
// to the day chosen (not a day to come), on screen and read back from its .xlsx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { session, addChild, addLeadAndTeacher, fixToday, rollCall, unzip, sheetRows } from './support.mjs';

const ctx = session();

test('a child absent a week is flagged, recorded 疑似辍学, persuaded back, and the month is reported', async () => {
  const { origin } = ctx.server;
  const { page, context } = ctx.browser;
  // Friday 16 October 2026, after the 国庆 holiday.
  await fixToday(context, new Date('2026-10-16T09:00:00+08:00'));
  await page.goto(origin);
  await addLeadAndTeacher(page);
  for (const name of ['乙小一', '乙小二']) {
    await page.goto(origin);
    await addChild(page, { name, gender: '男', birth: '2016-04-05', grade: '四年级', class: '1', village: '北村' });
  }
  // The guardian the notice is addressed to.
  await page.goto(origin);
  await page.getByRole('link', { name: /乙小一/ }).click();
  await page.waitForURL(/\/child\/[^/]+$/);
  const child = new URL(page.url()).pathname.split('/')[2];

  await context.setOffline(true);
  for (const day of ['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16']) {
    await rollCall(page, origin, day, [['乙小一', null]]);
    await page.getByText(/已保存：10月1\d日 考勤，缺勤 1 人/).waitFor();
  }
  await context.setOffline(false);

  // Monday: the school's page flags the child, not yet recorded.
  await fixToday(context, new Date('2026-10-19T09:00:00+08:00'));
  // Said where the teacher and the lead look every day, not only inside 控辍保学.
  for (const route of ['/week', '/dashboard']) {
    await page.goto(`${origin}${route}`);
    await page.locator('#dropout-alert', { hasText: '考勤预警：乙小一（四年级1班） 已达到疑似辍学标准，尚未登记。' }).waitFor();
  }
  await page.goto(`${origin}/dropouts`);
  const flagged = page.getByRole('region', { name: '考勤预警：待登记疑似辍学（1 人）' });
  await flagged.getByText('（10月16日 达到）').waitFor();
  await flagged.getByRole('link', { name: '乙小一（四年级1班）' }).click();

  const card = page.getByRole('region', { name: '学籍状态' });
  await card.getByText('疑似辍学', { exact: true }).click();
  await card.getByLabel('变更日期').fill('2026-10-19');
  await card.getByLabel('说明').fill('奶奶说孩子不愿上学，在家帮忙');
  await card.getByRole('button', { name: '登记状态变更' }).click();
  await card.getByText('疑似辍学（2026-10-19 起）').waitFor();
  // Stored before the page is left: the history above shows the change as soon as it is made.
  await card.getByText('已保存：学籍状态改为疑似辍学').waitFor();
  await page.goto(origin);
  await page.getByText('在校共 1 名儿童').waitFor();
  assert.equal(await page.locator('.group').getByText('乙小一').count(), 0, 'out of the 在校 list');
  await page.getByText('筛选', { exact: true }).click();
  await page.getByLabel('学籍状态').selectOption({ label: '疑似辍学' });
  await page.getByText('疑似辍学共 1 名儿童').waitFor();
  // Out of school, still the school's: counted in its figures and printed with the class.
  await page.goto(`${origin}/school`);
  await page.getByText('家庭情况未知 2 人（未计入留守儿童），需补充家庭情况：').waitFor();
  await page.goto(`${origin}/binders`);
  await page.getByRole('link', { name: '四年级1班（2 人）' }).waitFor();

  // The ledger: since when, how many days; an attempt dated before the absence is refused.
  await page.goto(`${origin}/child/${child}/persuasion`);
  await page.getByText('疑似辍学（2026-10-19 起）。缺勤开始：2026-10-12，无故缺勤 5 个上课日。').waitFor();
  await page.getByRole('link', { name: '记录一次劝返' }).click();
  await page.getByLabel('劝返日期').fill('2026-10-09');
  await page.getByText('家访', { exact: true }).click();
  await page.getByLabel('参与人员').fill('王芳、村委李主任');
  await page.getByLabel('劝返对象').fill('奶奶');
  await page.getByLabel('结果').selectOption({ label: '同意返校' });
  await page.getByLabel('下一步').fill('周二送孩子到校');
  await page.getByRole('button', { name: '保存劝返记录' }).click();
  await page.getByText('劝返日期不能早于缺勤开始的日期 2026-10-12').waitFor();
  assert.equal(await page.getByLabel('参与人员').inputValue(), '王芳、村委李主任', 'the draft is kept');
  // The phone locking itself (a reload, as the idle lock does) loses nothing typed.
  await page.reload();
  await page.getByText('已恢复上次未保存的内容。').waitFor();
  assert.equal(await page.getByLabel('参与人员').inputValue(), '王芳、村委李主任');
  assert.equal(await page.getByLabel('下一步').inputValue(), '周二送孩子到校');
  await page.getByLabel('劝返日期').fill('2026-10-19');
  await page.getByRole('button', { name: '保存劝返记录' }).click();
  await page.getByText('已保存：劝返记录').waitFor();
  await page.getByText('2026-10-19 · 家访 · 同意返校').waitFor();
  await page.getByText('参与人员：王芳、村委李主任；劝返对象：奶奶').waitFor();
  // Saved, its draft is gone: the next attempt starts blank.
  await page.getByRole('link', { name: '记录一次劝返' }).click();
  await page.getByLabel('参与人员').waitFor();
  assert.equal(await page.getByLabel('参与人员').inputValue(), '');
  assert.equal(await page.getByText('已恢复上次未保存的内容。').count(), 0);
  await page.goto(`${origin}/child/${child}/persuasion`);

  // The notice, filled from the archive and the ledger.
  await page.getByRole('link', { name: '打印劝返通知书' }).click();
  await page.getByRole('heading', { name: '劝返复学通知书' }).waitFor();
  await page.getByText('您的孩子 乙小一（四年级1班）自 2026年10月12日 起未到校上课，至今已无故缺课 5 个上课日。').waitFor();
  await page.getByText('请您接到本通知后，于 2026年10月22日 前送孩子返校上课。如有困难，请及时与学校联系，学校将尽力帮助解决。').waitFor();
  await page.getByRole('heading', { name: '回执' }).waitFor();
  // 发出并打印 keeps it in her records as printed, then prints.
  await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
  await page.getByRole('button', { name: '发出并打印' }).click();
  await page.getByText('已存入劝返记录（限 2026年10月22日 前返校）。送达家长后，请在“记录一次劝返”中记一笔，方式选“书面通知（劝返通知书）”。').waitFor();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await page.getByRole('button', { name: '10月19日发出，限10月22日' }).waitFor();
  await page.getByText('这是 2026年10月19日 发出时的通知书，内容不随之后的考勤改变。').waitFor();
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/notice-issued.png` });

  // The written report to the bureau and the township, filled from the archive, the status
  // recorded, the notice and the attempt.
  await page.goto(`${origin}/child/${child}/persuasion`);
  await page.getByRole('link', { name: '辍学学生情况报告表' }).click();
  await page.getByRole('heading', { name: '辍学学生情况报告表' }).waitFor();
  const reportLine = async (caption, label, value) => {
    const row = page.getByRole('table', { name: caption }).getByRole('row', { name: label });
    assert.equal((await row.getByRole('cell').innerText()).trim(), value, `${caption} · ${label}`);
  };
  await reportLine('学生基本情况', '姓名', '乙小一');
  await reportLine('学生基本情况', '性别', '男');
  await reportLine('学生基本情况', '出生日期', '2016年4月5日');
  await reportLine('学生基本情况', '年级班级', '四年级1班');
  await reportLine('学生基本情况', '家庭住址', '北村');
  await reportLine('家庭情况', '母亲', '未记录');
  await reportLine('辍学情况', '开始缺课日期', '2026年10月12日');
  await reportLine('辍学情况', '无故缺课', '5 个上课日');
  await reportLine('辍学情况', '登记日期', '2026年10月19日');
  await reportLine('辍学情况', '目前状态', '疑似辍学');
  await reportLine('辍学情况', '劝返复学通知书', '2026年10月19日发出，限2026年10月22日前返校');
  await reportLine('辍学情况', '辍学原因', '奶奶说孩子不愿上学，在家帮忙');
  await reportLine('劝返经过', '2026年10月19日', '家访；参与人员：王芳、村委李主任；劝返对象：奶奶；结果：同意返校');
  await page.getByText('班主任（签字）：__________　校长（签字）：__________').waitFor();
  await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
  await page.getByRole('button', { name: '打印报告表' }).click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/case-report.png`, fullPage: true });

  // Back at school: 复学 closes the case.
  await page.goto(`${origin}/child/${child}`);
  await card.getByText('复学', { exact: true }).click();
  await card.getByLabel('变更日期').fill('2026-10-19');
  await card.getByRole('button', { name: '登记状态变更' }).click();
  await card.getByText('复学（2026-10-19 起）').waitFor();
  await card.getByText('已保存：学籍状态改为复学').waitFor();
  mkdirSync('artifacts/screens', { recursive: true });
  await card.screenshot({ path: 'artifacts/screens/status-saved.png' });
  await page.goto(`${origin}/child/${child}/persuasion`);
  await page.getByText(/^已结案：复学（2026-10-19）。/).waitFor();
  await page.getByText('已发出劝返复学通知书：2026-10-19（限 2026-10-22 前返校）').waitFor();
  // Opened again after 复学, the notice is the one handed over, and no new one is offered.
  await page.getByRole('link', { name: '打印劝返通知书' }).click();
  await page.getByText('这是 2026年10月19日 发出时的通知书，内容不随之后的考勤改变。').waitFor();
  await page.getByText('您的孩子 乙小一（四年级1班）自 2026年10月12日 起未到校上课，至今已无故缺课 5 个上课日。').waitFor();
  await page.getByRole('button', { name: '重新打印' }).waitFor();
  assert.equal(await page.getByRole('button', { name: '发出并打印' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: '按今天的情况填写新通知书' }).count(), 0);
  // Back in school, the run that was dealt with flags her no more.
  await page.goto(`${origin}/dropouts`);
  await page.getByText(/^考勤预警：没有未登记的疑似辍学儿童/).waitFor();
  await page.goto(`${origin}/week`);
  await page.getByRole('heading', { name: '我的一周' }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.locator('#dropout-alert').count(), 0, 'no warning once she is back');

  // 关爱检查 counts the term's case, return and absences.
  await page.goto(`${origin}/dashboard`);
  await page.getByText('疑似辍学 0 人，辍学 0 人，休学 0 人；本学期登记疑似辍学 1 人，劝返复学 1 人，确认辍学 0 人。').waitFor();
  await page.getByText('本学期缺勤 5 人天：病假 0，事假 0，无故缺勤 5。').waitFor();

  // October's report, on screen and as a workbook.
  await page.goto(`${origin}/dropouts`);
  await page.getByLabel('月份').fill('2026-10');
  await page.getByLabel('月份').dispatchEvent('change');
  await page.getByRole('heading', { name: '控辍保学月报（2026年10月）' }).waitFor();
  const suspectedSheet = page.getByRole('region', { name: '疑似辍学台账' });
  await suspectedSheet.getByRole('cell', { name: '乙小一' }).waitFor();
  await suspectedSheet.getByRole('cell', { name: '10月19日 家访（王芳、村委李主任；奶奶）：同意返校' }).waitFor();
  await page.getByRole('region', { name: '入学率与巩固率' }).getByRole('cell', { name: '100', exact: true }).first().waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出月报（Excel）' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), '控辍保学月报-2026年10月.xlsx');
  const files = unzip(readFileSync(await download.path()));
  const ledger = sheetRows(files, 1);
  assert.equal(ledger[0][3], '姓名');
  const row = ledger.find((r) => r.includes('乙小一'));
  assert.ok(row, `the child is in the 疑似辍学台账: ${JSON.stringify(ledger)}`);
  assert.equal(row[14], '10月19日 家访（王芳、村委李主任；奶奶）：同意返校');
  assert.equal(row[13], '1', 'one attempt');
  assert.equal(row[10], '5', 'five school days absent');
  const attempts = sheetRows(files, 3);
  assert.deepEqual(attempts[1].slice(0, 2), ['四年级1班', '乙小一']);
  const rates = sheetRows(files, 4);
  assert.deepEqual(rates.find((r) => r[0] === '入学率（%）'), ['入学率（%）', '100']);

  // The half-year 辍学情况统计表: the school year from 1 September to the day chosen, by grade.
  await page.getByRole('link', { name: '辍学情况统计表（每年3月、9月报县教育局）' }).click();
  await page.getByRole('heading', { name: '辍学情况统计表', level: 2 }).waitFor();
  await page.getByText('统计时段：2026年9月1日 至 2026年10月19日').waitFor();
  const counted = page.getByRole('region', { name: '各年级辍学情况' });
  const cells = async (name) => counted.getByRole('row', { name: new RegExp(`^${name} `) }).getByRole('cell').allInnerTexts();
  // 学年初在册 2, 转入 0, 转出 0, 在校 2, 休学 0, 疑似辍学 0, 辍学 0, 登记疑似辍学 1, 劝返复学 1, 巩固率 100.
  assert.deepEqual(await cells('四年级'), ['四年级', '2', '0', '0', '2', '0', '0', '0', '1', '1', '100']);
  assert.deepEqual(await cells('合计'), ['合计', '2', '0', '0', '2', '0', '0', '0', '1', '1', '100']);
  await page.getByLabel('统计截止日期').fill('2026-10-20');
  await page.getByLabel('统计截止日期').dispatchEvent('change');
  await page.getByText('统计截止日期不能晚于今天').waitFor();
  await page.getByLabel('统计截止日期').fill('2026-10-16');
  await page.getByLabel('统计截止日期').dispatchEvent('change');
  // The Friday before: not yet recorded, so nobody counted 疑似辍学.
  await page.getByText('统计时段：2026年9月1日 至 2026年10月16日').waitFor();
  assert.deepEqual(await cells('四年级'), ['四年级', '2', '0', '0', '2', '0', '0', '0', '0', '0', '100']);
  const [half] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出统计表（Excel）' }).click(),
  ]);
  assert.equal(half.suggestedFilename(), '辍学情况统计表-2026年10月16日.xlsx');
  const halfRows = sheetRows(unzip(readFileSync(await half.path())), 1);
  assert.equal(halfRows[0][0], '年级');
  assert.deepEqual(halfRows.find((r) => r[0] === '合计').slice(0, 2), ['合计', '2']);
  assert.deepEqual(ctx.browser.errors, []);
});
