// Two teachers' phones and the school's server: enrolment, offline edits of the same child on
// both phones merged with the conflict shown, the lead's check of a teacher's record read on the
// teacher's phone, an automerge-repo client from npm reading and
// changing what our app wrote, a server killed and restarted mid-sync, and a revoked phone told
// so in Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startBrowser, addChild, editSection, waitForServiceWorker } from './support.mjs';
import { schoolServer, makeSchool, enrol, waitSynced, enrolmentOf, storedDocs } from './sync-support.mjs';

const server = schoolServer();
const ctx = {};

before(async () => {
  await server.start();
  ctx.made = makeSchool(server, '石门小学', [{ name: '李老师' }, { name: '王校长', role: 'lead' }]);
  ctx.a = await startBrowser();
  ctx.b = await startBrowser();
});

after(async () => {
  await ctx.a?.close();
  await ctx.b?.close();
  await ctx.c?.close();
  await server.kill();
  server.cleanup();
});

/** Saves the basic-information form of the open child screen with these fields changed. */
async function editBasics(page, fields) {
  const form = page.locator('form').filter({ has: page.getByLabel('村/组') });
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label).fill(value);
  await form.getByRole('button', { name: '保存' }).click();
  await form.getByText('已保存', { exact: true }).waitFor();
}

/** Opens `url` again and again until `check` holds: screens read what is stored when opened. */
async function showsSoon(page, url, check, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    await page.goto(url);
    await page.locator('main').waitFor();
    await page.waitForTimeout(300);
    if (await check()) return;
    if (Date.now() > end) throw new Error(`${url} never showed the expected change`);
    await page.waitForTimeout(700);
  }
}

async function addDiary(page, origin, child, text) {
  await page.goto(`${origin}/child/${child}/add/diary`);
  await page.getByLabel('记录', { exact: true }).fill(text);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存：成长日记').waitFor();
}

