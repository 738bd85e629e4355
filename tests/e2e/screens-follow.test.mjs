// Screens follow their documents: a teacher's phone shows a child's archive, then its records;
// the care lead changes that child on another phone and syncs, and the teacher's screen shows
// the change where it stands, without being opened again. A change to another child arrives
// too, and the open archive is not drawn again for it; one that arrives while the teacher types
// in it leaves the typing alone.
// Records the lead writes first reach a records screen the teacher opened before there were any.
// A child the teacher adds while the lead's phone is open reaches it, and the first talk she
// writes about the child reaches the lead's open records screen (the lead's phone asked for the
// child's talks mid-connection, holding nothing, and the server tells it once they exist).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addChild } from './support.mjs';
import { schoolWithPhones, enrol, waitSynced } from './sync-support.mjs';

const ctx = schoolWithPhones('石门小学', [{ name: '李老师' }, { name: '王校长', role: 'lead' }], ['teacher', 'lead']);
const { server } = ctx;

/** The id of the roster's child of that name, as the phone links it. */
async function idOf(page, name) {
  const href = await page.getByRole('link', { name: new RegExp(name) }).first().getAttribute('href');
  return href.split('/')[2];
}

/** How many stored chunks the phone holds of a document: one more for each change it keeps. */
function chunksOf(page, id) {
  return page.evaluate((doc) => new Promise((resolve, reject) => {
    const open = indexedDB.open('shouwang');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('chunks').objectStore('chunks').getAllKeys();
      request.onerror = () => reject(request.error);
      request.onsuccess = () => resolve(request.result.filter((key) => key[0] === doc).length);
    };
  }), id);
}

/** On the lead's phone: edits one field of an archive section of the child and saves it. */
async function editSection(page, origin, child, section, label, value) {
  await page.goto(`${origin}/child/${child}`);
  const card = page.getByRole('region', { name: section });
  await card.getByRole('button', { name: `编辑${section}` }).click();
  await card.getByLabel(label).fill(value);
  await card.getByRole('button', { name: '保存' }).click();
  await card.getByText(value).waitFor();
  await page.goto(origin);
  await waitSynced(page);
}

/** Writes a 成长日记 entry about the child and saves it. */
async function addDiary(page, origin, child, text) {
  await page.goto(`${origin}/child/${child}/add/diary`);
  await page.getByLabel('记录', { exact: true }).fill(text);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存：成长日记').waitFor();
}

