// 教师与手机: a care lead keeps her school's teachers and phones from her own phone — adds a
// teacher (no name, or a name the school has, told at the field), gives the new teacher's phone a
// one-time 登记码 it enrols with, and 停用 a teacher's lost phone, which erases itself at its next
// contact — the lead then sees that it was told to, and whose records it may have held, with the
// 个人信息安全事件记录 to print. Her own phone cannot be stopped from itself, and a teacher's phone is told only a lead
// may. A leaving teacher's unsent work comes to the lead's phone in a backup file, which no other
// teacher's phone takes in; once her children are handed over she is recorded as left (her phone
// stops, her name stays on her records) and can be brought back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startBrowser, addChild, PIN, waitOpen } from './support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced, storedDocs, handOver } from './sync-support.mjs';

const server = schoolServer();
const phones = [];
/** The lead's and 李老师's phones, enrolled by the first test. */
const kept = {};

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
  // Each teacher's card holds its name and buttons inside its border, with room to spare.
  const outside = await leads.evaluate(() => [...document.querySelectorAll('.staff-member')].flatMap((card) => {
    const box = card.getBoundingClientRect();
    return [...card.querySelectorAll('button, h2, .plain-list li')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.left < box.left + 4 || r.right > box.right - 4);
    }).map((el) => el.textContent.trim());
  }));
  assert.deepEqual(outside, [], 'nothing touches or crosses a card\'s edge');
  const { page: lis } = await phone();
  await enrol(lis, origin, code, '李老师的手机');
  await lis.getByText('本机已登记：石门小学，李老师（李老师的手机）').waitFor();
  Object.assign(kept, { leads, lis });
  // Only a lead may: her phone is told so, and the server refuses it too.
  await lis.goto(`${origin}/school/staff`);
  await lis.getByText('只有关爱负责人可以管理教师和手机。').waitFor();
  await lis.getByText('只有关爱负责人可以这样做').waitFor();

  // 王老师's phone is lost: the lead stops it; at its next contact (at once, when it is online)
  // it erases itself.
  await leads.reload();
  await li.getByText(/李老师的手机（.* 登记，(正在联网|最近联网 .*)）/).waitFor();
  assert.ok((await storedDocs(wangs)).length > 0);
  const lost = leads.locator('.staff-member', { hasText: '王老师（教师）' });
  leads.once('dialog', (dialog) => {
    assert.match(dialog.message(), /确定停用王老师的“王老师的手机”吗？.*还没上传的记录也会清除/);
    dialog.accept();
  });
  await lost.getByRole('button', { name: '停用王老师的手机' }).click();
  await leads.getByText('已停用王老师的“王老师的手机”。').waitFor();
  // Online when stopped, its socket is cut and it may come straight back and be told to erase:
  // either is said.
  await lost.getByText(/王老师的手机（.* 登记，.* 已停用；(停用后尚未联网，记录仍加密保存在手机上，联网时清除|.* 联网时已让它清除全部记录)）/).waitFor();
  await shot(leads, 'staff-stopped.png');
  await wangs.goto(origin);
  await wangs.getByText('学校已停用本机，本机上的全部儿童记录、草稿和登记信息已删除').waitFor({ timeout: 20_000 });
  assert.deepEqual(await storedDocs(wangs), []);

  // The lead sees that it came back and was told to erase itself, and — for the school's record
  // and the report to the bureau — whose records it may have held.
  await leads.reload();
  await lost.getByText(/王老师的手机（.* 登记，.* 已停用；.* 联网时已让它清除全部记录）/).waitFor();
  await lost.getByRole('link', { name: '王老师的手机上的记录' }).click();
  await leads.getByRole('heading', { name: '王老师的“王老师的手机”上的记录' }).waitFor();
  await leads.getByText('这台手机上可能有 1 名儿童的档案或记录（学校服务器发给过它，或从它收到过）：周小雨。').waitFor();
  await leads.getByText(/从手机上传：周小雨的档案/).first().waitFor();
  await leads.getByText('个人信息安全事件记录（打印存档、报教育局）').click();
  await leads.getByRole('heading', { name: '个人信息安全事件记录' }).waitFor();
  const involved = leads.getByRole('row', { name: /^可能涉及的儿童/ }).getByRole('cell');
  assert.equal((await involved.innerText()).trim(), '1 名：周小雨');
  await shot(leads, 'staff-lost-phone-records.png');
  await leads.getByRole('link', { name: '返回教师与手机' }).click();
  await leads.getByRole('heading', { name: '教师与手机' }).waitFor();

  // Found again, the phone starts afresh (a new PIN) and enrols with a new code: nothing of the
  // stopped enrolment — 账号已停用, an unsent count — stays on it, and it syncs at once.
  // (A page loaded afresh: the label is waited for in the new one.)
  await Promise.all([
    wangs.waitForEvent('load'),
    wangs.getByRole('button', { name: '重新开始' }).click(),
  ]);
  await wangs.getByLabel('设置 PIN（至少 6 位数字）').fill(PIN);
  await wangs.getByLabel('再输入一次 PIN').fill(PIN);
  await wangs.getByLabel('再输入一次 PIN').press('Enter');
  await waitOpen(wangs);
  await lost.getByRole('button', { name: '为王老师的新手机生成登记码' }).click();
  const again = (await lost.locator('.enrol-code strong').innerText()).trim();
  await enrol(wangs, origin, again, '王老师的手机（找回）');
  await waitSynced(wangs);
  await wangs.goto(origin);
  await waitSynced(wangs);
  assert.equal(await wangs.getByText('账号已停用').count(), 0);
  assert.equal(await wangs.getByText(/尚未上传到学校/).count(), 0);
});

