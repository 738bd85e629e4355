// A care lead imports the class list from the registry's .xlsx: a preview, bad rows reported by row
// and column, 38 children added; importing again updates them instead of adding duplicates; one
// archive filled to complete moves the class's 建档率.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { session } from './support.mjs';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/class-40.xlsx');
const ctx = session();

async function importFixture(page, expectPreview, expectDone) {
  await page.goto(ctx.server.origin);
  await page.getByRole('link', { name: '导入名册' }).click();
  await page.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').setInputFiles(fixture);
  await page.getByText(expectPreview).waitFor();
  await page.getByRole('button', { name: /^导入 \d+ 名$/ }).click();
  await page.getByText(expectDone).waitFor();
}

test('a class of 40 is imported with its two bad rows reported', async () => {
  const { page } = ctx.browser;
  // The two rows left out are named after the import too, not only in the preview that goes.
  await importFixture(page, '将新增 38 名，更新 0 名；2 行有误，不导入。',
    /^已导入：新增 38 名，更新 0 名。另有 2 行有误未导入：第 7 行（\S+）、第 12 行（\S+）。请改正表格中的这些行后再导入一次（已导入的儿童不会重复）。$/);
  const ms = await page.evaluate(() => performance.getEntriesByName('shouwang:import').map((e) => e.duration));
  console.log(`PERF ${JSON.stringify({ importRows: 38, importMs: Math.round(ms[0]) })}`);
  await page.goto(ctx.server.origin);
  await page.getByText('共 38 名儿童').waitFor();
});

test('the report names each bad row and column; importing again updates, never duplicates', async () => {
  const { page } = ctx.browser;
  await page.goto(`${ctx.server.origin}/import`);
  await page.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').setInputFiles(fixture);
  await page.getByText(/^第 7 行（\S+） · 出生日期：出生日期不能晚于今天$/).waitFor();
  await page.getByText(/^第 12 行（\S+） · 班级：班级请填写数字，例如 2$/).waitFor();
  await page.getByText('将新增 0 名，更新 38 名；2 行有误，不导入。').waitFor();
  await page.getByRole('button', { name: '导入 38 名' }).click();
  await page.getByText(/^已导入：新增 0 名，更新 38 名。另有 2 行有误未导入/).waitFor();
  await page.goto(ctx.server.origin);
  await page.getByText('共 38 名儿童').waitFor();
});

