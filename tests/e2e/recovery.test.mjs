// A forgotten PIN recovered through the school: a teacher's enrolled phone writes a record
// offline and is locked; the PIN is "forgotten"; the phone asks its care lead, who refuses once
// and then approves from another browser; the phone sets a new PIN, the unsent record is still
// there and reaches the school. Unreachable server, a request not yet approved and a refusal are
// each said in Chinese. Screenshots of the screens at 360×640 land in $SCREENSHOTS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startBrowser, addChild, gateOf, unlock, waitForServiceWorker, PIN } from './support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced } from './sync-support.mjs';

const NEW_PIN = '147036';
const CHILD = { name: '欧阳未寄', gender: '女', birth: '2016-05-12', grade: '二年级', class: '3', village: '石门村' };
const shots = process.env.SCREENSHOTS;
const shot = (page, name) => (shots ? page.screenshot({ path: path.join(shots, name) }) : null);

const server = schoolServer();
const opened = [];
after(async () => {
  for (const browser of opened) await browser.close();
  await server.kill();
  server.cleanup();
});

async function browser() {
  const started = await startBrowser();
  opened.push(started);
  return started;
}

test('a forgotten PIN is recovered with the care lead\'s approval, and the unsent record survives and syncs', async () => {
  const origin = await server.start();
  const { teachers: [lead, wang] } = makeSchool(server, '石门小学', [
    { name: '张校长', role: 'lead' },
    { name: '王老师' },
  ]);
  const phone = await browser();
  const page = phone.page;
  await page.goto(origin);
  await enrol(page, origin, wang.code, '王老师的手机');
  await page.locator('#recovery-state[data-ready="true"]').waitFor({ timeout: 30_000 });
  await page.locator('#recovery-state').scrollIntoViewIfNeeded();
  await shot(page, 'recovery-ready.png');
  await waitForServiceWorker(page);
  await waitSynced(page);

  // Offline in the village: a new child is recorded and never reaches the school before the
  // phone locks.
  await phone.context.setOffline(true);
  await page.getByRole('link', { name: '返回名册' }).click();
  await addChild(page, CHILD);
  page.autoUnlock = false;
  await page.reload();
  assert.equal(await gateOf(page), 'locked');

  // The PIN is forgotten.
  await page.getByLabel('PIN', { exact: true }).fill('864209');
  await page.getByRole('button', { name: '解锁' }).click();
  await page.getByText('PIN 不正确（已错 1 次）').waitFor();
  await page.getByText('忘记 PIN？').click();
  const ask = page.getByRole('button', { name: '请关爱负责人帮我解锁' });
  await ask.click();
  await page.getByText('无法连接学校服务器，请连上学校 Wi‑Fi 后再试').waitFor();
  await phone.context.setOffline(false);
  await ask.click();
  await page.locator('#recovery-note', { hasText: '已向关爱负责人发出申请' }).waitFor();
  const proceed = page.getByRole('button', { name: '已获批准，继续' });
  await proceed.click();
  await page.getByText('关爱负责人还没有批准。请当面或打电话请关爱负责人在“设置”中批准后，再点一次').waitFor();
  await shot(page, 'recovery-asked.png');

  // The care lead, on another phone: refuses once (not sure who asked), then approves.
  const leadPhone = await browser();
  const leads = leadPhone.page;
  await leads.goto(origin);
  await enrol(leads, origin, lead.code, '张校长的手机');
  // 关爱检查, where the lead looks each day, says someone is waiting and leads to 设置.
  await leads.goto(`${origin}/dashboard`);
  await leads.locator('#recovery-alert', { hasText: '有 1 台老师的手机申请找回 PIN' }).waitFor();
  await leads.getByRole('link', { name: '去设置中处理' }).click();
  const request = leads.locator('.recovery-request', { hasText: '王老师（王老师的手机）' });
  await request.waitFor();
  await request.scrollIntoViewIfNeeded();
  await shot(leads, 'recovery-lead.png');
  await request.getByRole('button', { name: '拒绝' }).click();
  await leads.getByText('已拒绝王老师（王老师的手机）的申请。').waitFor();
  await proceed.click();
  await page.getByText('关爱负责人没有批准这次申请。如是本人，请当面联系关爱负责人后重新申请').waitFor();
  assert.equal(await gateOf(page), 'locked', 'nothing opens without the lead');

  await ask.click();
  await page.locator('#recovery-note', { hasText: '已向关爱负责人发出申请' }).waitFor();
  // The lead's screen, left open, shows the new request by itself (asked again every 15 s).
  await request.getByText('等待批准').waitFor({ timeout: 40_000 });
  await request.getByRole('button', { name: '批准' }).click();
  await leads.getByText('已批准王老师（王老师的手机）的申请').waitFor();
  await proceed.click();
  await page.waitForFunction(() => document.documentElement.dataset.gate === 'newpin');
  await shot(page, 'recovery-new-pin.png');
  await page.getByLabel('新的 PIN（至少 6 位数字）').fill('123456');
  await page.getByLabel('再输入一次 PIN').fill('123456');
  await page.getByRole('button', { name: '设置 PIN' }).click();
  await page.getByText('PIN 不能是连续的数字（如 123456、654321），请换一个不容易被猜到的').waitFor();
  await page.getByLabel('新的 PIN（至少 6 位数字）').fill(NEW_PIN);
  await page.getByLabel('再输入一次 PIN').fill(NEW_PIN);
  await page.getByRole('button', { name: '设置 PIN' }).click();
  await page.getByRole('link', { name: new RegExp(CHILD.name) }).waitFor();
  await waitSynced(page);

  // It reached the school: the lead's phone receives it.
  await leads.goto(origin);
  await leads.getByRole('link', { name: new RegExp(CHILD.name) }).waitFor({ timeout: 30_000 });

  // The old PIN is gone, the new one opens, and the phone can be helped again next time.
  await page.reload();
  await page.getByLabel('PIN', { exact: true }).fill(PIN);
  await page.getByRole('button', { name: '解锁' }).click();
  await page.getByText('PIN 不正确（已错 1 次）').waitFor();
  await unlock(page, NEW_PIN);
  await page.getByRole('link', { name: new RegExp(CHILD.name) }).waitFor();
  await page.goto(`${origin}/settings`);
  await unlock(page, NEW_PIN);
  await page.locator('#recovery-state[data-ready="true"]').waitFor({ timeout: 30_000 });
  assert.deepEqual(phone.errors, []);
});
