// A care lead hands over: what the lead's phone changed in the school's directory offline, after
// the school had made the lead an ordinary teacher, is not kept on the phone as if accepted — the
// phone says it was not accepted and shows the school's own settings again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser } from './support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced } from './sync-support.mjs';

const server = schoolServer();
const ctx = {};

before(async () => {
  await server.start();
  ctx.made = makeSchool(server, '石门小学', [{ name: '王校长', role: 'lead' }]);
  ctx.phone = await startBrowser();
});

after(async () => {
  await ctx.phone?.close();
  await server.kill();
  server.cleanup();
});

test('a lead made a teacher is told the offline change to the settings was not accepted', async () => {
  const origin = server.origin;
  const { page, context } = ctx.phone;
  const [lead] = ctx.made.teachers;
  await enrol(page, origin, lead.code, '王校长的手机');
  await page.goto(origin);
  await waitSynced(page);

  await context.setOffline(true);
  await page.goto(`${origin}/school/settings`);
  const gap = page.getByLabel('父母失联提醒天数');
  await gap.fill('21');
  await page.getByRole('button', { name: '保存设置' }).click();
  await page.getByText('已保存：学校设置').waitFor();

  // Meanwhile the school hands the care to someone else.
  const changed = server.cli('teacher', 'set-role', '--teacher', lead.id, '--role', 'teacher');
  assert.equal(changed.role, 'teacher');
  await context.setOffline(false);
  // The phone learns its role from the server when the app starts (a start whose first request
  // meets a network still coming back learns it at the next one).
  const refused = page.getByText(/该修改需要关爱负责人权限，未被接受/);
  const told = Date.now() + 60_000;
  for (;;) {
    await page.goto(origin);
    try {
      await refused.waitFor({ timeout: 5_000 });
      break;
    } catch (err) {
      if (Date.now() > told) throw err;
    }
  }
  await waitSynced(page);

  const end = Date.now() + 30_000;
  for (;;) {
    await page.goto(`${origin}/school/settings`);
    await gap.waitFor();
    if (await gap.inputValue() === '14') break;
    if (Date.now() > end) throw new Error(`the phone kept its refused setting: ${await gap.inputValue()}`);
    await page.waitForTimeout(500);
  }
  assert.equal(await page.getByRole('button', { name: '保存设置' }).count(), 0, 'a teacher cannot save settings');
});
