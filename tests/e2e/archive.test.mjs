// Filling a child's archive on a phone: each section saved on its own, bad phone numbers caught at
// the field, 五个清楚 turning complete, the category derived (never picked), then the contact card,
// the print view and the change history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, addChild, editSection } from './support.mjs';

const ctx = session();

test('a complete archive turns 五个清楚 complete and derives the category', async () => {
  const { page } = ctx.browser;
  await page.goto(ctx.server.origin);
  await addChild(page, { name: '张小明', gender: '男', birth: '2014-03-05', grade: '三年级', class: '2', village: '李家村三组' });
  await page.getByRole('link', { name: /张小明/ }).click();
  await page.getByText('五个清楚：1/5').waitFor();
  await page.getByText('性格特征：缺 性格特点').waitFor();

  // Typing left mid-edit (the phone locks itself, a reload) comes back in its open form; 取消
  // forgets it.
  const character = page.getByRole('region', { name: '性格与兴趣' });
  await character.getByRole('button', { name: '编辑性格与兴趣' }).click();
  await character.getByLabel('性格特点').fill('爱讲故事');
  await page.waitForTimeout(300);
  await page.reload();
  await character.getByText('已恢复上次未保存的内容。').waitFor();
  assert.equal(await character.getByLabel('性格特点').inputValue(), '爱讲故事');
  await character.getByRole('button', { name: '取消' }).click();
  await character.getByRole('button', { name: '编辑性格与兴趣' }).waitFor();
  await page.reload();
  await character.getByRole('button', { name: '编辑性格与兴趣' }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(await character.getByLabel('性格特点').count(), 0, 'cancelled: not opened again');

  await editSection(page, '性格与兴趣', async (s) => {
    await s.getByLabel('性格特点').fill('内向，爱笑');
    await s.getByLabel('兴趣爱好').fill('画画');
  });
  await editSection(page, '健康状况', (s) => s.getByLabel('身体情况').selectOption({ label: '健康' }));
  await page.getByText('五个清楚：4/5').waitFor();

  // A wrong phone number is explained at the field and nothing is saved.
  const father = page.getByRole('region', { name: '父亲' });
  await father.getByRole('button', { name: '编辑父亲' }).click();
  await father.getByLabel('姓名').fill('张大山');
  await father.getByLabel('现状').selectOption({ label: '外出务工' });
  await father.getByLabel('电话').fill('12345');
  await father.getByRole('button', { name: '保存' }).click();
  await father.getByText('电话：请填写 11 位手机号，或带区号的座机号（如 0731-88881234）').waitFor();
  assert.equal(await father.getByLabel('姓名').inputValue(), '张大山', 'what was typed is kept');
  await father.getByLabel('电话').fill('138 0013 8000');
  await father.getByRole('button', { name: '保存' }).click();
  await father.getByText('13800138000').waitFor();

  await editSection(page, '母亲', async (s) => {
    await s.getByLabel('姓名').fill('李秀英');
    await s.getByLabel('现状').selectOption({ label: '外出务工' });
    await s.getByLabel('电话').fill('13900139000');
  });
  await page.getByText('无有效监护').waitFor();

  // Begun and given up: no empty 监护人 card is left behind.
  await page.getByRole('button', { name: '＋ 添加监护人' }).click();
  await page.getByRole('region', { name: '监护人 1' }).getByRole('button', { name: '取消' }).click();
  await page.getByRole('button', { name: '＋ 添加监护人' }).waitFor();
  assert.equal(await page.getByRole('region', { name: '监护人 1' }).count(), 0);

  await page.getByRole('button', { name: '＋ 添加监护人' }).click();
  const guardian = page.getByRole('region', { name: '监护人 1' });
  await guardian.getByLabel('姓名').fill('张奶奶');
  await guardian.getByLabel('与儿童关系').selectOption({ label: '祖母' });
  await guardian.getByLabel('年龄').fill('68');
  await guardian.getByLabel('电话').fill('0731-88881234');
  await guardian.getByRole('button', { name: '保存' }).click();

  await page.getByText('五个清楚：5/5').waitFor();
  await page.getByText('双亲外出', { exact: true }).waitFor();
  assert.equal(await page.getByText('无有效监护').count(), 0);

  await page.reload();
  await page.getByText('五个清楚：5/5').waitFor();
});

test('the contact card calls and texts with one tap, and leads to the call\'s record', async () => {
  const { page } = ctx.browser;
  await page.getByRole('link', { name: '联系卡' }).click();
  const call = page.getByRole('link', { name: '拨打父亲张大山电话 13800138000' });
  assert.equal(await call.getAttribute('href'), 'tel:13800138000');
  assert.equal(await page.getByRole('link', { name: '拨打监护人（祖母）张奶奶电话 0731-88881234' }).getAttribute('href'), 'tel:073188881234');
  const texts = await page.getByRole('link', { name: '短信' }).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(texts, ['sms:13800138000', 'sms:13900139000'], 'landlines get no 短信');
  // The call's record is one more tap.
  const record = page.getByRole('navigation', { name: '记下这次联系' });
  assert.match(await record.getByRole('link', { name: '＋ 记录与家长联系' }).getAttribute('href'), /^\/child\/[^/]+\/add\/parentContacts$/);
  assert.match(await record.getByRole('link', { name: '＋ 记录亲情联系' }).getAttribute('href'), /^\/child\/[^/]+\/add\/familyContacts$/);
});

test('the print view lays out the whole archive and the history says who changed what', async () => {
  const { page } = ctx.browser;
  await page.getByRole('link', { name: '返回档案' }).click();
  await page.getByRole('link', { name: '打印档案' }).click();
  await page.getByRole('heading', { name: '留守儿童档案' }).waitFor();
  await page.getByRole('cell', { name: '张大山' }).waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('button', { name: '打印' }).isVisible(), false, 'buttons are not printed');
  await page.emulateMedia({ media: 'screen' });

  await page.getByRole('link', { name: '返回档案' }).click();
  await page.getByRole('link', { name: '修改记录' }).click();
  await page.getByText('父亲 · 电话').waitFor();
  await page.getByText(/起：双亲外出/).waitFor();
  await page.getByText('监护人 1 · 姓名').waitFor();
  // 新建档案 names what was filled in Chinese, never the document's own markers.
  const created = await page.locator('.history .edit', { hasText: '新建档案' }).textContent();
  assert.match(created, /基本信息 · 姓名/);
  assert.doesNotMatch(created, /[A-Za-z]/, created);
  assert.deepEqual(ctx.browser.errors, []);
});

