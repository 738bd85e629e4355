// bench/compare's big-school screens (`node screens.mjs`, `npm run bench:screens`): a school of
// 600 just imported on a phone of its own (every child still without family facts, a call to the
// parents or a helper, as after a registry import), then each of the school's screens opened
// from within the app (a tap on a link, no page load: the screen's part is loaded once before)
// with the CPU slowed 4× as on a cheap phone. For each screen, over RUNS openings: the page's
// long tasks (≥ 50 ms) from the tap until 3 s after it, and how tall the screen is at 360 px
// wide (how far the lead scrolls past what is listed). Our app only: the JS client has no such
// screens. SHOUWANG_DIST names the build to measure, as for run.mjs.
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, startBrowser, importSchool } from '../../tests/e2e/support.mjs';
import { watchLongTasks } from './measure.mjs';

const SCHOOL = Number(process.env.BENCH_SCHOOL_SIZE ?? 600);
const RUNS = 3;
const CPU = 4;
// BENCH_SCREENS=/dashboard,/school: only those.
const ONLY = process.env.BENCH_SCREENS?.split(',');
const SCREENS = [
  ['/dashboard', '关爱检查'], ['/school', '学校统计'], ['/pairing', '结对帮扶'], ['/focus', '重点帮扶对象'],
  ['/week', '我的一周'], ['/attendance', '考勤'], ['/dropouts', '控辍保学'], ['/school/report', '学期报告'],
  ['/school/summary', '工作总结'], ['/register', '登记表'], ['/binders', '打印档案袋'], ['/school/settings', '学校设置'],
].filter(([to]) => !ONLY || ONLY.includes(to));

const server = await startServer();
const phone = await startBrowser();
try {
  const { page, context } = phone;
  await watchLongTasks(context);
  // The phone's teacher ("me": the first added), on a phone of its own that keeps the school.
  await page.goto(`${server.origin}/settings`);
  await page.getByLabel('添加教师姓名').fill('王芳');
  await page.getByRole('button', { name: '添加教师' }).click();
  await page.getByText('已选择：王芳').waitFor();
  await importSchool(page, server.origin, SCHOOL);

  // Opens a screen as a tap on a link does: the router takes the click, nothing is loaded anew.
  const tap = (to) => page.evaluate((href) => {
    const a = document.createElement('a');
    a.href = href;
    document.body.append(a);
    const at = performance.now();
    a.click();
    a.remove();
    return at;
  }, to);
  const settle = async (title) => {
    await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: 60_000 });
    await sleep(3_000);
  };
  await page.goto(`${server.origin}/settings`);
  await settle('设置');
  // Every screen's part loaded once, unthrottled: what is measured is the screen, not a download.
  for (const [to, title] of SCREENS) {
    await tap(to);
    await settle(title);
  }
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
  const rows = [];
  for (const [to, title] of SCREENS) {
    const runs = [];
    for (let run = 0; run < RUNS; run += 1) {
      await tap('/settings');
      await settle('设置');
      const at = await tap(to);
      await settle(title);
      runs.push(await page.evaluate((from) => {
        const tasks = window.longTasks.filter(([start]) => start >= from).map(([, d]) => Math.round(d));
        // The app's own measures of the figures (gathered, computed), where the screen has them.
        const measure = (name) => Math.round(performance.getEntriesByName(name).at(-1)?.duration ?? NaN);
        return { tasks, height: document.documentElement.scrollHeight, gather: measure('shouwang:gather'), compute: measure('shouwang:dashboard') };
      }, at));
    }
    rows.push({ screen: `${title} (${to})`, runs });
    console.error(`${title}: ${runs.map((r) => `[${r.tasks.join(', ')}] gather ${r.gather} compute ${r.compute}`).join(' ')}`);
  }
  console.log(`\n${SCHOOL} children just imported, CPU ×${CPU}, each screen opened ${RUNS} times from 设置 by a tap\n`);
  console.log('| screen | long tasks (≥ 50 ms) per opening, longest | height at 360 px |');
  console.log('|---|---|---|');
  for (const { screen, runs } of rows) {
    const each = runs.map((r) => `${r.tasks.length}${r.tasks.length ? ` (${Math.max(...r.tasks)} ms)` : ''}`).join('; ');
    console.log(`| ${screen} | ${each} | ${runs.at(-1).height.toLocaleString('en')} px |`);
  }
  console.log(`\nRAW ${JSON.stringify({ children: SCHOOL, cpu: CPU, rows })}`);
} finally {
  await phone.close();
  await server.stop();
  server.cleanup();
}
