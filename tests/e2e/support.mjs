// Shared helpers for the end-to-end tests: start our server on a free loopback port with the
// release build, launch Debian's Chromium headless with a fresh profile, and act as a teacher.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverBin = process.env.SHOUWANG_SERVER ?? path.join(root, 'target/release/shouwang-server');
export const dist = process.env.SHOUWANG_DIST ?? path.join(root, 'dist');

// The flags Chromium needs on a machine with no network (without them it hangs on start).
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Starts the server on 127.0.0.1 with a port the OS picks; resolves with its origin. */
export async function startServer({ port = 0, distDir = dist } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shouwang-data-'));
  const child = spawn(serverBin, ['--listen', `127.0.0.1:${port}`, '--dist', distDir, '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 10 s')), 10_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      const match = /http:\/\/(127\.0\.0\.1:\d+)/.exec(String(chunk));
      if (match) { clearTimeout(timer); resolve(`http://${match[1]}`); }
    });
  });
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
  return { origin, port: Number(new URL(origin).port), stop, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** A phone-sized browser with its own fresh profile (IndexedDB, service worker, caches). */
export async function startBrowser({ serviceWorkers = 'allow' } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'shouwang-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 360, height: 640 },
    locale: 'zh-CN',
    // 'block' when a test holds back a file (the service worker would serve it unseen).
    serviceWorkers,
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  // Read by a failure's message (describe), with the console's errors and warnings.
  page.errorsSeen = errors;
  page.consoleSeen = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') page.consoleSeen.push(m.text().slice(0, 200)); });
  unlockOnEveryLoad(page);
  return {
    context, page, errors,
    close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

/** The PIN the tests' teachers choose. */
export const PIN = '258036';

/**
 * Every page load of the app meets the lock screen (a phone without a PIN sets one first): the
 * tests that are not about it go past it here, as a teacher would, on every load — also the
 * app's own reload into a new version. `page.goto` and `page.reload` resolve once past it. A
 * test about the lock screen sets `page.autoUnlock = false`.
 */
function unlockOnEveryLoad(page) {
  page.autoUnlock = true;
  page.unlocking = Promise.resolve();
  page.on('load', () => {
    // Resolves with the failure, if any: a reload the app makes itself has no caller to tell,
    // but a `goto` or `reload` reports it instead of leaving the test to time out elsewhere.
    if (page.autoUnlock) page.unlocking = unlock(page, PIN, LOAD_TIMEOUT).then(() => null, (err) => err);
  });
  for (const name of ['goto', 'reload']) {
    const navigate = page[name].bind(page);
    page[name] = async (...args) => {
      const response = await navigate(...args);
      const failed = await page.unlocking;
      page.unlocking = Promise.resolve(null);
      if (failed) throw new Error(`the app did not open after ${name}: ${failed.message}\n${await describe(page)}`);
      return response;
    };
  }
}

/** Waits for what a test expects on the screen; a failure says what the screen showed instead. */
export async function waitShown(page, locator, timeout = 30_000) {
  try {
    await locator.waitFor({ timeout });
  } catch (err) {
    throw new Error(`${err.message}\n${await describe(page)}`, { cause: err });
  }
}

/** What the page shows and has loaded, for a failure's message. */
async function describe(page) {
  const seen = `errors: ${JSON.stringify(page.errorsSeen ?? [])}; console: ${JSON.stringify((page.consoleSeen ?? []).slice(-10))}`;
  try {
    return seen + '\n' + await page.evaluate(() => JSON.stringify({
      url: location.href,
      gate: document.documentElement.dataset.gate ?? null,
      text: document.body?.innerText.slice(0, 300),
      resources: performance.getEntriesByType('resource').map((r) => `${r.name.split('/').pop()} ${Math.round(r.responseEnd)} ms ${r.encodedBodySize} B`),
    }));
  } catch (err) {
    return `${seen}\n(the page could not be read: ${err.message})`;
  }
}

/**
 * How long a load may take to reach the lock screen: the whole app is downloaded before it, and
 * a first load over the tests' slow rural link (750 kbit/s) takes about 25 s on a fast machine.
 */
const LOAD_TIMEOUT = 120_000;

/** Where the app's gate stands: setup, locked, open, wiped, failed (or checking). */
export async function gateOf(page, timeout = 30_000) {
  await page.waitForFunction(() => ['setup', 'locked', 'open', 'wiped', 'failed']
    .includes(document.documentElement.dataset.gate), null, { timeout });
  return page.evaluate(() => document.documentElement.dataset.gate);
}

/** Sets the PIN on a phone without one, or types it on a locked one; waits for the screens. */
export async function unlock(page, pin = PIN, timeout = 30_000) {
  const gate = await gateOf(page, timeout);
  if (gate === 'setup') {
    await page.getByLabel('设置 PIN（至少 6 位数字）').fill(pin);
    await page.getByLabel('再输入一次 PIN').fill(pin);
    await page.getByRole('button', { name: '设置 PIN' }).click();
  } else if (gate === 'locked') {
    await page.getByLabel('PIN', { exact: true }).fill(pin);
    await page.getByRole('button', { name: '解锁' }).click();
  }
  if (gate === 'setup' || gate === 'locked') await waitOpen(page);
}

/** Waits for the screens behind the gate; a failure says what the page showed instead. */
export async function waitOpen(page, timeout = 30_000) {
  try {
    await page.waitForFunction(() => document.documentElement.dataset.gate === 'open', null, { timeout });
  } catch (err) {
    throw new Error(`${err.message}\n${await describe(page)}`, { cause: err });
  }
}

/**
 * A fresh load of the app to a usable roster, timed inside the page (its clock starts at
 * navigation): when the PIN field is first on screen (the page's own lock screen or the app's),
 * and from the tap on 解锁 (the click event's own time) until the roster says how many it lists
 * and shows its first row. The PIN goes in once the page has loaded, so typing is not counted.
 */
export async function timeUnlock(page, origin) {
  if (!page.timesLock) {
    page.timesLock = true;
    await page.context().addInitScript(() => {
      const look = () => {
        if (document.documentElement.dataset.gate === 'open') return;
        const field = [...document.querySelectorAll('input.pin-input')].find((e) => e.offsetParent);
        if (field) window.lockShownAt = performance.now();
        else requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
      document.addEventListener('click', (e) => { window.tappedAt = e.timeStamp; }, { capture: true });
    });
  }
  const auto = page.autoUnlock;
  page.autoUnlock = false;
  try {
    await page.goto(origin);
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: '解锁' }).click();
    return await page.evaluate(async () => {
      const ready = () => /共 \d+ 名/.test(document.querySelector('.count')?.textContent ?? '')
        && document.querySelector('a.child-row');
      while (!ready()) await new Promise((resolve) => requestAnimationFrame(resolve));
      return { lockShown: window.lockShownAt, tapToList: performance.now() - window.tappedAt };
    });
  } finally {
    page.autoUnlock = auto;
  }
}

/**
 * Waits until the service worker controls the page (it claims clients when it activates). A page
 * whose load began before the worker activated and ended after its claim is never claimed (a full
 * run at e16dfb7 waited 15 s for it after enrol's navigation): a reload is controlled, as the
 * teacher's next opening of the app would be.
 */
export async function waitForServiceWorker(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  const controlled = () => page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 15_000 });
  if (await controlled().then(() => true, () => false)) return;
  await page.reload();
  await controlled();
}