test('the roster finds a child by initials and filters, and the school rates follow the archives', async () => {
  const { page } = ctx.browser;
  await page.goto(ctx.server.origin);
  await addChild(page, { name: '李小红', gender: '女', birth: '2015-06-01', grade: '三年级', class: '2', village: '王家村' });
  await page.getByText('共 2 名儿童').waitFor();

  await page.getByLabel('查找儿童（姓名、拼音或首字母）').fill('zxm');
  await page.getByText('找到 1 名（在校共 2 名）').waitFor();
  assert.deepEqual(await page.locator('.child-name').allTextContents(), ['张小明']);
  await page.getByLabel('查找儿童（姓名、拼音或首字母）').fill('');
  await page.getByText('筛选').click();
  await page.getByLabel('五个清楚未完成').check();
  assert.deepEqual(await page.locator('.child-name').allTextContents(), ['李小红']);
  await page.getByLabel('五个清楚未完成').uncheck();
  await page.getByLabel('类别').selectOption({ label: '双亲外出' });
  assert.deepEqual(await page.locator('.child-name').allTextContents(), ['张小明']);

  await page.getByRole('link', { name: '统计' }).click();
  // 李小红's parents are not recorded yet: she is not called 留守 but listed as needing the facts
  // (her archive still counts in the rates: it is not complete).
  await page.getByText('留守儿童 1 人，学校关爱对象（非留守）0 人，建档率 50.0%，五个清楚完整度 60.0%，无有效监护 0 人').waitFor();
  await page.locator('#needs-facts').getByRole('link', { name: '李小红' }).waitFor();
  // No teacher is responsible for anyone yet: said, not a table of headings alone (a chart's
  // labels drawn whole is the screens test's check, screen-checks.mjs).
  await page.getByText('还没有教师负责儿童：在“结对帮扶”中安排后，这里按教师统计。').waitFor();
  assert.equal(await page.getByRole('region', { name: '按负责教师的关爱完成情况' }).count(), 0);
  await page.getByRole('link', { name: '返回名册' }).click();
  await page.getByRole('link', { name: /李小红/ }).click();
  const father = page.getByRole('region', { name: '父亲' });
  await father.getByRole('button', { name: '编辑父亲' }).click();
  await father.getByLabel('现状').selectOption({ label: '外出务工' });
  await father.getByRole('button', { name: '保存' }).click();
  await father.getByRole('button', { name: '编辑父亲' }).waitFor();
  await page.getByText('单亲外出', { exact: true }).waitFor();
  await page.goto(`${ctx.server.origin}/school`);
  // One parent away and the other at home: the school cares for her, the bureau does not count
  // her as 留守 (State Council 2016).
  await page.getByText('留守儿童 1 人，学校关爱对象（非留守）1 人，建档率 50.0%，五个清楚完整度 60.0%，无有效监护 0 人').waitFor();
  await page.getByRole('row', { name: '单亲外出 学校关爱对象（非留守） 1' }).waitFor();
  // The class's line of the archive table (the care tables below list the class too).
  await page.getByRole('row', { name: '三年级2班 2 50.0% 60.0%' }).waitFor();
  // 建档率 explained child by child: whose archive is not complete, and what it lacks.
  const incomplete = page.locator('#incomplete-archives');
  await incomplete.getByText('档案尚未建全的儿童 1 名（缺哪几项）').click();
  const lacking = await incomplete.getByRole('link').allTextContents();
  assert.equal(lacking.length, 1);
  assert.match(lacking[0], /^.+（三年级2班）：缺(基本信息|性格特征|兴趣爱好|健康状况|父母及监护人联系方式)(、(基本信息|性格特征|兴趣爱好|健康状况|父母及监护人联系方式))*$/);
  console.log(`incomplete archive: ${lacking[0]}`);
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/school-incomplete.png`, fullPage: true });
});


test('the guardian\'s consent: the form to sign printed, a half answer refused at its field, recorded, and counted for the school', async () => {
  const { page } = ctx.browser;
  const origin = ctx.server.origin;
  await page.goto(origin);
  await page.getByRole('link', { name: /张小明/ }).click();
  const summary = page.getByRole('region', { name: '档案概况' });
  await summary.getByText('监护人知情同意：未记录').waitFor();
  await summary.getByText(/^尚未记录监护人知情同意：请打印知情同意书/).waitFor();

  // The form the grandmother signs, filled with the child and the class.
  await page.getByRole('link', { name: '知情同意书' }).click();
  await page.getByText('留守儿童关爱信息知情同意书').waitFor();
  await page.getByText('儿童姓名：张小明　　班级：三年级2班').waitFor();
  await page.getByText(/可以撤回同意/).waitFor();
  await page.getByRole('button', { name: '打印知情同意书' }).waitFor();
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/consent-form.png` });
  // The class's at once, one a page, for every child whose guardian has not signed.
  await page.getByRole('link', { name: '打印全班尚未签字的知情同意书' }).click();
  await page.locator('#consent-batch').getByText('共 2 份，每名儿童一页。').waitFor();
  assert.equal(await page.locator('.consent-form').count(), 2);
  await page.locator('.consent-form').getByText('儿童姓名：李小红　　班级：三年级2班').waitFor();
  await page.goBack();
  await page.getByRole('button', { name: '打印知情同意书' }).waitFor();
  await page.goBack();

  // Said yes at the door, not yet signed. The form offers the guardian on file and today; who
  // said it is asked for at the field when left empty.
  const consent = page.getByRole('region', { name: '监护人知情同意' });
  assert.equal(await consent.getByText('张奶奶').count(), 0, 'offered in the form only');
  await consent.getByRole('button', { name: '编辑监护人知情同意' }).click();
  assert.equal(await consent.getByLabel('监护人姓名').inputValue(), '张奶奶');
  assert.equal(await consent.getByLabel('与儿童关系').inputValue(), '祖母');
  assert.match(await consent.getByLabel('签字或表态日期').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
  await consent.getByLabel('监护人意见').selectOption({ label: '口头同意（待补签字）' });
  await consent.getByLabel('监护人姓名').fill('');
  await consent.getByRole('button', { name: '保存' }).click();
  await consent.getByText(/请填写监护人姓名/).waitFor();
  await consent.getByLabel('监护人姓名').fill('张奶奶');
  await consent.getByLabel('签字或表态日期').fill('2026-11-20');
  await consent.getByRole('button', { name: '保存' }).click();
  await consent.getByRole('button', { name: '编辑监护人知情同意' }).waitFor();
  await summary.getByText('监护人知情同意：口头同意（待补签字）').waitFor();
  await summary.getByText(/^监护人已口头同意，尚未签字/).waitFor();
  if (process.env.SCREENSHOTS) {
    await summary.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${process.env.SCREENSHOTS}/consent-summary.png` });
  }

  // The school's figures say where each child stands, and whom to ask.
  await page.goto(`${origin}/school`);
  await page.locator('#consent-figures').getByText('监护人知情同意：口头同意（待补签字） 1 名、未记录 1 名。').waitFor();
  const asking = page.locator('#consent-missing');
  await asking.getByText('尚未书面签字同意的儿童 2 名').click();
  assert.deepEqual((await asking.getByRole('link').allTextContents()).sort(), [
    '张小明（三年级2班）：口头同意（待补签字）',
    '李小红（三年级2班）：未记录',
  ]);
  if (process.env.SCREENSHOTS) {
    await asking.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${process.env.SCREENSHOTS}/consent-school.png` });
  }

  // Signed on the next visit, recorded there in one tap (a slip taken back with 撤销, then again):
  // nothing left to do for him, and the school counts it over a reload.
  await asking.getByRole('link', { name: /张小明/ }).click();
  await page.waitForURL(/\/child\/[^/]+$/);
  const childPath = new URL(page.url()).pathname;
  await page.goto(`${origin}${childPath}/visit`);
  await page.locator('#consent-reminder').getByText('监护人知情同意：口头同意（待补签字）。这次家访请带上').waitFor();
  const signing = page.getByRole('button', { name: '张奶奶已在知情同意书上签字' });
  await signing.click();
  const signed = page.getByRole('status').filter({ hasText: /^已保存：张奶奶已书面签字同意（\d+月\d+日）/ });
  await signed.waitFor();
  assert.equal(await signing.count(), 0, 'recorded: the button is gone');
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/visit-consent-signed.png` });
  await signed.getByRole('button', { name: '撤销' }).click();
  await page.getByRole('status').filter({ hasText: '已撤销：监护人知情同意仍为口头同意（待补签字）' }).waitFor();
  await signing.click();
  await signed.waitFor();
  await page.goto(`${origin}${childPath}`);
  await summary.getByText('监护人知情同意：书面签字同意').waitFor();
  assert.equal(await summary.getByText(/尚未签字|尚未记录/).count(), 0);
  await page.goto(`${origin}/school`);
  await page.locator('#consent-figures').getByText('监护人知情同意：书面签字同意 1 名、未记录 1 名。').waitFor();
  // The roster narrows to whom a teacher still has to ask.
  await page.getByRole('link', { name: '返回名册' }).click();
  await page.getByText('筛选').click();
  await page.getByLabel('知情同意未签字').check();
  await page.getByText('找到 1 名（在校共 2 名）').waitFor();
  assert.deepEqual(await page.locator('.child-name').allTextContents(), ['李小红']);
  await page.getByLabel('知情同意未签字').uncheck();
});
