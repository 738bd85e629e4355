// The county (教育局) sees its schools' figures: two schools' care leads open their 关爱检查, which
// publishes the school's counts; an officer logs in on /county with a one-time code and sees each
// school and a total equal to the sum of the two dashboards — and no child's name anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, addChild, editSection } from './support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced } from './sync-support.mjs';

const server = schoolServer();
const ctx = {};

before(async () => {
  await server.start();
  ctx.a = makeSchool(server, '石桥小学', [{ name: '张主任', role: 'lead' }]);
  ctx.b = makeSchool(server, '河口小学', [{ name: '李主任', role: 'lead' }]);
  ctx.c = makeSchool(server, '坪上小学', [{ name: '赵主任', role: 'lead' }]);
  ctx.county = server.cli('county', 'create', '--name', '清水县教育局',
    '--school', ctx.a.school.id, '--school', ctx.b.school.id);
  ctx.officer = server.cli('county', 'officer', '--county', ctx.county.id, '--name', '王科长');
  ctx.leadA = await startBrowser();
  ctx.leadB = await startBrowser();
  ctx.bureau = await startBrowser();
});

after(async () => {
  for (const b of [ctx.leadA, ctx.leadB, ctx.bureau]) await b?.close();
  await server.kill();
  server.cleanup();
});

/** The counts a school's own 关爱检查 shows, once it has been computed (and published). */
async function dashboardCounts(page) {
  await page.goto(`${server.origin}/dashboard`);
  const text = await page.locator('#dashboard-summary').innerText();
  // The lead is told the county gets counts only, and as of when.
  await page.locator('#published', { hasText: /^本校上报教育局的汇总统计（只有人数，不含儿童信息）已更新到 \d{4}-\d{2}-\d{2}，同步后送达。$/ }).waitFor();
  const number = (re) => Number((re.exec(text) ?? [0, 0])[1]);
  // Children nobody has written a record about are not "unreadable" (their records documents,
  // asked of the server, are held empty on a lead's phone).
  assert.equal(await page.getByText(/记录无法读取/).count(), 0, 'no false alarm');
  // The roster shows the sync state: the published figures reach the server.
  await page.goto(server.origin);
  await waitSynced(page);
  return {
    leftBehind: number(/留守儿童 (\d+) 人/),
    watched: number(/学校关爱对象（非留守）(\d+) 人/),
    unknown: number(/家庭情况未知 (\d+) 人/),
  };
}

test("the county's total is the sum of its schools' dashboards, with no child in it", async () => {
  const origin = server.origin;
  const a = ctx.leadA.page;
  await enrol(a, origin, ctx.a.teachers[0].code, '张主任的手机');
  await a.goto(origin);
  await addChild(a, { name: '张小明', gender: '男', birth: '2014-03-05', grade: '三年级', class: '2' });
  await addChild(a, { name: '刘小红', gender: '女', birth: '2015-06-01', grade: '二年级', class: '1' });
  await a.getByRole('link', { name: /张小明/ }).click();
  for (const parent of ['父亲', '母亲']) {
    await editSection(a, parent, (s) => s.getByLabel('现状').selectOption({ label: '外出务工' }));
  }
  await a.getByText('双亲外出', { exact: true }).waitFor();
  const countsA = await dashboardCounts(a);
  assert.deepEqual(countsA, { leftBehind: 1, watched: 0, unknown: 1 });

  const b = ctx.leadB.page;
  await enrol(b, origin, ctx.b.teachers[0].code, '李主任的手机');
  await b.goto(origin);
  await addChild(b, { name: '陈小军', gender: '男', birth: '2013-09-09', grade: '四年级', class: '1' });
  const countsB = await dashboardCounts(b);

  // The bureau's browser has no PIN and no school: the county screen opens on its own.
  const page = ctx.bureau.page;
  page.autoUnlock = false;
  await page.goto(`${origin}/county`);
  await page.getByRole('heading', { name: '教育局统计' }).waitFor();
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('请输入教育局管理员给的登记码').waitFor();
  await page.getByLabel('登记码').fill('WRONG123');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#county-code-error').filter({ hasText: /\S/ }).waitFor();
  await page.getByLabel('登记码').fill(ctx.officer.code);
  await page.getByLabel('本机名称（可不填）').fill('科室电脑');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('清水县教育局 · 王科长').waitFor();
  await page.getByRole('heading', { name: '全县合计（2 / 2 所学校已上报）' }).waitFor();

  const sum = (key) => countsA[key] + countsB[key];
  const total = page.getByRole('table', { name: '全县合计数字' });
  for (const [label, key] of [['留守儿童', 'leftBehind'], ['学校关爱对象（非留守）', 'watched'], ['家庭情况未知', 'unknown']]) {
    await total.getByRole('row', { name: `${label} ${sum(key)} 人`, exact: true }).waitFor();
  }
  const schools = page.getByRole('region', { name: '各校' });
  await schools.getByRole('row', { name: /石桥小学/ }).waitFor();
  await schools.getByRole('row', { name: /河口小学/ }).waitFor();
  assert.equal(await page.getByText('坪上小学').count(), 0, 'a school of another county is not listed');
  // By category, the children in the schools' care: no 非留守 row, always 0 here.
  const byCategory = page.getByRole('region', { name: '按类别' });
  await byCategory.locator('th', { hasText: /^双亲外出$/ }).waitFor();
  assert.equal(await byCategory.locator('th', { hasText: /^非留守$/ }).count(), 0);
  const body = await page.locator('body').innerText();
  for (const name of ['张小明', '刘小红', '陈小军', '张主任', '李主任']) {
    assert.ok(!body.includes(name), `the county screen shows no person: ${name}`);
  }

  // Opened again from its start page (the icon on the phone), the app goes to the county's
  // screen: no PIN asked for records this browser will never hold.
  await page.goto(origin);
  await page.getByRole('heading', { name: /全县合计/ }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/county');
  assert.equal(await page.getByLabel('设置 PIN（至少 6 位数字）').count(), 0);

  // Offline, the last figures stay on screen, marked as such.
  await ctx.bureau.context.setOffline(true);
  await page.getByRole('button', { name: '刷新' }).click();
  await page.getByText(/下面是上次更新的数据/).waitFor();
  await page.getByRole('heading', { name: /全县合计/ }).waitFor();
  // Loaded afresh offline too: no teacher's phone keeps the county's screen, but the browser that
  // opened it kept it then (the service worker's LATER).
  await page.reload();
  await page.getByText(/下面是上次更新的数据/).waitFor();
  await page.getByRole('heading', { name: /全县合计/ }).waitFor();
  await ctx.bureau.context.setOffline(false);

  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('登记码').waitFor();
});

test('an address below /county that has no screen leads back to the county\'s screen', async () => {
  const { page } = ctx.bureau;
  page.autoUnlock = false;
  try {
    await page.goto(`${server.origin}/county/schools`);
    await page.getByText('找不到这个页面。').waitFor();
    await page.getByRole('link', { name: '返回教育局统计' }).click();
    await page.getByRole('heading', { name: '教育局统计' }).waitFor();
  } finally {
    page.autoUnlock = true;
  }
});