/** Exports this phone's backup under `passphrase` into `dir`; returns the file's path. */
async function exportBackup(page, dir, passphrase) {
  await page.goto(`${server.origin}/settings`);
  await page.getByLabel('备份口令（至少 8 个字符）').fill(passphrase);
  await page.getByLabel('再输入一次备份口令（导出时）').fill(passphrase);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出备份' }).click(),
  ]);
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.swbak`);
  await download.saveAs(file);
  return file;
}

async function importBackup(page, file, passphrase) {
  await page.goto(`${server.origin}/settings`);
  await page.getByLabel('备份口令（至少 8 个字符）').fill(passphrase);
  await page.getByLabel('导入备份文件（先填上面的备份口令）').setInputFiles(file);
}

test('a leaving teacher\'s unsent work reaches the lead\'s phone in a backup, and no other teacher\'s', async () => {
  const { leads, lis } = kept;
  assert.ok(leads && lis, 'the first test enrolled both phones');
  const origin = server.origin;
  const dir = mkdtempSync(path.join(tmpdir(), 'shouwang-handover-'));
  try {
    await lis.goto(origin);
    await addChild(lis, { name: '吴小山', gender: '男', birth: '2016-05-06', grade: '四年级', class: '2', village: '西村' });
    await waitSynced(lis);
    // Her last note, written where there was no signal, never sent.
    await lis.context().setOffline(true);
    await lis.goto(origin);
    await lis.getByRole('link', { name: /吴小山/ }).click();
    await lis.getByRole('link', { name: '关爱记录' }).click();
    await lis.getByRole('link', { name: '＋ 成长日记' }).click();
    await lis.getByLabel('记录', { exact: true }).fill('最后一次家访后，孩子答应每天按时到校');
    await lis.getByRole('button', { name: '保存' }).click();
    await lis.getByText('已保存：成长日记').waitFor();
    const hers = await exportBackup(lis, dir, '李老师交接用的口令');

    // The lead's backup holds every child of the school: a teacher's phone refuses it.
    const leadsFile = await exportBackup(leads, dir, '张校长自己的口令');
    await importBackup(lis, leadsFile, '张校长自己的口令');
    await lis.getByText('此备份来自张校长的手机，只能导入张校长本人的手机、关爱负责人的手机，或尚未登记的新手机。未导入任何内容。').waitFor();

    // The lead takes hers in; it goes on to the school from the lead's phone.
    await importBackup(leads, hers, '李老师交接用的口令');
    await leads.getByText(/^已导入备份：\d+ 名儿童的记录已与本机合并。/).waitFor();
    await waitSynced(leads);
    await leads.goto(origin);
    await leads.getByRole('link', { name: /吴小山/ }).click();
    await leads.getByRole('link', { name: '关爱记录' }).click();
    await leads.getByText('最后一次家访后，孩子答应每天按时到校').first().waitFor();
  } finally {
    await lis.context().setOffline(false);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a teacher who left is recorded once her children are handed over: her phone stops, her name stays', async () => {
  const { leads, lis } = kept;
  assert.ok(leads && lis, 'the first test enrolled both phones');
  const origin = server.origin;
  await lis.goto(origin);
  await waitSynced(lis);
  await leads.goto(`${origin}/school/staff`);
  const li = leads.locator('.staff-member', { hasText: '李老师（教师）' });
  // When her phone was last in touch, before the lead stops it.
  await li.getByText(/李老师的手机（.* 登记，(正在联网|最近联网 .*)）/).waitFor();

  // 吴小山 is still hers: the school refuses, and says what to do first.
  let asked = '';
  leads.once('dialog', (dialog) => { asked = dialog.message(); dialog.accept(); });
  await li.getByRole('button', { name: '为李老师办理离校' }).click();
  await leads.getByText('李老师还负责 1 名儿童。请先在“结对帮扶 → 整体交接”把这些交给其他老师，再办理离校').waitFor();
  // Her phone's contact as the list shows it: connected now, or when it last was.
  assert.match(asked, /^确定为李老师办理离校吗？她的手机将停用，.*还没上传的记录也会清除（这台手机(最近联网 .*|正在联网，其中的记录会随时上传到学校)）。/);
  assert.equal(await leads.locator('.staff-member', { hasText: '张校长（关爱负责人）' })
    .getByRole('button', { name: /办理离校/ }).count(), 0, 'not the lead herself');

  // 吴小山's plan names her as the one who talks with him every week.
  await leads.goto(`${origin}/focus`);
  await leads.locator('#focus-child').selectOption({ label: '吴小山（四年级2班）' });
  await leads.getByText('心理问题', { exact: true }).click();
  await leads.getByRole('button', { name: '保存', exact: true }).click();
  await leads.locator('#focus-list').getByRole('link', { name: '吴小山' }).click();
  await leads.getByLabel('存在问题').fill('上学迟到，不愿说话');
  await leads.getByLabel('帮扶目标').fill('按时到校');
  await leads.getByLabel('方案开始日期').fill('2026-11-02');
  await leads.getByRole('button', { name: '＋ 添加措施' }).click();
  await leads.getByLabel('措施 1').fill('每周谈心一次');
  await leads.getByLabel('负责人').fill('李老师');
  await leads.getByLabel('频次', { exact: true }).fill('每周');
  await leads.getByRole('button', { name: '保存方案' }).click();
  await leads.getByText('已保存：个别教育管理方案').waitFor();
  const plan = leads.url();
  assert.equal(await leads.locator('#plan-departed').count(), 0, 'she is still at the school');

  await handOver(leads, origin, '李老师', '王老师', 1);

  await leads.goto(`${origin}/school/staff`);
  leads.once('dialog', (dialog) => dialog.accept());
  await li.getByRole('button', { name: '为李老师办理离校' }).click();
  await leads.getByText('李老师已离校，她的手机已停用。她写的记录仍保留她的姓名。').waitFor();
  assert.equal(await li.count(), 0, 'no longer among the teachers');
  await leads.getByText('已离校的教师（1）').click();
  await leads.getByText(/^李老师（教师，\d+月\d+日离校）$/).waitFor();
  await shot(leads, 'staff-left.png');
  // The plan still sends 吴小山 to her: said on it, with who cares for him now, until changed.
  await leads.goto(plan);
  const departed = leads.locator('#plan-departed');
  await departed.getByText('措施的负责人中，李老师已离校：请改为现在负责这名儿童的老师（王老师），并保存方案。').waitFor();
  await departed.scrollIntoViewIfNeeded();
  await shot(leads, 'plan-departed.png');
  await leads.getByLabel('负责人').fill('王老师');
  await departed.waitFor({ state: 'detached' });
  await leads.getByRole('button', { name: '保存方案' }).click();
  await leads.getByText('已保存：个别教育管理方案').waitFor();
  // Her phone erases itself at its next contact.
  await lis.goto(origin);
  await lis.getByText('学校已停用本机，本机上的全部儿童记录、草稿和登记信息已删除').waitFor({ timeout: 20_000 });

  // The lead's forms no longer offer her; her diary note still names her.
  await leads.goto(origin);
  await waitSynced(leads);
  await leads.goto(`${origin}/pairing`);
  await leads.waitForFunction(() =>
    document.querySelectorAll('#handOverTo option').length > 2
    && ![...document.querySelectorAll('#handOverTo option')].some((o) => o.textContent === '李老师'));
  await leads.goto(origin);
  await leads.getByRole('link', { name: /吴小山/ }).click();
  await leads.getByRole('link', { name: '关爱记录' }).click();
  await leads.locator('.record', { hasText: '最后一次家访后' }).locator('.record-author', { hasText: '李老师' }).first().waitFor();

  // 撤销离校: she is on the list again, to be given a new code.
  await leads.goto(`${origin}/school/staff`);
  await leads.getByText('已离校的教师（1）').click();
  await leads.getByRole('button', { name: '撤销李老师的离校' }).click();
  await leads.getByText('李老师回到本校的教师名单。她的旧手机仍停用，请为她生成新的登记码。').waitFor();
  await li.getByRole('button', { name: '为李老师的新手机生成登记码' }).waitFor();
});
