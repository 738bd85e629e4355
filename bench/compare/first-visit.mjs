// A fresh phone's first visit over one rural link (750 kbit/s, 300 ms round trip, every parallel
// download sharing it, `relay.mjs`'s `shared`): how long until the first screen, and for ours
// how long from the tap on 设置 PIN to the empty roster, with the PIN typed at once and after
// 8 s of reading and typing it twice (the store's part, src/unlocked.rs, comes meanwhile). The
// JS client, beside it, has no PIN: its first screen is its list. `node first-visit.mjs`, after
// `node build.mjs`; SHOUWANG_DIST and SHOUWANG_SERVER as for run.mjs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, startBrowser, PIN } from '../../tests/e2e/support.mjs';
import { relay, SLOW } from './relay.mjs';
import { jsClientServer } from './js-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const RURAL = { ...SLOW, shared: true };
const TYPING_MS = [0, 8_000];

/** Ours: navigation → 设置 PIN on screen; then, after `typingMs`, the tap → the empty roster. */
async function ours(origin, typingMs) {
  const phone = await startBrowser();
  const { page } = phone;
  try {
    page.autoUnlock = false;
    const start = Date.now();
    await page.goto(origin, { waitUntil: 'commit' });
    const pin = page.getByLabel('设置 PIN（至少 6 位数字）');
    await pin.waitFor({ timeout: 120_000 });
    const firstScreenMs = Date.now() - start;
    await page.waitForTimeout(typingMs);
    await pin.fill(PIN);
    await page.getByLabel('再输入一次 PIN').fill(PIN);
    const tapped = Date.now();
    await page.getByRole('button', { name: '设置 PIN' }).click();
    await page.getByText('还没有儿童档案').waitFor({ timeout: 180_000 });
    return { firstScreenMs, tapToRosterMs: Date.now() - tapped, rosterMs: Date.now() - start };
  } finally {
    await phone.close();
  }
}

/** The JS client: navigation → its list says ready. */
async function theirs(origin) {
  const phone = await startBrowser();
  // support.mjs goes past our app's lock screen on every load; the JS page has none.
  phone.page.autoUnlock = false;
  try {
    const start = Date.now();
    await phone.page.goto(origin, { waitUntil: 'commit' });
    await phone.page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 120_000 });
    return { firstScreenMs: Date.now() - start };
  } finally {
    await phone.close();
  }
}

const server = await startServer();
const links = [];
try {
  const port = Number(new URL(server.origin).port);
  const js = await jsClientServer(path.join(here, 'dist'), port);
  const rows = [];
  for (const typingMs of TYPING_MS) {
    // A fresh link a visit, so no visit waits behind another's bytes.
    const link = await relay(port, RURAL);
    links.push(link);
    rows.push({ typingMs, ...(await ours(link.origin, typingMs)) });
  }
  const jsLink = await relay(js.port, RURAL);
  links.push(jsLink);
  const jsVisit = await theirs(jsLink.origin);
  console.log(`| first visit, ${RURAL.bitsPerSecond / 1000} kbit/s shared, RTT ${2 * RURAL.oneWayMs} ms | ours | JS |`);
  console.log('|---|---|---|');
  console.log(`| navigation → first screen (ours 设置 PIN; JS its list) | ${rows[0].firstScreenMs} ms | ${jsVisit.firstScreenMs} ms |`);
  for (const row of rows) {
    console.log(`| PIN typed after ${row.typingMs / 1000} s: tap on 设置 PIN → the roster (navigation → roster) | ${row.tapToRosterMs} ms (${row.rosterMs} ms) | |`);
  }
  console.log(`RAW ${JSON.stringify({ ours: rows, js: jsVisit })}`);
} finally {
  for (const link of links) await link.close();
  await server.stop();
  server.cleanup();
}
process.exit(0);