/** Fills the child form the way a teacher does: labels, taps, the grade list. */
export async function fillChild(page, child) {
  const form = page.locator('form');
  if (child.name !== undefined) await form.getByLabel('姓名').fill(child.name);
  if (child.gender) await form.getByText(child.gender, { exact: true }).click();
  if (child.birth !== undefined) await form.getByLabel('出生日期').fill(child.birth);
  if (child.grade) await form.getByLabel('年级').selectOption({ label: child.grade });
  if (child.class !== undefined) await form.getByLabel('班级').fill(child.class);
  if (child.village !== undefined) await form.getByLabel('村/组').fill(child.village);
}

/**
 * On a phone not enrolled anywhere, adds the care lead 张主任 (the first teacher added becomes
 * "me") and the teacher 王芳 from the settings screen.
 */
export async function addLeadAndTeacher(page) {
  await page.getByRole('link', { name: '设置' }).click();
  await page.getByLabel('添加教师姓名').fill('张主任');
  await page.getByText('关爱负责人（德育主任、校长）').click();
  await page.getByRole('button', { name: '添加教师' }).click();
  await page.getByText('已选择：张主任').waitFor();
  await page.getByLabel('添加教师姓名').fill('王芳');
  await page.getByText('教师', { exact: true }).click();
  await page.getByRole('button', { name: '添加教师' }).click();
  await page.getByText('王芳（教师）').waitFor();
}

/** Opens an archive section's form, fills it, saves it and waits until the form is closed. */
export async function editSection(page, title, fill) {
  const section = page.getByRole('region', { name: title });
  await section.getByRole('button', { name: `编辑${title}` }).click();
  await fill(section);
  await section.getByRole('button', { name: '保存' }).click();
  await section.getByRole('button', { name: `编辑${title}` }).waitFor();
  return section;
}

/**
 * The `i`-th child of the class of 40 that the performance tests and bench/compare enter: a
 * name unique in the class, both genders, three birth years, two classes, five villages.
 */
export function classChild(i) {
  const surnames = '王李张刘陈杨黄赵吴周';
  const given = ['小明', '小红', '子涵', '浩然', '欣怡', '宇轩', '梓萱', '俊杰'];
  return {
    name: `${surnames[i % 10]}${given[i % 8]}${i}`,
    gender: i % 2 ? '女' : '男',
    birth: `201${4 + (i % 3)}-0${1 + (i % 9)}-1${i % 10}`,
    grade: '三年级',
    class: String(1 + (i % 2)),
    village: `${surnames[i % 5]}家村${1 + (i % 4)}组`,
  };
}

