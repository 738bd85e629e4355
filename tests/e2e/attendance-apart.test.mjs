// 考勤 taken apart: two leads' phones, offline, mark the same child's day differently (病假 and
// 无故缺勤). Once both have synced, each phone's roll-call names both marks with who made them;
// saving the mark shown — the same one, unchanged — settles the day on both phones. 立即同步
// tapped with no network says so. On the Monday one phone's roll-call tells the other its class
// is called. The date is fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addChild, fixToday, rollCall } from './support.mjs';
import { schoolWithPhones, enrol, waitSynced } from './sync-support.mjs';

const ctx = schoolWithPhones('石门小学', [
  { name: '张校长', role: 'lead' },
  { name: '刘主任', role: 'lead' },
], ['zhang', 'liu']);

const DAY = '2026-09-18';
const DISPUTED = '两位老师的记录不同：';

async function openDay(page, origin) {
  await page.goto(`${origin}/attendance`);
  await page.getByLabel('日期').fill(DAY);
  await page.getByLabel('日期').dispatchEvent('change');
  await page.getByRole('button', { name: /保存考勤/ }).waitFor();
}

test('two marks of one child\'s day made apart are both shown, and saving the one shown settles it', async () => {
  const { origin } = ctx.server;
  const [zhangT, liuT] = ctx.made.teachers;
  const { page: zhang, context: zc } = ctx.zhang;
  const { page: liu, context: lc } = ctx.liu;
  // Friday 2026-09-18 of the school's typical autumn term, on both phones.
  for (const context of [zc, lc]) await fixToday(context, new Date('2026-09-18T09:00:00+08:00'));
  await enrol(zhang, origin, zhangT.code, '张校长的手机');
  await enrol(liu, origin, liuT.code, '刘主任的手机');
  await zhang.goto(origin);
  await addChild(zhang, { name: '甲小二', gender: '女', birth: '2016-05-06', grade: '四年级', class: '1', village: '东村' });
  await zhang.goto(origin);
  await waitSynced(zhang);
  await liu.goto(origin);
  await liu.getByRole('link', { name: /甲小二/ }).waitFor();
  await waitSynced(liu);

  await zc.setOffline(true);
  await lc.setOffline(true);
  await rollCall(zhang, origin, DAY, [['甲小二', '病假']]);
  await zhang.getByText('已保存：9月18日 考勤，缺勤 1 人').waitFor();
  await rollCall(liu, origin, DAY, [['甲小二', null]]);
  await liu.getByText('已保存：9月18日 考勤，缺勤 1 人').waitFor();
  // 立即同步 with no network is answered, not silently ignored.
  await liu.goto(origin);
  await liu.getByRole('button', { name: '立即同步' }).click();
  await liu.getByText('现在没有网络。连上学校 Wi‑Fi 或手机信号后会自动同步，不用一直点。').waitFor();
  if (process.env.SCREENSHOTS) await liu.screenshot({ path: `${process.env.SCREENSHOTS}/sync-offline-tap.png` });
  await zc.setOffline(false);
  await zhang.goto(origin);
  await waitSynced(zhang);
  await lc.setOffline(false);
  await liu.goto(origin);
  await waitSynced(liu);

  await openDay(liu, origin);
  const warning = liu.locator('.roll-row', { hasText: '甲小二' }).getByText(DISPUTED);
  await warning.waitFor();
  const said = await warning.innerText();
  assert.match(said, /张校长 记为病假/);
  assert.match(said, /刘主任 记为无故缺勤/);
  // The reason shown is kept as it is, and saved: the day is settled.
  await liu.getByRole('button', { name: '保存考勤（缺勤 1 人）' }).click();
  await liu.getByText('已保存：9月18日 考勤，缺勤 1 人').waitFor();
  assert.equal(await liu.getByText(DISPUTED).count(), 0, 'no longer said once saved');
  await liu.goto(origin);
  await waitSynced(liu);
  await openDay(liu, origin);
  assert.equal(await liu.getByText(DISPUTED).count(), 0, 'nor after opening the day again');
  const kept = await liu.getByLabel('甲小二缺勤原因').inputValue();
  await zhang.goto(origin);
  await waitSynced(zhang);
  await openDay(zhang, origin);
  assert.equal(await zhang.getByText(DISPUTED).count(), 0, 'settled on the other phone too');
  assert.equal(await zhang.getByLabel('甲小二缺勤原因').inputValue(), kept, 'the same mark on both');

  // Monday: one phone takes the roll-call; the other, once synced, finds the class called and
  // the day taken, by whom.
  for (const context of [zc, lc]) await fixToday(context, new Date('2026-09-21T09:00:00+08:00'));
  await liu.goto(`${origin}/dashboard`);
  await liu.locator('#roll-call-check').getByText('今天已点名 0 个班，尚未点名 1 个班：四年级1班（最近 09-18）。').waitFor();
  await rollCall(zhang, origin, '2026-09-21', []);
  await zhang.getByText('已保存：9月21日 考勤，缺勤 0 人').waitFor();
  await zhang.goto(origin);
  await waitSynced(zhang);
  await liu.goto(origin);
  await waitSynced(liu);
  await liu.goto(`${origin}/dashboard`);
  await liu.locator('#roll-call-check').getByText('今天全部 1 个班已点名。').waitFor();
  await liu.goto(`${origin}/attendance`);
  await liu.locator('#roll-taken').getByText('9月21日 张校长已点名，缺勤 0 人。').waitFor();
});
