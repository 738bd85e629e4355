// Two windows of the app on one phone (a second tab, or the installed app beside the browser):
// the server keeps one socket per device, so the newer window takes the sync over and the older
// one waits, saying so, instead of taking the socket back every few seconds; using the older
// window again takes it back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, unlock } from './support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced } from './sync-support.mjs';

const server = schoolServer();
const ctx = {};

before(async () => {
  await server.start();
  ctx.made = makeSchool(server, '石门小学', [{ name: '李老师' }]);
  ctx.phone = await startBrowser();
});

after(async () => {
  await ctx.phone?.close();
  await server.kill();
  server.cleanup();
});

test('a second window takes the sync over and the first waits instead of fighting for it', async () => {
  const origin = server.origin;
  const first = ctx.phone.page;
  await enrol(first, origin, ctx.made.teachers[0].code, '李老师的手机');
  await first.goto(origin);
  await waitSynced(first);
  const opened = { first: 0, second: 0 };
  first.on('websocket', () => { opened.first += 1; });

  const second = await ctx.phone.context.newPage();
  second.on('websocket', () => { opened.second += 1; });
  await second.goto(origin);
  await unlock(second);
  await waitSynced(second);
  await first.getByText('守望已在本机的另一个窗口中同步，此窗口暂停同步；回到此窗口时自动继续').waitFor();

  // Left alone for a while, neither window takes the socket from the other.
  const [firstBefore, secondBefore] = [opened.first, opened.second];
  await first.waitForTimeout(15_000);
  assert.equal(opened.first, firstBefore, 'the first window waits');
  assert.equal(opened.second, secondBefore, 'the second window keeps its socket');
  await waitSynced(second);

  // The teacher turns back to the first window: it syncs again, and the second one waits.
  await first.evaluate(() => window.dispatchEvent(new Event('focus')));
  await waitSynced(first);
  await second.getByText('守望已在本机的另一个窗口中同步，此窗口暂停同步；回到此窗口时自动继续').waitFor();
  await second.close();
});