/** Adds one child through the screens and waits until the app says it is saved. */
export async function addChild(page, child) {
  await page.getByRole('link', { name: '＋ 添加儿童' }).click();
  await page.getByLabel('姓名').waitFor();
  await fillChild(page, child);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText(`已保存：${child.name}`).waitFor();
}

/**
 * Fixes the calendar day the app sees (Date only: Playwright's clock would also freeze the
 * performance timeline the tests read their figures from), so what is due does not depend on
 * when the tests run.
 */
export async function fixToday(context, day) {
  await context.addInitScript((fixed) => {
    const RealDate = Date;
    globalThis.Date = class extends RealDate {
      constructor(...args) { super(...(args.length ? args : [fixed])); }
      static now() { return fixed; }
    };
  }, day.getTime());
}

/** Takes `day`'s roll-call with `absent` as [name, reason] (null: 无故缺勤), and saves. */
export async function rollCall(page, origin, day, absent) {
  await page.goto(`${origin}/attendance`);
  await page.getByLabel('日期').fill(day);
  await page.getByLabel('日期').dispatchEvent('change');
  for (const [name, reason] of absent) {
    await page.getByLabel(`${name} 缺勤`).check();
    await page.getByLabel(`${name}缺勤原因`).selectOption({ label: reason ?? '无故缺勤' });
  }
  await page.getByRole('button', { name: /保存考勤/ }).click();
}

// A school's registry export, as a lead imports it: the registry's columns, names unique enough to
// search, six grades of four classes (perf600.test.mjs, and bench/compare's big school).
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['小明', '小红', '子涵', '浩然', '欣怡', '宇轩', '梓萱', '俊杰', '思远', '雨桐', '佳怡', '志强'];

/** The CSV of a school of `size` children (no family facts: the registry has none). */
export function schoolCsv(size) {
  const rows = ['学籍号,姓名,性别,出生日期,年级,班级,家庭住址'];
  for (let i = 0; i < size; i += 1) {
    const name = `${SURNAMES[i % 20]}${GIVEN[Math.floor(i / 20) % 12]}${i >= 240 ? SURNAMES[(i * 7) % 20] : ''}`;
    const grade = 1 + (i % 6);
    rows.push([`G${String(i).padStart(12, '0')}`, name, i % 2 ? '女' : '男', `${2020 - grade}-0${1 + (i % 9)}-1${i % 10}`,
      String(grade), String(1 + (i % 4)), `${SURNAMES[i % 10]}家村${1 + (i % 5)}组`].join(','));
  }
  return `${rows.join('\n')}\n`;
}

/**
 * A school of `size` imported through 导入 as a lead does it, from a registry CSV written to a
 * temporary file (removed afterwards): for big-school tests and benchmarks.
 */
export async function importSchool(page, origin, size) {
  const dir = mkdtempSync(path.join(tmpdir(), 'shouwang-school-'));
  try {
    const file = path.join(dir, 'school.csv');
    writeFileSync(file, schoolCsv(size));
    await page.goto(`${origin}/import`);
    await page.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').setInputFiles(file);
    await page.getByRole('button', { name: `导入 ${size} 名` }).click();
    await page.getByText(`已导入：新增 ${size} 名`).waitFor({ timeout: 120_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * One server and one fresh browser for a whole test file, stopped after it: call at the top of
 * the file and read `ctx.server` / `ctx.browser` inside the tests.
 */
export function session() {
  const ctx = {};
  before(async () => {
    ctx.server = await startServer();
    ctx.browser = await startBrowser();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
    ctx.server?.cleanup();
  });
  return ctx;
}

/** The files of a zip archive by name, read from its central directory (no npm package needed). */
export function unzip(bytes) {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive: no central directory');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const files = new Map();
  for (let i = 0; i < count; i += 1) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error('a damaged zip central directory');
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(start, start + size);
    files.set(name, method === 8 ? inflateRawSync(raw) : raw);
    at += 46 + skip;
  }
  return files;
}

/** A sheet's rows as text, each cell at its column (empty cells are not written), shared strings
 * resolved: enough to read our own workbooks. */
export function sheetRows(files, n) {
  const strings = [...(files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '').matchAll(/<si>(.*?)<\/si>/gs)]
    .map((m) => [...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join(''));
  const xml = files.get(`xl/worksheets/sheet${n}.xml`)?.toString('utf8') ?? '';
  return [...xml.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((row) => {
    const cells = [];
    for (const [, letters, attrs, inner] of row[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const column = [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
      const value = /<v>(.*?)<\/v>/s.exec(inner ?? '')?.[1] ?? '';
      cells[column] = attrs.includes('t="s"') ? strings[Number(value)] : value;
    }
    return Array.from(cells, (c) => c ?? '');
  });
}