test('completing one archive moves the class rate, and initials find the child', async () => {
  const { page } = ctx.browser;
  await page.goto(`${ctx.server.origin}/school`);
  // The registry's list has no family facts: none is called 留守 yet, all are listed as needing them.
  await page.getByText('留守儿童 0 人，学校关爱对象（非留守）0 人，建档率 0.0%').waitFor();
  await page.getByText('家庭情况未知 38 人（未计入留守儿童），需补充家庭情况：').waitFor();
  // A long list of names comes a screenful at a time, the rest a tap away.
  const unknown = page.locator('#needs-facts').getByRole('link');
  assert.equal(await unknown.count(), 20);
  await page.locator('#needs-facts').getByRole('button', { name: '显示更多（还有 18 名）' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#needs-facts a').length === 38);
  assert.equal(await page.locator('#needs-facts').getByRole('button', { name: /显示更多/ }).count(), 0);
  // 关爱检查 lists the same children above what is overdue, as far down as the teacher asks; a
  // roster imported today has no parents out of touch yet (the school's 14 days have not passed).
  await page.goto(`${ctx.server.origin}/dashboard`);
  const section = page.getByRole('region', { name: '需补充家庭情况（38 人）' });
  await section.locator('#needs-facts li').first().waitFor();
  assert.equal(await section.locator('#needs-facts li').count(), 20);
  await section.getByRole('button', { name: '显示更多（还有 18 名）' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#needs-facts li').length === 38);
  await page.getByRole('region', { name: '父母失联' }).getByText('没有失联的家长。').waitFor();
  await page.getByRole('heading', { name: '逾期与近期应做（按儿童）' }).waitFor();
  // 结对帮扶's overview too, a row a child.
  await page.goto(`${ctx.server.origin}/pairing`);
  const overview = page.getByRole('region', { name: '结对一览' });
  await overview.locator('tbody tr').first().waitFor();
  assert.equal(await overview.locator('tbody tr').count(), 20);
  await overview.getByRole('button', { name: '显示更多（还有 18 名）' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#overview-title ~ .table-scroll tbody tr').length === 38);
  await page.goto(ctx.server.origin);
  await page.getByLabel('查找儿童（姓名、拼音或首字母）').fill('zzh');
  assert.deepEqual(await page.locator('.child-name').allTextContents(), ['张子涵2']);
  await page.getByRole('link', { name: /张子涵2/ }).click();
  await page.getByText('五个清楚：1/5').waitFor();

  const fill = async (title, steps) => {
    const section = page.getByRole('region', { name: title });
    await section.getByRole('button', { name: `编辑${title}` }).click();
    for (const [label, value, select] of steps) {
      if (select) await section.getByLabel(label).selectOption({ label: value });
      else await section.getByLabel(label).fill(value);
    }
    await section.getByRole('button', { name: '保存' }).click();
    await section.getByRole('button', { name: `编辑${title}` }).waitFor();
  };
  await fill('性格与兴趣', [['性格特点', '活泼'], ['兴趣爱好', '踢球']]);
  await fill('健康状况', [['身体情况', '健康', true]]);
  await fill('父亲', [['现状', '外出务工', true], ['电话', '13800138000']]);
  await fill('母亲', [['现状', '在家', true], ['电话', '13900139000']]);
  await page.getByText('五个清楚：5/5').waitFor();

  await page.goto(`${ctx.server.origin}/school`);
  // Father away, mother at home: cared for by the school, not 留守 by the official definition.
  await page.getByText('留守儿童 0 人，学校关爱对象（非留守）1 人，建档率 2.6%').waitFor();
  const classRow = page.getByRole('row', { name: /三年级1班/ }).first();
  assert.match(await classRow.innerText(), /19\s+5\.3%/);
  assert.deepEqual(ctx.browser.errors, []);
});

test('a class list with a title above its headings is read from the headings down', async () => {
  const { page } = ctx.browser;
  await page.goto(`${ctx.server.origin}/import`);
  // As a school secretary saves it: the list's title and date above the column headings.
  const csv = '石门小学2026年秋季四年级留守儿童名册,,,,,\n填表日期：2026-09-01,,,,,\n'
    + '姓名,性别,出生日期,年级,班级,家庭住址\n周小雨,女,2016-03-04,4,1,东村\n吴天明,男,2015-11-20,4,1,西村\n';
  await page.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').setInputFiles({
    name: '四年级名册.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8'),
  });
  await page.getByText('将新增 2 名，更新 0 名').waitFor();
  await page.getByRole('button', { name: '导入 2 名' }).click();
  await page.getByText('已导入：新增 2 名，更新 0 名。').waitFor();
  await page.goto(ctx.server.origin);
  await page.getByRole('link', { name: /周小雨/ }).waitFor();
  assert.deepEqual(ctx.browser.errors, []);
});

test('a school\'s own list brings the parents away and the guardian into the archive', async () => {
  const { page } = ctx.browser;
  await page.goto(`${ctx.server.origin}/import`);
  // One 班级 column for grade and class, and the family beside the child, as schools keep it.
  const csv = '姓名,性别,出生日期,班级,父亲姓名,父亲电话,父亲务工地,母亲姓名,母亲务工地,监护人,与儿童关系,监护人电话\n'
    + '刘小雨,女,2016-03-02,四年级2班,刘大山,13800138000,广东省东莞市,陈秀英,浙江宁波,刘德福,爷爷,13900139000\n'
    + '王浩然,男,2016-05-06,四年级2班,王强,1380013,广东深圳,,,,,\n';
  await page.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').setInputFiles({
    name: '四年级二班.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8'),
  });
  assert.equal(await page.getByLabel('表格列“父亲务工地”是').inputValue(), '父亲务工地');
  assert.equal(await page.getByLabel('表格列“与儿童关系”是').inputValue(), '监护人与儿童关系');
  await page.getByText('将新增 1 名，更新 0 名；1 行有误，不导入。').waitFor();
  await page.getByText(/^第 3 行（王浩然） · 父亲电话：/).waitFor();
  // What the parents' columns make of her is said before she is counted.
  await page.locator('#import-categories').getByText('新增的儿童按表格中的父母情况：双亲外出 1 名（留守儿童）。').waitFor();
  if (process.env.SCREENSHOTS) {
    await page.getByText(/^第 3 行（王浩然）/).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'import-family.png') });
  }
  await page.getByRole('button', { name: '导入 1 名' }).click();
  await page.getByText('已导入：新增 1 名，更新 0 名。另有 1 行有误未导入：第 3 行（王浩然）。', { exact: false }).waitFor();
  if (process.env.SCREENSHOTS) await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'import-done.png') });
  await page.goto(ctx.server.origin);
  // Both parents away: 留守 at once, not 家庭情况未知.
  await page.locator('a.child-row', { hasText: '刘小雨' }).getByText('双亲外出').waitFor();
  await page.locator('a.child-row', { hasText: '刘小雨' }).click();
  const father = page.getByRole('region', { name: '父亲' });
  await father.getByText('刘大山').waitFor();
  await father.getByText('外出务工').waitFor();
  await father.getByText('13800138000').waitFor();
  await page.getByRole('region', { name: /^监护人/ }).getByText('刘德福').waitFor();
  // On the term report's roster (the bureau workbook's sheet), 五个清楚缺项 names what the school
  // is still to find out about her, not how many.
  await page.goto(`${ctx.server.origin}/school/report`);
  const row = page.getByRole('row', { name: /刘小雨/ });
  await row.getByRole('cell', { name: '基本信息、性格特征、兴趣爱好、健康状况、父母及监护人联系方式', exact: true }).waitFor();
  assert.deepEqual(ctx.browser.errors, []);
});