test('a phone enrols, adopts the school index, keeps its local children, and writes as the enrolled teacher', async () => {
  const { page } = ctx.a;
  const origin = server.origin;
  await page.goto(origin);
  // Kept on the phone before it knew its school: it must survive joining.
  await addChild(page, { name: '王小红', gender: '女', birth: '2015-06-01', grade: '三年级', class: '1', village: '石门村' });
  await page.goto(`${origin}/settings`);
  await page.getByLabel('添加教师姓名').fill('赵本地');
  await page.getByRole('button', { name: '添加教师' }).click();
  await page.getByText('赵本地（教师）').waitFor();
  await enrol(page, origin, ctx.made.teachers[0].code, '李老师的手机');
  await page.goto(origin);
  await waitSynced(page);
  await page.getByRole('link', { name: /王小红/ }).click();
  await page.waitForURL(/\/child\//);
  ctx.child = new URL(page.url()).pathname.split('/')[2];
  // "Me" is the enrolled teacher and cannot be switched; the teachers are the school's.
  await page.goto(`${origin}/settings`);
  await page.getByText('本机已登记：石门小学，李老师（李老师的手机）').waitFor();
  await page.getByText('本机已登记为：李老师（教师）').waitFor();
  assert.equal(await page.getByRole('radiogroup', { name: '选择我是谁' }).count(), 0, 'no picker once enrolled');
  assert.equal(await page.getByRole('button', { name: '添加教师' }).count(), 0, 'teachers are the school\'s');
  // The school's list is imported by the care lead: a teacher's phone, holding only its own
  // children, would register the others again.
  await page.goto(origin);
  await waitSynced(page);
  assert.equal(await page.getByRole('link', { name: '导入名册' }).count(), 0);
  await page.goto(`${origin}/import`);
  await page.getByText(/名册由关爱负责人统一导入/).waitFor();
  assert.equal(await page.getByLabel('选择学籍系统导出的表格（.xlsx 或 .csv）').count(), 0);
});

test('a wrong code is explained at the field', async () => {
  const { page } = ctx.b;
  await page.goto(`${server.origin}/settings`);
  await page.getByLabel('登记码').fill('NOPE-NOPE');
  await page.getByRole('button', { name: '登记' }).click();
  const error = page.locator('#enrol-code-error');
  await error.filter({ hasText: /./ }).waitFor();
  assert.match(await error.innerText(), /[\u4e00-\u9fff]/, 'the message is in Chinese');
});

test('the class teacher and the lead edit the same child offline; both edits, both diaries and the conflict show', async () => {
  const origin = server.origin;
  const { a, b } = ctx;
  await enrol(b.page, origin, ctx.made.teachers[1].code, '王校长的手机');
  await b.page.goto(origin);
  await b.page.getByRole('link', { name: /王小红/ }).waitFor({ timeout: 30_000 });
  await waitSynced(b.page);

  await a.context.setOffline(true);
  await b.context.setOffline(true);
  await a.page.goto(`${origin}/child/${ctx.child}`).catch(() => {});
  await b.page.goto(`${origin}/child/${ctx.child}`).catch(() => {});
  await editBasics(a.page, { '学籍号': 'G4301001', '村/组': '东村', '备注': '怕黑' });
  await editBasics(b.page, { '备注': '爱画画', '村/组': '西村' });
  // The mother's number, written differently on each phone.
  for (const [page, number] of [[a.page, '13900139000'], [b.page, '13700137000']]) {
    await editSection(page, '母亲', async (s) => {
      await s.getByLabel('姓名').fill('李秀英');
      await s.getByLabel('现状').selectOption({ label: '外出务工' });
      await s.getByLabel('电话').fill(number);
    });
  }
  await addDiary(a.page, origin, ctx.child, '李老师：今天主动发言');
  await addDiary(b.page, origin, ctx.child, '王老师：午饭吃得很好');
  await b.page.goto(origin);
  await b.page.locator('#sync-status[data-phase="offline"]').waitFor();
  assert.match(await b.page.locator('#sync-status').innerText(), /无法连接学校服务器，连上学校 Wi‑Fi 后会自动同步/);
  // What waits is named by child and what of hers, and marked where the teacher looks: the
  // roster's row, the child's page, and the very record on her timeline.
  assert.match(await b.page.locator('#sync-pending').innerText(),
    /^尚未上传到学校（已安全保存在本机）：王小红（档案、关爱记录）/);
  const bRow = b.page.locator('a.child-row', { hasText: '王小红' });
  await bRow.getByText('未上传', { exact: true }).waitFor();
  if (process.env.SCREENSHOTS) {
    await bRow.scrollIntoViewIfNeeded();
    await b.page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'roster-unsent.png') });
  }
  await b.page.goto(`${origin}/child/${ctx.child}`).catch(() => {});
  await b.page.getByText('档案、关爱记录尚未上传到学校，已安全保存在本机；连上网络后会自动同步。').waitFor();
  await b.page.goto(`${origin}/child/${ctx.child}/records`).catch(() => {});
  const waiting = b.page.locator('li.record', { hasText: '王老师：午饭吃得很好' });
  await waiting.getByText('未上传', { exact: true }).waitFor();
  if (process.env.SCREENSHOTS) {
    await b.page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'unsent-record.png') });
  }

  await a.context.setOffline(false);
  await b.context.setOffline(false);
  for (const { page } of [a, b]) {
    await page.goto(origin);
    await waitSynced(page);
  }
  // Each phone's last upload may have reached the other only after its own sync finished.
  for (const { page } of [a, b]) {
    await page.waitForTimeout(500);
    await page.goto(origin);
    await waitSynced(page);
    await page.goto(`${origin}/child/${ctx.child}`);
    await page.getByText('村/组：两位老师分别填写了不同的值，请选择保留哪一个。').waitFor();
    // Each value named with who wrote it, so the one choosing can ask her colleague.
    await page.getByRole('button', { name: '保留“东村”（李老师填写）', exact: true }).waitFor();
    await page.getByRole('button', { name: '保留“西村”（王校长填写）', exact: true }).waitFor();
    assert.equal(await page.getByLabel('学籍号').inputValue(), 'G4301001');
    // The notes too: each version whole, not the two run together.
    await page.getByText('备注：两位老师分别填写了不同的值，请选择保留哪一个，或两者都保留。').waitFor();
    await page.getByRole('button', { name: '保留“爱画画”（王校长填写）', exact: true }).waitFor();
    await page.getByRole('button', { name: '保留“怕黑”（李老师填写）', exact: true }).waitFor();
    await page.goto(`${origin}/child/${ctx.child}/records`);
    await page.getByText('李老师：今天主动发言').first().waitFor();
    await page.getByText('王老师：午饭吃得很好').first().waitFor();
    // At the school now: no record is marked as waiting.
    assert.equal(await page.locator('li.record').getByText('未上传', { exact: true }).count(), 0);
    // The roster says the archive needs a choice, not only the child's page.
    await page.goto(origin);
    const row = page.locator('a.child-row', { hasText: '王小红' });
    await row.getByText('两人填写不同', { exact: true }).waitFor();
    assert.equal(await row.getByText('未上传', { exact: true }).count(), 0);
  }
  // 我的一周 of the teacher responsible asks her to choose.
  await a.page.goto(`${origin}/week`);
  const disputed = a.page.getByRole('region', { name: '两位老师填写不同' });
  await disputed.getByRole('link', { name: /王小红.*档案中有 3 处两位老师填写不同，请打开档案选择保留哪一个/ }).waitFor();
  // The contact card dials neither number as if it were the one: both, each with who wrote it.
  await a.page.goto(`${origin}/child/${ctx.child}/card`);
  await a.page.getByText('两位老师登记的号码不同，打通后请在档案中保留正确的一个。').waitFor();
  await a.page.getByRole('link', { name: '拨打母亲李秀英电话 13900139000' }).waitFor();
  await a.page.getByRole('link', { name: '拨打母亲李秀英电话 13700137000' }).waitFor();
  await a.page.getByText('（王校长填写）').waitFor();
  if (process.env.SCREENSHOTS) {
    await a.page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'card-disputed.png') });
  }
  if (process.env.SCREENSHOTS) {
    await a.page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'week-disputed.png') });
    await b.page.goto(origin);
    await b.page.locator('a.child-row', { hasText: '王小红' }).scrollIntoViewIfNeeded();
    await b.page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'roster-disputed.png') });
  }
  // Printed meanwhile, the archive gives both, marked, not one of them as the fact.
  const { page } = a;
  await page.goto(`${origin}/child/${ctx.child}/print`);
  await page.getByRole('heading', { name: '留守儿童档案' }).waitFor();
  // Whose and as of when, for an inspector holding the sheet alone.
  await page.getByText(/^学校：石门小学　打印日期：\d{4}-\d{2}-\d{2}$/).waitFor();
  await page.locator('.print-table td', {
    hasText: /^（待确认：(“东村”（李老师） \/ “西村”（王校长）|“西村”（王校长） \/ “东村”（李老师）)）$/,
  }).waitFor();
  // One value is kept with a tap; the screen, drawn anew without the conflict, says it is stored.
  await page.goto(`${origin}/child/${ctx.child}`);
  if (process.env.SCREENSHOTS) {
    await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'conflict.png') });
  }
  await page.getByRole('button', { name: '保留“东村”' }).click();
  await page.getByRole('status').getByText('已保存：村/组保留“东村”').waitFor();
  if (process.env.SCREENSHOTS) {
    await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'conflict-kept.png') });
  }
  await page.getByText('村/组：两位老师分别填写了不同的值，请选择保留哪一个。').waitFor({ state: 'detached' });
  assert.equal(await page.getByLabel('村/组').inputValue(), '东村');
  // Two notes need not cost one: both are kept, one after the other.
  await page.getByRole('button', { name: /^两者都保留：“(爱画画；怕黑|怕黑；爱画画)”$/ }).click();
  await page.getByRole('status').getByText(/^已保存：备注两者都保留/).waitFor();
  await page.getByText('备注：两位老师分别填写了不同的值，请选择保留哪一个，或两者都保留。').waitFor({ state: 'detached' });
  assert.match(await page.getByLabel('备注').inputValue(), /^(爱画画；怕黑|怕黑；爱画画)$/);
  // The history says which value was kept, for the teacher whose value it was not.
  await page.goto(`${origin}/child/${ctx.child}/history`);
  await page.getByText('保留“东村”').first().waitFor();
  await page.goto(`${origin}/child/${ctx.child}`);
  await page.getByRole('button', { name: '保留“13900139000”（李老师填写）' }).click();
  await page.getByRole('status').getByText('已保存：电话保留“13900139000”').waitFor();
  // All settled, the roster no longer asks for a choice.
  await page.goto(origin);
  await page.locator('a.child-row', { hasText: '王小红' }).waitFor();
  assert.equal(await page.locator('a.child-row', { hasText: '王小红' }).getByText('两人填写不同').count(), 0);
});

