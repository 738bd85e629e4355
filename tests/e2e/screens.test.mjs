// Every screen on a cheap phone (360×640), at the normal text size and at 130 % (Android's
// "large"): axe-core finds no serious or critical violation, nothing scrolls sideways, no control
// is narrower than its text, no text is set one character a line, the title stays on one line,
// no chart's text is cut at its edge, every tap target is at least 44 px. A screenshot of each screen at each size is kept under
// tests/e2e/artifacts/screens/ (ignored by git) for a person to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { session, addChild, addLeadAndTeacher, fixToday, unlock, gateOf } from './support.mjs';
import { axeViolations, layoutFaults } from './screen-checks.mjs';

const ctx = session();
const TODAY = new Date('2026-11-24T10:00:00+08:00');
const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts/screens');

/** The two text sizes: the app's own, and 130 % of it set on the root as a phone's setting does. */
const SIZES = [
  { name: 'normal', css: null },
  { name: 'large', css: ':root { font-size: 138.125% !important; }' },
];

/** Moves to a route inside the running app (the router follows popstate), so no reload and no PIN. */
async function go(page, route) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate', { state: null }));
  }, route);
  await settle(page);
}

/** Waits until the screen has drawn what it reads asynchronously. */
async function settle(page) {
  await page.waitForFunction(() => document.querySelector('main, .lock')
    && !document.querySelector('.loading')
    && !/正在汇总全校记录|正在整理|正在读取|正在查询|正在打开/.test(document.body.innerText), null, { timeout: 20_000 });
  await page.waitForTimeout(150);
}

