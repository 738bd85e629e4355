// 教师与手机: a care lead keeps her school's teachers and phones from her own phone — adds a
// teacher (no name, or a name the school has, told at the field), gives the new teacher's phone a
// one-time 登记码 it enrols with, and 停用 a teacher's lost phone, which erases itself at its next
// contact. Her own phone cannot be stopped from itself, and a teacher's phone is told only a lead
// may.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startBrowser, addChild } from './support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced, storedDocs } from './sync-support.mjs';

const server = schoolServer();
const phones = [];

before(async () => {
  await server.start();
});

after(async () => {
  for (const phone of phones) await phone.close();
  await server.kill();
  server.cleanup();
});

async function phone() {
  const made = await startBrowser();
  phones.push(made);
  return made;
}

async function shot(page, name) {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: path.join(process.env.SCREENSHOTS, name) });
}

test('a care lead adds a teacher, enrols her phone with a code from the app, and stops a lost phone', async () => {
  const origin = server.origin;
  const { teachers: [lead, wang] } = makeSchool(server, '石门小学', [
    { name: '张校长', role: 'lead' },
    { name: '王老师' },
  ]);
  const { page: leads } = await phone();
  await enrol(leads, origin, lead.code, '张校长的手机');
  const { page: wangs } = await phone();
  await enrol(wangs, origin, wang.code, '王老师的手机');
  await wangs.goto(origin);
  await addChild(wangs, { name: '周小雨', gender: '女', birth: '2016-03-04', grade: '四年级', class: '1', village: '东村' });
  await waitSynced(wangs);

  // From 设置 (where a lead looks first) to 教师与手机.
  await leads.goto(`${origin}/settings`);
  await leads.getByRole('link', { name: '管理教师与手机' }).click();
  await leads.getByRole('heading', { name: '教师与手机' }).waitFor();
  const own = leads.locator('.staff-member', { hasText: '张校长（关爱负责人）' });
  await own.getByText(/张校长的手机（.* 登记，就是本机）/).waitFor();
  assert.equal(await own.getByRole('button', { name: /^停用/ }).count(), 0, 'no 停用 of the phone in hand');

  // A teacher with no name, then with a name the school has, is refused at the field.
  const name = leads.getByLabel('教师姓名');
  await leads.getByRole('button', { name: '添加', exact: true }).click();
  await leads.locator('#new-teacher-error', { hasText: '请填写教师姓名' }).waitFor();
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  await name.fill('王老师');
  await leads.getByRole('button', { name: '添加', exact: true }).click();
  await leads.locator('#new-teacher-error', { hasText: '本校已有“王老师”' }).waitFor();
  await name.fill('李老师');
  await leads.getByRole('button', { name: '添加', exact: true }).click();
  await leads.getByText('已添加李老师（教师）').waitFor();
  assert.equal(await name.inputValue(), '', 'the form is ready for the next one');

  // Her code, read off the lead's screen, enrols her phone.
  const li = leads.locator('.staff-member', { hasText: '李老师（教师）' });
  await li.getByRole('button', { name: '为李老师的新手机生成登记码' }).click();
  const code = (await li.locator('.enrol-code strong').innerText()).trim();
  assert.match(code, /^[0-9A-Z-]{8,9}$/, code);
  await li.getByText('只能用一次').waitFor();
  await shot(leads, 'staff-code.png');
  const { page: lis } = await phone();
  await enrol(lis, origin, code, '李老师的手机');
  await lis.getByText('本机已登记：石门小学，李老师（李老师的手机）').waitFor();
  // Only a lead may: her phone is told so, and the server refuses it too.
  await lis.goto(`${origin}/school/staff`);
  await lis.getByText('只有关爱负责人可以管理教师和手机。').waitFor();
  await lis.getByText('只有关爱负责人可以这样做').waitFor();

  // 王老师's phone is lost: the lead stops it; at its next contact (at once, when it is online)
  // it erases itself.
  await leads.reload();
  await li.getByText(/李老师的手机（.* 登记）/).waitFor();
  assert.ok((await storedDocs(wangs)).length > 0);
  const lost = leads.locator('.staff-member', { hasText: '王老师（教师）' });
  leads.once('dialog', (dialog) => {
    assert.match(dialog.message(), /确定停用王老师的“王老师的手机”吗？.*还没上传的记录也会清除/);
    dialog.accept();
  });
  await lost.getByRole('button', { name: '停用王老师的手机' }).click();
  await leads.getByText('已停用王老师的“王老师的手机”。').waitFor();
  await lost.getByText(/王老师的手机（.* 登记，.* 已停用）/).waitFor();
  await shot(leads, 'staff-stopped.png');
  await wangs.goto(origin);
  await wangs.getByText('学校已停用本机，本机上的全部儿童记录、草稿和登记信息已删除').waitFor({ timeout: 20_000 });
  assert.deepEqual(await storedDocs(wangs), []);
});
