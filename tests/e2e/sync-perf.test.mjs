// What sync costs on the wire: the first sync of a class of 40 onto a newly enrolled phone, and a
// day's work (10 records over 8 children) after the class is in sync, over an emulated slow link
// (300 ms, 750 kbit/s) and over the plain loopback; a save made online after a reconnect, whose
// message carries its change. Bytes are the WebSocket payloads the browser
// reports through CDP; figures are printed as `PERF {...}` lines and checked against generous bounds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { decode } from 'cbor-x';
import * as Automerge from '@automerge/automerge';
import { startBrowser, addChild, classChild } from './support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced, slowLink } from './sync-support.mjs';

const CLASS_SIZE = 40;
const SLOW = { offline: false, latency: 300, downloadThroughput: (750 * 1000) / 8, uploadThroughput: (750 * 1000) / 8 };
const FAST = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };
const OFFLINE = { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };

const server = schoolServer();
const ctx = {};

before(async () => {
  await server.start();
  ctx.made = makeSchool(server, '测速小学', [{ name: '赵老师', role: 'lead' }, { name: '钱老师', role: 'lead' }]);
  ctx.a = await startBrowser();
  ctx.b = await startBrowser();
  for (const phone of [ctx.a, ctx.b]) phone.wire = await watchWire(phone);
});

after(async () => {
  await ctx.a?.close();
  await ctx.b?.close();
  await server.kill();
  server.cleanup();
});

/** Counts the WebSocket payload bytes a page sends and receives, and the frames. */
async function watchWire({ context, page }) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const wire = { cdp, sent: 0, received: 0, framesSent: 0, framesReceived: 0 };
  const size = (response) => (response.opcode === 2 ? Buffer.from(response.payloadData, 'base64').length : Buffer.byteLength(response.payloadData));
  cdp.on('Network.webSocketFrameSent', ({ response }) => { wire.sent += size(response); wire.framesSent += 1; });
  cdp.on('Network.webSocketFrameReceived', ({ response }) => { wire.received += size(response); wire.framesReceived += 1; });
  wire.reset = () => Object.assign(wire, { sent: 0, received: 0, framesSent: 0, framesReceived: 0 });
  wire.read = () => ({ sentBytes: wire.sent, receivedBytes: wire.received, framesSent: wire.framesSent, framesReceived: wire.framesReceived });
  return wire;
}

test(`a class of ${CLASS_SIZE} entered on one phone reaches a newly enrolled phone`, async () => {
  const { a, b } = ctx;
  const origin = server.origin;
  await enrol(a.page, origin, ctx.made.teachers[0].code, '赵老师的手机');
  await a.page.goto(origin);
  a.wire.reset();
  for (let i = 0; i < CLASS_SIZE; i += 1) {
    await addChild(a.page, classChild(i));
  }
  await waitSynced(a.page, 60_000);
  const upload = a.wire.read();

  // The new phone opens the app at school and is enrolled in the village: the app's files come
  // over a fast link, then the link becomes slow and rural (RTT 300 ms, 750 kbit/s each way) for
  // the enrolment and the whole first sync. (Downloading the app itself over the slow link is the
  // first-download figure, not this one.)
  const link = await slowLink(0, Number(new URL(origin).port), { oneWayMs: 0, bitsPerSecond: Infinity });
  const slowOrigin = `http://127.0.0.1:${link.port}`;
  try {
    await b.page.goto(`${slowOrigin}/settings`);
    await b.page.getByLabel('登记码').fill(ctx.made.teachers[1].code);
    link.shape = { oneWayMs: 150, bitsPerSecond: 750_000 };
    b.wire.reset();
    const started = Date.now();
    await b.page.getByRole('button', { name: '登记' }).click();
    await b.page.locator('#enrolled').waitFor();
    // Back to the list inside the app (no reload): its rows come from the school's index.
    await b.page.getByRole('link', { name: '返回名册' }).click();
    await b.page.locator('.child-row').nth(CLASS_SIZE - 1).waitFor({ timeout: 60_000 });
    await waitSynced(b.page, 60_000);
    ctx.firstSync = { what: 'first sync of a class', link: 'relay RTT 300 ms, 750 kbit/s', children: CLASS_SIZE, ms: Date.now() - started, ...b.wire.read(), enteringPhone: upload };
  } finally {
    await link.close();
  }
  const report = ctx.firstSync;
  console.log(`PERF ${JSON.stringify(report)}`);
  assert.equal(await b.page.locator('.child-row').count(), CLASS_SIZE);
  assert.ok(report.ms < 60_000, `first sync took ${report.ms} ms`);
});

