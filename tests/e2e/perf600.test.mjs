// A whole school of 600 on one phone: importing 600 rows, then how long each keystroke of a
// search takes until the list has been redrawn. Figures are printed as `PERF {...}` lines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, startBrowser, median } from './support.mjs';

const SCHOOL = 600;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['小明', '小红', '子涵', '浩然', '欣怡', '宇轩', '梓萱', '俊杰', '思远', '雨桐', '佳怡', '志强'];

let server;
let browser;
let dir;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
  dir = mkdtempSync(path.join(tmpdir(), 'shouwang-600-'));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function schoolCsv() {
  const rows = ['学籍号,姓名,性别,出生日期,年级,班级,家庭住址'];
  for (let i = 0; i < SCHOOL; i += 1) {
    const name = `${SURNAMES[i % 20]}${GIVEN[Math.floor(i / 20) % 12]}${i >= 240 ? SURNAMES[(i * 7) % 20] : ''}`;
    const grade = 1 + (i % 6);
    rows.push([`G${String(i).padStart(12, '0')}`, name, i % 2 ? '女' : '男', `${2020 - grade}-0${1 + (i % 9)}-1${i % 10}`,
      String(grade), String(1 + (i % 4)), `${SURNAMES[i % 10]}家村${1 + (i % 5)}组`].join(','));
  }
  return `${rows.join('\n')}\n`;
}

test(`a school of ${SCHOOL} imports and a search answers each keystroke quickly`, async () => {
  const { page } = browser;
  const file = path.join(dir, 'school.csv');
  writeFileSync(file, schoolCsv());
  await page.goto(`${server.origin}/import`);
  await page.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').setInputFiles(file);
  await page.getByText(`将新增 ${SCHOOL} 名，更新 0 名；0 行有误，不导入。`).waitFor();
  await page.getByRole('button', { name: `导入 ${SCHOOL} 名` }).click();
  await page.getByText(`已导入：新增 ${SCHOOL} 名，更新 0 名。`).waitFor({ timeout: 60_000 });
  const importMs = await page.evaluate(() => performance.getEntriesByName('shouwang:import')[0].duration);

  await page.goto(server.origin);
  await page.getByText(`共 ${SCHOOL} 名儿童`).waitFor();
  const listMs = await page.evaluate(() => performance.now());
  // Each keystroke: from the input event until the next frame after the list was redrawn.
  const perKey = await page.evaluate(async (query) => {
    const input = document.getElementById('search');
    const times = [];
    for (let i = 1; i <= query.length; i += 1) {
      const start = performance.now();
      input.value = query.slice(0, i);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      times.push(performance.now() - start);
    }
    return times;
  }, 'zhangxm');
  const found = await page.locator('.child-name').allTextContents();
  assert.ok(found.length > 0 && found.every((n) => n.startsWith('张小明')), found.join(','));
  const filterOnly = await page.evaluate(() => performance.getEntriesByName('shouwang:search').slice(-7).map((e) => e.duration));
  const report = {
    children: SCHOOL,
    importMs: Math.round(importMs),
    rosterOpenMs: Math.round(listMs),
    keystrokeMedianMs: Math.round(median(perKey)),
    keystrokeMaxMs: Math.round(Math.max(...perKey)),
    filterOnlyMedianMs: Math.round(median(filterOnly) * 10) / 10,
  };
  console.log(`PERF ${JSON.stringify(report)}`);
  assert.ok(report.keystrokeMaxMs < 1000, `slowest keystroke ${report.keystrokeMaxMs} ms`);
});
