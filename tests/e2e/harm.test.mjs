// 强制报告 (未成年人保护法 Art. 11): a class teacher who finds signs of harm on a home visit in a
// village with no signal records it as 发现，尚未报告 and is told at once what the law asks; the
// school's 关爱检查 lists it first, in red; once reported, the visit is corrected (报告对象 and
// 报告日期 refused until given) and 关爱检查, the timeline and the paper 家访记录表 say to whom and
// when. A talk card's harm not yet reported is listed as well, and the class teacher's 我的一周 puts
// both first until each is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { session, addLeadAndTeacher, addChild, fixToday } from './support.mjs';

const ctx = session();

test('harm found on a visit offline is listed for the school until reported, then says to whom and when', async () => {
  const { origin } = ctx.server;
  const { page, context } = ctx.browser;
  await fixToday(context, new Date('2026-11-24T10:00:00+08:00'));
  await page.goto(origin);
  await addLeadAndTeacher(page);
  await page.goto(origin);
  await addChild(page, { name: '刘小花', gender: '女', birth: '2016-05-06', grade: '四年级', class: '2', village: '石门村3组' });
  await page.goto(origin);
  await addChild(page, { name: '陈小军', gender: '男', birth: '2016-03-02', grade: '四年级', class: '2', village: '石门村1组' });

  // In the kitchen, no signal: the visit finds bruises; she cannot report from there.
  await context.setOffline(true);
  await page.goto(origin);
  await page.getByRole('link', { name: /刘小花/ }).first().click();
  await page.getByRole('link', { name: '关爱记录' }).click();
  await page.getByRole('link', { name: '＋ 记录家访' }).click();
  await page.getByText('监护人', { exact: true }).click();
  await page.getByRole('button', { name: '作业无人辅导' }).click();
  await page.getByText('发现，尚未报告', { exact: true }).click();
  await page.getByText('发现侵害或疑似侵害，应立即向公安机关报告（未成年人保护法第十一条），并告诉学校关爱负责人。', { exact: false }).waitFor();
  if (process.env.SCREENSHOTS) await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'visit-harm-pending.png') });
  await page.getByRole('button', { name: '保存家访记录' }).click();
  await page.getByText('已保存：家访记录').waitFor();

  // A talk card with 陈小军 the same day also finds harm, not yet reported.
  await page.goto(origin);
  await page.getByRole('link', { name: /陈小军/ }).first().click();
  await page.getByRole('link', { name: '关爱记录' }).click();
  await page.getByRole('link', { name: '＋ 谈心' }).click();
  await page.getByLabel('谈心主题').fill('身上有伤');
  await page.getByLabel('教师的疏导与帮助').fill('安慰孩子，告诉他老师会帮他');
  await page.getByText('发现，尚未报告', { exact: true }).click();
  await page.getByText('发现侵害或疑似侵害，应立即向公安机关报告', { exact: false }).waitFor();
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存：谈心').waitFor();

  // The school's check lists both first, in red, with what to do.
  await page.goto(`${origin}/dashboard`);
  const card = page.getByRole('region', { name: '强制报告：发现侵害或疑似侵害' });
  await card.getByText('2 条记录发现侵害或疑似侵害尚未报告：请立即核实，并向公安机关报告（未成年人保护法第十一条）。', { exact: false }).waitFor();
  await card.locator('li.overdue', { hasText: '刘小花' }).getByText('11月24日 家访：发现侵害或疑似侵害，尚未报告').waitFor();
  await card.locator('li.overdue', { hasText: '陈小军' }).getByText('11月24日 谈心：发现侵害或疑似侵害，尚未报告').waitFor();
  if (process.env.SCREENSHOTS) {
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'dashboard-harm.png') });
  }

  // Her own week, once she takes the class, puts both first until they are reported.
  await page.goto(`${origin}/week`);
  await page.getByLabel('我是这个班的班主任').selectOption({ label: '四年级2班' });
  await page.getByRole('button', { name: '负责这个班的全部儿童' }).click();
  const toReport = page.getByRole('region', { name: '发现侵害或疑似侵害，尚未报告（2）' });
  await toReport.getByRole('link', { name: /刘小花 11月24日 家访 尚未报告/ }).waitFor();
  await toReport.getByRole('link', { name: /陈小军 11月24日 谈心 尚未报告/ }).waitFor();
  if (process.env.SCREENSHOTS) await page.screenshot({ path: path.join(process.env.SCREENSHOTS, 'week-harm.png') });
  await page.goto(`${origin}/dashboard`);

  // Reported to the police: the visit is corrected. 发现，已报告 asks whom and when, and a day
  // after today is refused; nothing is saved until both are right.
  await card.locator('li', { hasText: '刘小花' }).getByRole('link', { name: '记录' }).click();
  await page.waitForURL(/\/records$/);
  const child = page.url().replace(/\/records$/, '');
  const visit = page.locator('.record', { hasText: '家访' }).first();
  await visit.locator('summary').click();
  await visit.getByText('发现侵害或疑似侵害，尚未报告').waitFor();
  await visit.getByRole('link', { name: '更正' }).click();
  await page.getByRole('heading', { name: '更正家访' }).waitFor();
  await page.getByText('发现，已报告', { exact: true }).click();
  await page.getByRole('button', { name: '保存家访记录' }).click();
  await page.getByText('已报告侵害时请填写报告对象（公安、民政、教育部门）').first().waitFor();
  await page.getByText('已报告侵害时请填写报告日期').first().waitFor();
  await page.getByLabel('报告对象（公安、民政、教育部门）').fill('石门镇派出所');
  await page.getByLabel('报告日期').fill('2026-11-25');
  await page.getByRole('button', { name: '保存家访记录' }).click();
  await page.getByText('报告日期不能晚于今天').first().waitFor();
  await page.getByLabel('报告日期').fill('2026-11-24');
  await page.getByRole('button', { name: '保存家访记录' }).click();
  await page.getByText('已更正：家访记录').waitFor();
  const corrected = page.locator('.record', { hasText: '家访' }).first();
  await corrected.locator('summary').click();
  await corrected.getByText('发现侵害或疑似侵害，已于 11月24日 报告：石门镇派出所').waitFor();
  assert.equal(await page.locator('.record .kind-visits').count(), 1, 'corrected, not added');

  // 关爱检查 now lists the talk card alone as not reported, and the visit with whom and when.
  await page.goto(`${origin}/dashboard`);
  await card.getByText('1 条记录发现侵害或疑似侵害尚未报告', { exact: false }).waitFor();
  await page.goto(`${origin}/week`);
  await page.getByRole('region', { name: '发现侵害或疑似侵害，尚未报告（1）' }).getByRole('link', { name: /陈小军/ }).waitFor();
  await page.goto(`${origin}/dashboard`);
  await card.locator('li', { hasText: '刘小花' }).getByText('11月24日 家访：发现侵害或疑似侵害，已于 11月24日 报告：石门镇派出所').waitFor();
  assert.equal(await card.locator('li.overdue', { hasText: '刘小花' }).count(), 0);
  assert.match(await card.locator('li').first().innerText(), /陈小军/, 'the one not reported first');

  // The paper 家访记录表 carries it.
  await page.goto(`${child}/binder`);
  await page.getByText('发现侵害情况').first().waitFor();
  await page.getByText('发现侵害或疑似侵害，已于 11月24日 报告：石门镇派出所').first().waitFor();
  await context.setOffline(false);
  assert.deepEqual(ctx.browser.errors, []);
});