/** Checks the screen as drawn now; returns its faults, keeps its screenshot. */
async function check(page, size, index, name) {
  const violations = await axeViolations(page);
  const faults = await layoutFaults(page);
  const dir = path.join(artifacts, size.name);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${String(index).padStart(2, '0')}-${name}.png`), fullPage: true });
  return { screen: name, size: size.name, axe: violations, faults };
}

async function setTextSize(page, size) {
  if (size.css) await page.addStyleTag({ content: size.css });
}

/** The school a lead has on a lone phone: two teachers, a term, three children, one record. */
async function makeSchool(page, origin) {
  await addLeadAndTeacher(page);

  await page.goto(`${origin}/school/settings`);
  await page.getByRole('button', { name: '＋ 添加学期' }).click();
  await page.getByLabel('第 1 个学期开始日期').fill('2026-09-01');
  await page.getByLabel('第 1 个学期结束日期').fill('2027-01-20');
  await page.getByRole('button', { name: '保存设置' }).click();
  await page.getByText('已保存：学校设置').waitFor();

  await page.goto(origin);
  await addChild(page, { name: '欧阳晓明', gender: '男', birth: '2015-05-01', grade: '三年级', class: '2', village: '石门村3组' });
  await addChild(page, { name: '赵小红', gender: '女', birth: '2015-07-01', grade: '三年级', class: '2', village: '河口村1组' });
  await addChild(page, { name: '刘小兰', gender: '女', birth: '2014-03-01', grade: '四年级', class: '1', village: '石门村1组' });
  await page.getByRole('link', { name: /欧阳晓明/ }).first().click();
  await page.waitForURL(/\/child\/[^/]+$/);
  const childPath = new URL(page.url()).pathname;
  await page.goto(`${origin}${childPath}/add/diary`);
  await page.getByLabel('记录', { exact: true }).fill('第一次在班会上发言，声音很小但讲完了');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存：成长日记').waitFor();
  return childPath;
}

/** The heading each record form's screen shows. */
const FORM_TITLES = {
  'parent-contact': '记录与家长联系', 'family-contact': '记录亲情联系', talk: '记录谈心', diary: '记录成长日记',
};

/** The screens reached by a route, in the order a teacher meets them. */
function routes(child) {
  return [
    ['roster', '/'], ['add-child', '/child/new'], ['child', child],
    ['records', `${child}/records`],
    ['parent-contact', `${child}/add/parentContacts`], ['family-contact', `${child}/add/familyContacts`],
    ['talk', `${child}/add/talks`], ['diary', `${child}/add/diary`],
    ['visit', `${child}/visit`], ['plan-visit', `${child}/plan`],
    ['contact-card', `${child}/card`], ['print', `${child}/print`], ['consent-form', `${child}/consent`], ['history', `${child}/history`],
    ['child-plans', `${child}/focus`], ['binder', `${child}/binder`], ['child-audit', `/audit?child=${child.split('/').pop()}`],
    ['persuasion', `${child}/persuasion`], ['persuasion-new', `${child}/persuasion/new`],
    ['persuasion-notice', `${child}/persuasion/notice`], ['dropout-case-report', `${child}/persuasion/report`],
    ['week', '/week'], ['attendance', '/attendance'], ['absence-register', '/attendance/register'], ['dropouts', '/dropouts'], ['dropout-statistics', '/dropouts/statistics'],
    ['sessions', '/sessions'], ['new-session', '/sessions/new'],
    ['sign-in-sheet', '/sessions/sheet?class=3-2&kind=parentMeeting&date=2026-11-24&place=%E6%95%99%E5%AE%A4&title=%E6%9C%9F%E6%9C%AB%E5%AE%B6%E9%95%BF%E4%BC%9A'],
    ['settings', '/settings'],
    ['statistics', '/school'], ['consent-forms', '/consent-forms?class=3-2'], ['school-settings', '/school/settings'], ['check', '/dashboard'],
    ['pairing', '/pairing'], ['focus', '/focus'], ['report', '/school/report'],
    ['summary', '/school/summary'], ['year-summary', '/school/summary?period=year'],
    ['binders', '/binders'], ['class-binders', '/binders?class=3-2'],
    ['import', '/import'], ['audit', '/audit'],
  ];
}

/** Every section form of the child screen, opened one at a time. */
async function sectionForms(page, size, first) {
  const results = [];
  const editors = page.locator('.section-head button[aria-label^="编辑"]');
  const count = await editors.count();
  for (let i = 0; i < count; i += 1) {
    const button = editors.nth(i);
    const label = (await button.getAttribute('aria-label')).replace(/^编辑/, '');
    await button.click();
    await page.locator('.section form, .section .form').first().waitFor();
    results.push(await check(page, size, first + i, `section-${label}`));
    await page.locator('.section').getByRole('button', { name: '取消' }).click();
  }
  await page.getByRole('button', { name: '＋ 添加监护人' }).click();
  await page.getByRole('button', { name: '取消' }).waitFor();
  results.push(await check(page, size, first + count, 'section-new-guardian'));
  return results;
}

/** The lock screen a phone with a PIN shows after a reload. */
async function lockScreen(page, size) {
  page.autoUnlock = false;
  await page.reload();
  assert.equal(await gateOf(page), 'locked');
  await setTextSize(page, size);
  await settle(page);
  const result = await check(page, size, 1, 'unlock');
  await unlock(page);
  page.autoUnlock = true;
  await setTextSize(page, size);
  return result;
}

function report(results) {
  const lines = results.map((r) => `${r.size.padEnd(6)} ${r.screen.padEnd(28)} axe ${r.axe.length} rules, ${r.axe.reduce((n, v) => n + v.nodes, 0)} elements  layout ${r.faults.length}`);
  const details = results.flatMap((r) => [
    ...r.axe.map((v) => `${r.size} ${r.screen}: axe ${v.impact} ${v.id} (${v.help}) at ${v.targets.slice(0, 3).join(' | ')}`),
    ...r.faults.map((f) => `${r.size} ${r.screen}: ${f}`),
  ]);
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(path.join(artifacts, 'report.txt'), `${lines.join('\n')}\n\n${details.join('\n')}\n`);
  return details;
}

test('every screen reads at 360×640 and at 130 % text: axe clean, nothing too narrow', async () => {
  const { page, context, errors } = ctx.browser;
  await fixToday(context, TODAY);
  const results = [];

  // The first screen of all: setting the PIN, at both sizes, before anything else exists.
  page.autoUnlock = false;
  await page.goto(ctx.server.origin);
  assert.equal(await gateOf(page), 'setup');
  for (const size of SIZES) {
    await setTextSize(page, size);
    await settle(page);
    results.push(await check(page, size, 0, 'set-pin'));
  }
  await unlock(page);
  page.autoUnlock = true;
  const child = await makeSchool(page, ctx.server.origin);

  for (const size of SIZES) {
    results.push(await lockScreen(page, size));
    let index = 2;
    for (const [name, route] of routes(child)) {
      await go(page, route);
      // The record forms share one route: each must be the form its address names, not the
      // one drawn before it (a form's screen once stayed as it was on a move within the route).
      const form = FORM_TITLES[name];
      if (form) assert.equal(await page.locator('main h2').first().innerText(), form, `${name}: the form drawn`);
      results.push(await check(page, size, index, name));
      index += 1;
      if (name === 'child') {
        const forms = await sectionForms(page, size, 50);
        results.push(...forms);
      }
    }
  }

  const details = report(results);
  assert.deepEqual(details, [], `screens with faults (see tests/e2e/artifacts/screens/report.txt):\n${details.join('\n')}`);
  assert.deepEqual(errors, []);
});
