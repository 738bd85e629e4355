// How fast 守望 feels with a class of 40: the time from navigation until the roster is usable
// (plain and with the CPU slowed 4× as on a cheap phone), and from tapping 保存 until IndexedDB
// has committed. Figures are printed as `PERF {...}` lines and checked against generous bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, addChild, classChild, median, percentile, timeUnlock } from './support.mjs';

const CLASS_SIZE = 40;

const ctx = session();

test(`a class of ${CLASS_SIZE} is entered and every save commits quickly`, async () => {
  const { page } = ctx.browser;
  await page.goto(ctx.server.origin);
  await page.getByText('还没有儿童档案').waitFor();
  for (let i = 0; i < CLASS_SIZE; i += 1) {
    await addChild(page, classChild(i));
  }
  const saves = await page.evaluate(() => performance.getEntriesByName('shouwang:save').map((e) => e.duration));
  assert.equal(saves.length, CLASS_SIZE);
  const report = { saves: saves.length, saveMedianMs: round(median(saves)), saveP95Ms: round(percentile(saves, 95)) };
  console.log(`PERF ${JSON.stringify(report)}`);
  // Issue 13's floor is 50 ms (sealing and strict durability included); the bound asserted here
  // is looser because the 2-core test machine is shared with builds.
  assert.ok(report.saveP95Ms < 1000, `p95 save ${report.saveP95Ms} ms`);
});

for (const cpuSlowdown of [1, 4]) {
  test(`the roster of ${CLASS_SIZE} is usable soon after navigation (CPU ×${cpuSlowdown})`, async () => {
    const { page, context } = ctx.browser;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    // Navigation → the PIN field on screen, the tap on 解锁 → roster usable, and the two
    // together (typing excluded).
    const runs = [];
    for (let run = 0; run < 3; run += 1) {
      runs.push(await timeUnlock(page, ctx.server.origin));
      runs.at(-1).unlock = await page.evaluate(() => performance.getEntriesByName('shouwang:unlock')[0]?.duration);
      // The whole class is drawn just after the first screen of it.
      await page.locator('.child-row').nth(CLASS_SIZE - 1).waitFor();
      assert.equal(await page.locator('.child-row').count(), CLASS_SIZE);
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    const report = {
      cpuSlowdown,
      lockShownMedianMs: round(median(runs.map((r) => r.lockShown))),
      unlockMedianMs: round(median(runs.map((r) => r.unlock))),
      unlockToListMedianMs: round(median(runs.map((r) => r.tapToList))),
      startToListMedianMs: round(median(runs.map((r) => r.lockShown + r.tapToList))),
    };
    console.log(`PERF ${JSON.stringify(report)}`);
    assert.ok(report.startToListMedianMs < 3000 * cpuSlowdown, `list usable after ${report.startToListMedianMs} ms`);
    // Issue 13's floor: from the tap on 解锁 to a usable roster within 1 s at ×4 (printed above);
    // asserted loosely, as for the other figures on this shared machine.
    assert.ok(report.unlockToListMedianMs < 1000 * cpuSlowdown, `unlock → list ${report.unlockToListMedianMs} ms`);
  });
}

function round(ms) {
  return Math.round(ms * 10) / 10;
}