test('the lead checks a teacher\'s record (学校检查); the teacher reads the check on her phone', async () => {
  const origin = server.origin;
  const { a, b } = ctx;
  // The lead opens 李老师's diary note on the timeline; a 检查意见 over 200 characters is refused
  // at its field, nothing stored.
  await b.page.goto(`${origin}/child/${ctx.child}/records`);
  const lis = () => b.page.locator('li.record', { hasText: '李老师：今天主动发言' });
  await lis().locator('summary').click();
  const checks = lis().getByRole('region', { name: '学校检查' });
  await checks.getByLabel('检查意见（可不填）').fill('好'.repeat(201));
  await checks.getByRole('button', { name: '已检查' }).click();
  await checks.getByText('检查意见最多 200 字，现在 201 字。未保存。').waitFor();
  await checks.getByLabel('检查意见（可不填）').fill('记录具体，继续关注孩子发言');
  await checks.getByRole('button', { name: '已检查' }).click();
  await lis().getByText('已保存：已检查').waitFor();
  await lis().getByText(/^王校长 \d+月\d+日 已检查：记录具体，继续关注孩子发言$/).waitFor();
  await lis().locator('summary').getByText('已检查', { exact: true }).waitFor();
  if (process.env.SCREENSHOTS) await b.page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'record-checked.png') });
  // Her own check can be taken back, and made again.
  await lis().getByRole('button', { name: '撤销检查' }).click();
  await lis().getByText('已撤销检查').waitFor();
  assert.equal(await lis().getByText(/已检查：记录具体/).count(), 0);
  await lis().getByLabel('检查意见（可不填）').fill('记录具体，继续关注孩子发言');
  await lis().getByRole('button', { name: '已检查' }).click();
  await lis().getByText('已保存：已检查').waitFor();
  await b.page.goto(origin);
  await waitSynced(b.page);

  // The teacher's phone: the check under her record, marked on its line; she has no 已检查 to tap.
  const teacherSees = async () => {
    const row = a.page.locator('li.record', { hasText: '李老师：今天主动发言' });
    return (await row.locator('summary').getByText('已检查', { exact: true }).count()) > 0;
  };
  await showsSoon(a.page, `${origin}/child/${ctx.child}/records`, teacherSees);
  const mine = a.page.locator('li.record', { hasText: '李老师：今天主动发言' });
  await mine.locator('summary').click();
  await mine.getByText(/^王校长 \d+月\d+日 已检查：记录具体，继续关注孩子发言$/).waitFor();
  assert.equal(await mine.getByRole('button', { name: '已检查' }).count(), 0);
  assert.equal(await mine.getByRole('button', { name: '撤销检查' }).count(), 0);
  // A record nobody checked has nothing of it on her phone.
  const unchecked = a.page.locator('li.record', { hasText: '王老师：午饭吃得很好' });
  await unchecked.locator('summary').click();
  await unchecked.getByRole('button', { name: '更正' }).or(unchecked.locator('dl.values')).first().waitFor();
  assert.equal(await unchecked.getByRole('region', { name: '学校检查' }).count(), 0);
});

