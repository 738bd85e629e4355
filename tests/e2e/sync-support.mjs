// Helpers for the sync tests: our server with a data dir the test owns (so the admin CLI can
// create schools, teachers and codes, and a restart finds the same accounts and documents), and
// a teacher enrolling a phone from the settings screen.
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { startBrowser } from './support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverBin = process.env.SHOUWANG_SERVER ?? path.join(root, 'target/release/shouwang-server');
const dist = process.env.SHOUWANG_DIST ?? path.join(root, 'dist');

/**
 * A test file's school: our server and the school with these teachers, started before the file's
 * tests, and a fresh phone (browser) under each name in `phones`; all stopped after them. The
 * returned object fills in then: `server`, `made` (from makeSchool) and each phone.
 */
export function schoolWithPhones(schoolName, teachers, phones) {
  const server = schoolServer();
  const ctx = { server };
  before(async () => {
    await server.start();
    ctx.made = makeSchool(server, schoolName, teachers);
    for (const phone of phones) ctx[phone] = await startBrowser();
  });
  after(async () => {
    for (const phone of phones) await ctx[phone]?.close();
    await server.kill();
    server.cleanup();
  });
  return ctx;
}

/** A school's server: start, kill (SIGKILL, as a power cut) and start again on the same port. */
export function schoolServer() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shouwang-sync-data-'));
  let child = null;
  let port = 0;
  const server = {
    dataDir,
    origin: null,
    /** Starts on the last port used (or the OS picks one); `listen` overrides it. */
    async start(listen = port) {
      child = spawn(serverBin, ['--listen', `127.0.0.1:${listen}`, '--dist', dist, '--data-dir', dataDir],
        { stdio: ['ignore', 'pipe', 'inherit'] });
      const running = child;
      server.origin = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('server did not start in 10 s')), 10_000);
        running.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
        running.stdout.on('data', (chunk) => {
          const match = /http:\/\/(127\.0\.0\.1:(\d+))/.exec(String(chunk));
          if (match) { clearTimeout(timer); port = Number(match[2]); resolve(`http://${match[1]}`); }
        });
      });
      return server.origin;
    },
    kill() {
      return new Promise((resolve) => {
        if (!child || child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    /** Runs an admin command with --json and returns its answer. */
    cli(...args) {
      return JSON.parse(execFileSync(serverBin, ['--data-dir', dataDir, '--json', ...args], { encoding: 'utf8' }));
    },
    cleanup() { rmSync(dataDir, { recursive: true, force: true }); },
  };
  return server;
}

/** A school with the given teachers, each with a fresh one-time code. */
export function makeSchool(server, name, teachers) {
  const school = server.cli('school', 'create', '--name', name);
  const made = teachers.map(({ name: teacherName, role = 'teacher' }) => {
    const teacher = server.cli('teacher', 'create', '--school', school.id, '--name', teacherName, '--role', role);
    const { code } = server.cli('enrol-code', '--teacher', teacher.id);
    return { ...teacher, code };
  });
  return { school, teachers: made };
}

/** Enrols the phone from the settings screen and waits until it says so. */
export async function enrol(page, origin, code, deviceName) {
  await page.goto(`${origin}/settings`);
  await page.getByLabel('登记码').fill(code);
  await page.getByLabel('本机名称（可不填）').fill(deviceName);
  // The token is kept sealed on the phone: the tests that act with it take it from the answer.
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/enrol') && r.ok()),
    page.getByRole('button', { name: '登记' }).click(),
  ]);
  page.enrolment = await answer.json();
  await page.locator('#enrolled').waitFor();
}

/** Waits until the device has nothing the server lacks and the exchange is complete. */
export async function waitSynced(page, timeout = 30_000) {
  try {
    await page.locator('#sync-status[data-phase="idle"][data-pending="0"]').waitFor({ timeout });
  } catch (err) {
    const status = page.locator('#sync-status');
    const shown = (await status.count())
      ? `${await status.getAttribute('data-phase')} / ${await status.getAttribute('data-pending')}: ${await status.innerText()}`
      : 'no sync status on this screen';
    throw new Error(`not in sync after ${timeout} ms (${shown})`, { cause: err });
  }
}

/** The device's enrolment as the server answered it (token included) when the phone enrolled. */
export function enrolmentOf(page) {
  return page.enrolment;
}

/** The ids of every document the phone holds in IndexedDB. */
export function storedDocs(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('shouwang');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('chunks').objectStore('chunks').getAllKeys();
      request.onerror = () => reject(request.error);
      request.onsuccess = () => resolve([...new Set(request.result.map((key) => key[0]))]);
    };
  }));
}

/**
 * A TCP relay on `listenPort` to `targetPort` that behaves like a slow rural link: every chunk
 * waits its turn at `bitsPerSecond` and then `oneWayMs`, in each direction. CDP's network
 * emulation delays the WebSocket upgrade but not its frames; this delays both. `shape` is
 * `{ oneWayMs, bitsPerSecond }`; setting the returned link's `shape` changes it from then on.
 */
export async function slowLink(listenPort, targetPort, shape) {
  const sockets = new Set();
  const link = { shape };
  const relay = (from, to) => {
    let freeAt = 0;
    from.on('data', (chunk) => {
      // Read per chunk: a test may change the link's shape while it carries traffic.
      const { oneWayMs, bitsPerSecond } = link.shape;
      const now = Date.now();
      freeAt = Math.max(now, freeAt) + (chunk.length * 8 * 1000) / bitsPerSecond;
      setTimeout(() => { if (!to.destroyed) to.write(chunk); }, freeAt + oneWayMs - now);
    });
    from.on('end', () => setTimeout(() => to.end(), Math.max(0, freeAt + link.shape.oneWayMs - Date.now())));
    from.on('error', () => to.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); }
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  return Object.assign(link, {
    port: server.address().port,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  });
}

/** The lead's 整体交接 of one teacher's `count` children to another, confirmed and synced. */
export async function handOver(page, origin, from, to, count) {
  await page.goto(`${origin}/pairing`);
  const card = page.getByRole('region', { name: '整体交接（老师调走时）' });
  await card.getByLabel('交出的老师').selectOption({ label: from });
  await card.getByLabel('接手的老师').selectOption({ label: to });
  page.once('dialog', (dialog) => dialog.accept());
  await card.getByRole('button', { name: '交接' }).click();
  await card.getByText(`已交接：${from}负责的 ${count} 名儿童已交给${to}`).waitFor();
  await page.goto(origin);
  await waitSynced(page);
}