test('the lead changes a child on one phone; the teacher\'s open archive and records show it', async () => {
  const origin = server.origin;
  const teacher = ctx.teacher.page;
  const lead = ctx.lead.page;
  await enrol(teacher, origin, ctx.made.teachers[0].code, '李老师的手机');
  await teacher.goto(origin);
  // The teacher brings both children and so is their 班主任: their documents stay on the phone.
  for (const name of ['王小红', '张小明']) {
    await addChild(teacher, { name, gender: '女', birth: '2016-04-02', grade: '三年级', class: '1', village: '石门村' });
    await teacher.goto(origin);
  }
  await waitSynced(teacher);
  const [red, ming] = [await idOf(teacher, '王小红'), await idOf(teacher, '张小明')];
  await enrol(lead, origin, ctx.made.teachers[1].code, '王校长的手机');
  await lead.goto(origin);
  await lead.getByRole('link', { name: /张小明/ }).waitFor({ timeout: 30_000 });
  await waitSynced(lead);

  // The teacher opens 王小红's archive and leaves it open; nothing below navigates this page.
  await teacher.goto(`${origin}/child/${red}`);
  const profile = teacher.getByRole('region', { name: '性格与兴趣' });
  await profile.waitFor();
  await teacher.evaluate(() => {
    window.sameLoad = true;
    document.querySelector('main form').dataset.drawn = 'first';
  });

  // Another child changes: it reaches the phone, and 王小红's screen is not drawn again.
  const before = await chunksOf(teacher, ming);
  await editSection(lead, origin, ming, '性格与兴趣', '兴趣爱好', '下棋');
  const end = Date.now() + 60_000;
  while (await chunksOf(teacher, ming) === before) {
    if (Date.now() > end) throw new Error('张小明\'s change never reached the teacher\'s phone');
    await teacher.waitForTimeout(200);
  }
  await teacher.waitForTimeout(500);
  assert.equal(await teacher.evaluate(() => document.querySelector('main form')?.dataset.drawn), 'first',
    '王小红\'s archive was drawn again for 张小明\'s change');

  // 王小红 changes: her open archive shows it.
  await editSection(lead, origin, red, '性格与兴趣', '兴趣爱好', '画画和跳绳');
  await profile.getByText('画画和跳绳').waitFor({ timeout: 60_000 });
  assert.equal(teacher.url(), `${origin}/child/${red}`);
  assert.equal(await teacher.evaluate(() => window.sameLoad), true, 'the page was not loaded again');

  // The teacher is typing in her basic information when another change of hers arrives: it
  // shows at once, and the cursor and the typing stay where they are.
  const village = teacher.getByLabel('村/组', { exact: true });
  await village.fill('石门村二组');
  await teacher.evaluate(() => { document.querySelector('main form').dataset.drawn = 'typing'; });
  await editSection(lead, origin, red, '性格与兴趣', '兴趣爱好', '唱歌');
  await profile.getByText('唱歌').waitFor({ timeout: 60_000 });
  assert.equal(await teacher.evaluate(() => document.querySelector('main form')?.dataset.drawn), 'typing',
    'the form was drawn anew while the teacher typed in it');
  assert.equal(await village.inputValue(), '石门村二组');
  assert.equal(await teacher.evaluate(() => document.activeElement?.id), await village.getAttribute('id'),
    'the cursor stayed in the field');
  // Meanwhile the lead gives her a 学籍号 on the lead's phone. The teacher's form never showed
  // it; her save keeps it, and writes her own village.
  const redBefore = await chunksOf(teacher, red);
  await lead.goto(`${origin}/child/${red}`);
  await lead.locator('main form').first().getByLabel('学籍号').fill('G20160402');
  await lead.locator('main form').first().getByRole('button', { name: '保存', exact: true }).click();
  await lead.locator('main form').first().getByText('已保存').waitFor();
  await lead.goto(origin);
  await waitSynced(lead);
  const arrival = Date.now() + 60_000;
  while (await chunksOf(teacher, red) === redBefore) {
    if (Date.now() > arrival) throw new Error('王小红\'s 学籍号 never reached the teacher\'s phone');
    await teacher.waitForTimeout(200);
  }
  await teacher.waitForTimeout(500);
  await teacher.locator('main form').first().getByRole('button', { name: '保存', exact: true }).click();
  await teacher.locator('main form').first().getByText('已保存').waitFor();
  // The archive is drawn again from what was saved.
  const studentNo = teacher.locator('main form').first().getByLabel('学籍号');
  const drawn = Date.now() + 10_000;
  while (await studentNo.inputValue() !== 'G20160402') {
    if (Date.now() > drawn) throw new Error(`the lead's 学籍号 was written over: ${await studentNo.inputValue()}`);
    await teacher.waitForTimeout(200);
  }
  assert.equal(await village.inputValue(), '石门村二组', 'what the teacher typed is saved');

  // The same in a section: the teacher's open 性格与兴趣 form shows 唱歌 when the lead changes
  // it to 跳舞; the teacher writes 特长 only, and the lead's 兴趣爱好 stays.
  await profile.getByRole('button', { name: '编辑性格与兴趣' }).click();
  await profile.getByLabel('特长').fill('书法');
  const sectionBefore = await chunksOf(teacher, red);
  await editSection(lead, origin, red, '性格与兴趣', '兴趣爱好', '跳舞');
  const sectionArrival = Date.now() + 60_000;
  while (await chunksOf(teacher, red) === sectionBefore) {
    if (Date.now() > sectionArrival) throw new Error('王小红\'s 兴趣爱好 never reached the teacher\'s phone');
    await teacher.waitForTimeout(200);
  }
  assert.equal(await profile.getByLabel('兴趣爱好').inputValue(), '唱歌', 'the open form is left as it was');
  await profile.getByRole('button', { name: '保存' }).click();
  await profile.getByText('书法').waitFor();
  await profile.getByText('跳舞').waitFor({ timeout: 10_000 });
  assert.equal(await village.inputValue(), '石门村二组', 'what was typed is saved');

  // Her records, opened on the teacher's phone before anyone wrote one (a fresh load: the phone
  // asks the server for them as it starts), show the lead's first entry as it arrives.
  await teacher.goto(`${origin}/child/${red}/records`);
  await teacher.getByText('还没有记录。').waitFor();
  // Time for the phone to connect and ask (this screen shows no sync status to wait on).
  await teacher.waitForTimeout(2000);
  await teacher.evaluate(() => { window.sameLoad = true; });
  await addDiary(lead, origin, red, '王校长：课间主动帮同学捡书');
  await lead.goto(origin);
  await waitSynced(lead);
  await teacher.getByText('王校长：课间主动帮同学捡书').first().waitFor({ timeout: 60_000 });
  await teacher.getByText('共 1 条记录').waitFor();
  assert.equal(teacher.url(), `${origin}/child/${red}/records`);
  assert.equal(await teacher.evaluate(() => window.sameLoad), true, 'the page was not loaded again');
});

test('a child added while the lead\'s phone is open, then its first talk, reach the lead without a reload', async () => {
  const origin = server.origin;
  const teacher = ctx.teacher.page;
  const lead = ctx.lead.page;
  await lead.goto(origin);
  await waitSynced(lead);
  await lead.evaluate(() => { window.sameLoad = true; });

  await teacher.goto(origin);
  await addChild(teacher, { name: '李小兰', gender: '女', birth: '2015-09-10', grade: '四年级', class: '1', village: '石门村' });
  await teacher.goto(origin);
  await waitSynced(teacher);
  const lan = await idOf(teacher, '李小兰');

  // On the lead's phone the child arrives in the roster; the lead opens her records.
  await lead.getByRole('link', { name: /李小兰/ }).waitFor({ timeout: 60_000 });
  await waitSynced(lead);
  await lead.getByRole('link', { name: /李小兰/ }).click();
  await lead.getByRole('link', { name: '关爱记录' }).click();
  await lead.getByText('还没有记录。').waitFor();

  await teacher.goto(`${origin}/child/${lan}/records`);
  await teacher.getByRole('link', { name: '＋ 谈心' }).click();
  await teacher.getByLabel('谈心主题').fill('想爸爸');
  await teacher.getByLabel('教师的疏导与帮助').fill('约好周日和爸爸视频');
  await teacher.getByRole('button', { name: '保存' }).click();
  await teacher.getByText('已保存：谈心').waitFor();
  await teacher.goto(origin);
  await waitSynced(teacher);

  await lead.locator('.record-headline', { hasText: '想爸爸' }).waitFor({ timeout: 60_000 });
  await lead.getByText('共 1 条记录').waitFor();
  assert.equal(lead.url(), `${origin}/child/${lan}/records`);
  assert.equal(await lead.evaluate(() => window.sameLoad), true, 'the lead\'s page was not loaded again');
});