test('an automerge-repo client from npm reads and changes what our app wrote', async () => {
  const { Repo, ImmutableString } = await import('@automerge/automerge-repo');
  const { BrowserWebSocketClientAdapter } = await import('@automerge/automerge-repo-network-websocket');
  const { page } = ctx.a;
  const device = anotherDevice(ctx.made.teachers[0].id, '李老师的电脑');
  const url = `${server.origin.replace('http', 'ws')}/sync?token=${encodeURIComponent(device.token)}`;
  const repo = new Repo({ network: [new BrowserWebSocketClientAdapter(url)], peerId: device.peerId });
  try {
    // `find` gives up at once when no peer is connected yet.
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the npm client never joined the server')), 10_000);
      repo.networkSubsystem.once('peer', () => { clearTimeout(timer); resolve(); });
    });
    const handle = await repo.find(`automerge:${ctx.child}`);
    const doc = handle.doc();
    assert.equal(String(doc.kind), 'child');
    assert.equal(String(doc.basic.name), '王小红');
    // Our schema keeps basic fields as plain strings, not collaborative text.
    handle.change((d) => { d.basic.studentNo = new ImmutableString('NODE-42'); });
    // The app shows it once the server has passed it on and the app has stored it.
    await showsSoon(page, `${server.origin}/child/${ctx.child}`,
      async () => (await page.getByLabel('学籍号').inputValue()) === 'NODE-42');
  } finally {
    await repo.shutdown();
  }
});