/** The phone goes offline and a teacher writes a day's work: 10 diary entries over 8 children. */
async function writeADay(a, day) {
  const origin = server.origin;
  const children = await a.page.locator('a.child-row').evaluateAll((links) => links.slice(0, 8).map((l) => new URL(l.href).pathname.split('/')[2]));
  assert.equal(children.length, 8);
  await a.wire.cdp.send('Network.emulateNetworkConditions', OFFLINE);
  for (let i = 0; i < 10; i += 1) {
    await a.page.goto(`${origin}/child/${children[i % 8]}/add/diary`);
    await a.page.getByLabel('记录', { exact: true }).fill(`第 ${day} 天第 ${i + 1} 条：今天在校表现良好，午饭吃完，作业按时完成。`);
    await a.page.getByRole('button', { name: '保存' }).click();
    await a.page.getByText('已保存：成长日记').waitFor();
  }
  await a.page.goto(origin);
  await a.page.locator('#sync-status[data-phase="offline"]').waitFor();
}

/** Back online on `link`; resolves with the time until the server has everything, and the bytes. */
async function syncOver(a, link, label) {
  a.wire.reset();
  const started = Date.now();
  await a.wire.cdp.send('Network.emulateNetworkConditions', link);
  await waitSynced(a.page, 120_000);
  const report = { what: "a day's work", link: label, records: 10, children: 8, ms: Date.now() - started, ...a.wire.read() };
  console.log(`PERF ${JSON.stringify(report)}`);
  await a.wire.cdp.send('Network.emulateNetworkConditions', FAST);
  assert.ok(report.sentBytes < 200_000, `sent ${report.sentBytes} bytes`);
  return report;
}

test("a day's work (10 records over 8 children) syncs over the loopback", async () => {
  await writeADay(ctx.a, 1);
  await syncOver(ctx.a, FAST, 'loopback');
});

test('a save made online after a reconnect goes out with its change in its first message, and nothing is left waiting', async () => {
  const { a } = ctx;
  // A new load reconnects: the summary finds every document alike, and they sit quiet.
  await a.page.goto(server.origin);
  await waitSynced(a.page);
  await a.page.locator('a.child-row').first().click();
  await a.page.getByRole('link', { name: '关爱记录' }).click();
  await a.page.getByRole('link', { name: '＋ 成长日记' }).click();
  await a.page.getByLabel('记录', { exact: true }).fill('课间主动帮同学捡书');
  const sent = [];
  const keep = ({ response }) => { if (response.opcode === 2) sent.push(Buffer.from(response.payloadData, 'base64')); };
  a.wire.cdp.on('Network.webSocketFrameSent', keep);
  await a.page.getByRole('button', { name: '保存' }).click();
  await a.page.getByText('已保存：成长日记').waitFor();
  // Back to the roster inside the app (no reload, the same socket), where the sync status shows:
  // nothing waits for the server, though opening the child's records began her talks (nobody's
  // yet) in memory.
  while (await a.page.locator('#sync-status').count() === 0) await a.page.locator('a.back').click();
  await waitSynced(a.page);
  a.wire.cdp.off('Network.webSocketFrameSent', keep);
  if (process.env.SCREENSHOTS) {
    await a.page.locator('#sync-status').scrollIntoViewIfNeeded();
    await a.page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'roster-synced-after-records.png') });
  }
  // Every message the save sent carries its changes: none only names heads to learn what the
  // server holds first, a round trip more on a rural link.
  const messages = sent.map((frame) => decode(frame)).filter((m) => m.type === 'sync' || m.type === 'request');
  assert.ok(messages.length >= 1, 'the save was sent');
  for (const message of messages) {
    const { changes } = Automerge.decodeSyncMessage(message.data);
    assert.ok(changes.length >= 1, `a message for ${message.documentId} without its change`);
  }
  assert.equal(new Set(messages.map((m) => m.documentId)).size, messages.length, 'one message a document');
});

test("a day's work syncs over CDP's emulated slow link (which does not delay WebSocket frames)", async () => {
  await writeADay(ctx.a, 2);
  await syncOver(ctx.a, SLOW, 'CDP 300 ms, 750 kbit/s');
});

test("a day's work syncs over a relayed slow link (RTT 300 ms, 750 kbit/s each way)", async () => {
  const { a } = ctx;
  await writeADay(a, 3);
  // The phone keeps its origin: the server moves to another port and a slow relay takes its place.
  const { port } = new URL(server.origin);
  await server.kill();
  const moved = new URL(await server.start(0)).port;
  const link = await slowLink(Number(port), Number(moved), { oneWayMs: 150, bitsPerSecond: 750_000 });
  try {
    const report = await syncOver(a, FAST, 'relay RTT 300 ms, 750 kbit/s');
    assert.ok(report.ms < 60_000, `took ${report.ms} ms`);
  } finally {
    await link.close();
  }
});
