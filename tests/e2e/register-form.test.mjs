// The 2016 登记表 through the app: a filled official form (tests/fixtures/register-form.xlsx,
// written by crates/core/tests/register_form.rs) is recognised on import, its 民族, 身份证号,
// parents, carer and 监护情况 go into the archives, and the form exported again from 学校统计 has
// the same cells (values, merged headings, sign-off, summary) as the one imported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { session, fixToday, unzip } from './support.mjs';

const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/register-form.xlsx');
const ctx = session();
// The fixture's 填表日期.
const TODAY = new Date('2026-11-23T10:00:00+08:00');

/** A sheet's cells by reference (shared strings resolved) and its merged ranges. */
function sheet(files, name) {
  const strings = files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '';
  const shared = [...strings.matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((si) => [...si[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''));
  const xml = files.get(`xl/worksheets/${name}.xml`).toString('utf8');
  const cells = {};
  for (const [, ref, attrs, inner = ''] of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const value = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
    if (value !== undefined) cells[ref] = /t="s"/.test(attrs) ? shared[Number(value)] : value;
  }
  const merged = [...xml.matchAll(/<mergeCell ref="([^"]+)"/g)].map((m) => m[1]);
  return { cells, merged };
}

test('a filled 登记表 is imported and exported again with the same cells', async () => {
  const { page, context } = ctx.browser;
  await fixToday(context, TODAY);
  await page.goto(ctx.server.origin);
  await page.getByRole('link', { name: '导入名册' }).click();
  await page.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').setInputFiles(fixture);
  await page.getByText('已识别为《农村留守儿童基本情况登记表》，按官方表格的列读取。').waitFor();
  await page.getByText('将新增 4 名，更新 0 名；0 行有误，不导入。').waitFor();
  await page.getByRole('button', { name: '导入 4 名' }).click();
  await page.getByText('已导入：新增 4 名，更新 0 名。').waitFor();

  // The archive holds what the form said: 民族 by name, the mother unable to care.
  await page.goto(ctx.server.origin);
  await page.getByRole('link', { name: /王芳/ }).click();
  const identity = page.getByRole('region', { name: '身份与户籍' });
  await identity.getByText('苗族').waitFor();
  await identity.getByText('430521 20200901 0024').waitFor();
  await page.getByRole('region', { name: '母亲' }).getByText('在家但无监护能力（重病/重残）').waitFor();

  await page.goto(`${ctx.server.origin}/school`);
  await page.getByRole('link', { name: '上报用《农村留守儿童基本情况登记表》' }).click();
  await page.getByText('共 4 名留守儿童列入登记表').waitFor();
  await page.getByLabel('填报单位').fill('邵阳县李家村小学');
  await page.getByLabel('填表人').fill('陈老师');
  await page.getByLabel('复核人').fill('刘主任');
  await page.getByLabel('负责人').fill('王校长');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出登记表（Excel）' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), '农村留守儿童基本情况登记表-2026-11-23.xlsx');
  const exported = unzip(readFileSync(await download.path()));
  const imported = unzip(readFileSync(fixture));
  for (const name of ['sheet1', 'sheet2']) {
    const [ours, theirs] = [sheet(exported, name), sheet(imported, name)];
    assert.ok(Object.keys(theirs.cells).length > 100 || name === 'sheet2', `${name} holds the form`);
    assert.deepEqual(ours.cells, theirs.cells, `${name}: the same cells`);
    assert.deepEqual(ours.merged, theirs.merged, `${name}: the same merged headings`);
  }
  const figures = await page.evaluate(() => ['shouwang:register-data', 'shouwang:register-form']
    .map((n) => Math.round(performance.getEntriesByName(n).at(-1)?.duration ?? -1)));
  console.log(`PERF ${JSON.stringify({ formChildren: 4, readMs: figures[0], writeMs: figures[1] })}`);
  // The sign-off is remembered for the next export.
  await page.reload();
  await page.getByText('共 4 名留守儿童列入登记表').waitFor();
  assert.equal(await page.getByLabel('复核人').inputValue(), '刘主任');
});