/** `/api/me` for a device token. */
async function whoAmI(token) {
  const answer = await fetch(`${server.origin}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
  return answer.json();
}

/**
 * A second device of this teacher, enrolled from the server's CLI, for a stock npm client: the
 * server keeps one socket per device, so the npm client using the phone's own device would keep
 * replacing the phone's socket (and the npm adapter, closed by the server, reconnects even after
 * its shutdown).
 */
function anotherDevice(teacherId, name) {
  const { code } = server.cli('enrol-code', '--teacher', teacherId);
  return server.cli('redeem', '--code', code, '--device-name', name);
}

/** A stock automerge-repo (npm) joined to our server as the device with this token. */
async function npmRepo(token, peerId) {
  const { Repo } = await import('@automerge/automerge-repo');
  const { BrowserWebSocketClientAdapter } = await import('@automerge/automerge-repo-network-websocket');
  const url = `${server.origin.replace('http', 'ws')}/sync?token=${encodeURIComponent(token)}`;
  const repo = new Repo({ network: [new BrowserWebSocketClientAdapter(url)], peerId });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the npm client never joined the server')), 10_000);
    repo.networkSubsystem.once('peer', () => { clearTimeout(timer); resolve(); });
  });
  return repo;
}

/** A child's derived document id, as `DocId::derived` makes it (sha-256, uuid v4 bits). */
async function derivedId(child, purpose) {
  const { parseAutomergeUrl, stringifyAutomergeUrl } = await import('@automerge/automerge-repo');
  const { createHash } = await import('node:crypto');
  const { binaryDocumentId } = parseAutomergeUrl(`automerge:${child}`);
  const bytes = Uint8Array.from(createHash('sha256').update('shouwang:').update(purpose)
    .update(binaryDocumentId).digest().subarray(0, 16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return stringifyAutomergeUrl(bytes).slice('automerge:'.length);
}

test('a teacher without a duty sees the name and class only, until the lead gives a duty', async () => {
  const origin = server.origin;
  const zhao = server.cli('teacher', 'create', '--school', ctx.made.school.id, '--name', '赵老师', '--role', 'teacher');
  const { code } = server.cli('enrol-code', '--teacher', zhao.id);
  ctx.c = await startBrowser();
  const { page } = ctx.c;
  await enrol(page, origin, code, '赵老师的手机');
  await page.goto(origin);
  await waitSynced(page);
  // The index lists every child of the school; the archive itself stays on the server.
  await page.getByRole('link', { name: /王小红/ }).waitFor();
  await page.getByText('本校其他儿童（1 名）').waitFor();
  await page.goto(`${origin}/child/${ctx.child}`);
  await page.getByText('这名儿童的档案只给负责教师和关爱负责人查看。如需查看，请关爱负责人为你安排负责教师职责。').waitFor();
  assert.ok(!(await storedDocs(page)).includes(ctx.child), 'no archive of another teacher\'s child on the phone');

  // A stock automerge-repo client from npm, with this teacher's own token, writes the teacher
  // into the child's duties, makes it a lead and changes a setting: the server takes none of it,
  // and the talk cards stay out of reach.
  const device = anotherDevice(zhao.id, '赵老师的电脑');
  const me = await whoAmI(device.token);
  const tamper = await npmRepo(device.token, me.peerId);
  try {
    // The index lists name, grade and class only; the talk cards' id derives from the child's.
    const index = (await tamper.find(me.indexUrl)).doc();
    assert.deepEqual(Object.keys(index.children[ctx.child]).sort(), ['class', 'grade', 'name']);
    const talks = await derivedId(ctx.child, 'talks');
    const directory = await tamper.find(me.directoryUrl);
    directory.change((d) => {
      // Both forms a directory holds: a duty's own key, and an older directory's nested entry.
      d.assignments[`${ctx.child}/${me.teacher.id}/class`] = true;
      d.assignments[ctx.child] = { [me.teacher.id]: { class: true, paired: true } };
      d.teachers[me.teacher.id].role = 'lead';
      d.settings.tampered = 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await assert.rejects(tamper.find(`automerge:${talks}`), 'the talk cards are unavailable');
    await assert.rejects(tamper.find(`automerge:${ctx.child}`), 'the archive is unavailable');
  } finally {
    await tamper.shutdown();
  }
  const leadDevice = anotherDevice(ctx.made.teachers[1].id, '王校长的电脑');
  const check = await npmRepo(leadDevice.token, leadDevice.peerId);
  try {
    const onServer = (await check.find(me.directoryUrl)).doc();
    assert.equal(onServer.assignments[ctx.child]?.[me.teacher.id], undefined, 'no duty on the server');
    assert.equal(onServer.assignments[`${ctx.child}/${me.teacher.id}/class`], undefined, 'nor its own key');
    assert.equal(String(onServer.teachers[me.teacher.id].role), 'teacher', 'still a teacher');
    assert.equal(onServer.settings.tampered, undefined, 'settings unchanged');
  } finally {
    await check.shutdown();
  }

  // A teacher's phone offers no way to give itself a duty: the lead arranges them.
  await page.goto(`${origin}/week`);
  await page.getByText('请关爱负责人在“结对帮扶”中为你安排').waitFor();
  assert.equal(await page.getByLabel('我是这个班的班主任').count(), 0);

  // The lead pairs 赵老师 with the child: the archive and records come to 赵老师's phone.
  const lead = ctx.b.page;
  await lead.goto(`${origin}/pairing`);
  await lead.locator('#assign-child').selectOption(ctx.child);
  await lead.locator('#assign-teacher').selectOption({ label: '赵老师' });
  await lead.locator('#assign-duty').selectOption('paired');
  await lead.getByRole('button', { name: '安排', exact: true }).click();
  await lead.getByText('已保存：赵老师担任王小红的结对帮扶教师').waitFor();
  await lead.goto(origin);
  await waitSynced(lead);
  await showsSoon(page, `${origin}/child/${ctx.child}`,
    async () => (await page.getByLabel('学籍号').count()) > 0, 60_000);
  await showsSoon(page, `${origin}/child/${ctx.child}/records`,
    async () => (await page.getByText('李老师：今天主动发言').count()) > 0, 60_000);
  assert.ok((await storedDocs(page)).includes(ctx.child), 'the archive is on the phone now');

  // 赵老师 writes a diary entry offline; the lead then ends the duty. The entry reaches the
  // school first, then the child's documents leave 赵老师's phone.
  await addDiary(page, origin, ctx.child, '赵老师：课间帮同学捡书');
  await page.goto(origin);
  await waitSynced(page);
  await lead.goto(`${origin}/child/${ctx.child}`);
  await lead.getByRole('button', { name: '取消赵老师的结对帮扶教师职责' }).click();
  await lead.getByText('已保存：赵老师不再担任王小红的结对帮扶教师').waitFor();
  await lead.getByText('负责教师：').filter({ hasNotText: '赵老师' }).waitFor();
  await lead.goto(origin);
  await waitSynced(lead);
  const end = Date.now() + 60_000;
  while ((await storedDocs(page)).includes(ctx.child)) {
    if (Date.now() > end) throw new Error('the archive stayed on the phone after the duty ended');
    await page.goto(origin);
    await waitSynced(page);
    await page.waitForTimeout(500);
  }
  // 赵老师 is told who left her list and that her work reached the school — kept over reloads
  // until she has read it.
  await page.goto(origin);
  const told = page.locator('#handed-over');
  await told.getByText('王小红已不再由你负责（关爱负责人调整了分工）：本机上的有关记录都已上传到学校').waitFor();
  if (process.env.SCREENSHOTS) {
    await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'handed-over.png') });
  }
  await told.getByRole('button', { name: '知道了' }).click();
  await told.waitFor({ state: 'detached' });
  await page.reload();
  await page.getByText('本校其他儿童').first().waitFor();
  assert.equal(await told.count(), 0, 'read once, not said again');
  await showsSoon(lead, `${origin}/child/${ctx.child}/records`,
    async () => (await lead.getByText('赵老师：课间帮同学捡书').count()) > 0);
});

/** The paths the phone's service worker keeps, of every version it has. */
function cachedPaths(page) {
  return page.evaluate(async () => {
    const paths = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

/** The spreadsheet worker's files the phone keeps for offline use. */
async function filesWorkerKept(page) {
  return (await cachedPaths(page)).filter((p) => p.startsWith('/shouwang-files-'));
}

async function keptSoon(page, count, what) {
  const end = Date.now() + 30_000;
  while ((await filesWorkerKept(page)).length !== count) {
    if (Date.now() > end) throw new Error(`${what}: ${await filesWorkerKept(page)}`);
    await page.waitForTimeout(200);
  }
}

test('a lead\'s phone keeps the spreadsheet worker for offline use from the start, a teacher\'s once it was used', async () => {
  const origin = server.origin;
  // 王校长's phone, a care lead's, kept its three files without making any file.
  await keptSoon(ctx.b.page, 3, 'the lead\'s phone keeps the files worker');
  // 赵老师's, set up and enrolled as a teacher, has not: about a quarter of the app's download.
  const { page, context } = ctx.c;
  await page.goto(origin);
  await waitForServiceWorker(page);
  assert.ok((await cachedPaths(page)).some((p) => p.startsWith('/split_child_screens-')), 'the app itself is kept');
  assert.deepEqual(await filesWorkerKept(page), [], 'a teacher\'s phone keeps no files worker before it is used');
  assert.ok(!(await cachedPaths(page)).some((p) => p.startsWith('/split_county_screen-')), 'nor the county\'s screen, which the bureau opens');

  // Offline, the first Excel says why it cannot be made, beneath the button; nothing else changes.
  await page.goto(`${origin}/dashboard`);
  const exportButton = page.getByRole('button', { name: '导出 Excel' });
  await exportButton.waitFor();
  await context.setOffline(true);
  await exportButton.click();
  await page.getByRole('alert').getByText('表格组件还没有下载到本机，现在又没有网络。请连上网络后再试一次，之后没有网络也能导出和导入。本机的记录不受影响。').waitFor();
  if (process.env.SCREENSHOTS) {
    await page.getByRole('alert').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'export-offline-not-kept.png') });
  }
  await context.setOffline(false);
  const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
  assert.match(download.suggestedFilename(), /^石门小学-留守儿童关爱统计-.*\.xlsx$/, 'named with the school');
  await keptSoon(page, 3, 'the files worker kept once used');

  // From then on, with the network gone and the page loaded afresh, the worker starts from the
  // phone and the workbook is made.
  await context.setOffline(true);
  await page.reload();
  await exportButton.waitFor();
  const [offline] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
  assert.match(offline.suggestedFilename(), /^石门小学-留守儿童关爱统计-.*\.xlsx$/);
  await context.setOffline(false);
  // The bureau's 登记表 names the enrolled school as 填报单位 until someone types another.
  await page.goto(`${origin}/register`);
  assert.equal(await page.getByLabel('填报单位').inputValue(), '石门小学');
});

test('the server is killed mid-sync; the phone keeps working and resumes by itself', async () => {
  const { page } = ctx.a;
  const origin = server.origin;
  await server.kill();
  await addDiary(page, origin, ctx.child, '李老师：服务器停机时写的');
  await page.goto(origin);
  await page.locator('#sync-status[data-phase="offline"]').waitFor({ timeout: 20_000 });
  assert.match(await page.locator('#sync-pending').innerText(), /尚未上传到学校/);
  // The phone has a network: the server is what does not answer, not the Wi‑Fi to find.
  await page.locator('#sync-status', { hasText: '学校服务器暂时连不上，稍后会自动重试；记录都保存在本机' }).waitFor();
  await server.start();
  assert.equal(server.origin, origin, 'restarted on the same port');
  // Backoff is at most a few minutes; here the server was down a few seconds.
  await waitSynced(page, 90_000);
  // The other phone, connected all along, resumes too and receives it.
  const other = ctx.b.page;
  await showsSoon(other, `${origin}/child/${ctx.child}/records`,
    async () => (await other.getByText('李老师：服务器停机时写的').count()) > 0, 90_000);
});

test('a revoked phone erases its records, drafts and token, and says so in Chinese', async () => {
  const { page } = ctx.b;
  const enrolment = await enrolmentOf(page);
  await page.goto(server.origin);
  assert.ok((await storedDocs(page)).length > 0);
  server.cli('devices', 'revoke', '--device', enrolment.device.id);
  const wiped = '学校已停用本机，本机上的全部儿童记录、草稿和登记信息已删除。如需继续使用，请向关爱负责人申请新的登记码。';
  await page.getByText(wiped).waitFor({ timeout: 20_000 });
  assert.deepEqual(await storedDocs(page), []);
  const kept = await page.evaluate(() => Object.keys(localStorage));
  for (const gone of ['shouwang.token', 'shouwang.enrolment', 'shouwang.me', 'shouwang.syncedHeads', 'shouwang.syncedServer']) {
    assert.ok(!kept.includes(gone), `${gone} still on the phone`);
  }
  // Still said after a restart, and the phone asks the server nothing more.
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/') || r.url().includes('/sync')) asked.push(r.url()); });
  await page.reload();
  await page.getByText(wiped).waitFor();
  await page.waitForTimeout(1000);
  assert.deepEqual(asked, []);
});
