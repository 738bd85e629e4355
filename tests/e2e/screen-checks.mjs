// What the screens test looks for on each screen: axe-core's serious and critical violations,
// and what a cheap phone shows badly that axe does not check — a page that scrolls sideways, a
// control narrower than its text, a label in its background's colour, a title wrapped beside the
// navigation, text one character a line, a chart's text cut at its edge, tap targets under 44 px.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The smallest tap target we accept (WCAG 2.5.5 asks 44 CSS px). */
export const MIN_TAP = 44;

/**
 * Runs axe-core in the page and returns its serious and critical violations, one line each.
 * The script goes in through `evaluate` because the app's CSP (`script-src 'self'`) refuses an
 * inline script tag, which is what `addScriptTag` would add; evaluate runs over the DevTools
 * protocol, so the test does not have to weaken the policy it ships with.
 */
export async function axeViolations(page) {
  if (!await page.evaluate(() => typeof globalThis.axe === 'object')) {
    await page.evaluate(axeSource);
  }
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
      targets: v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The layout faults of the screen as it is drawn now, one sentence each. */
export function layoutFaults(page) {
  return page.evaluate((minTap) => {
    const faults = [];
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.opacity !== '0';
    };
    const name = (el) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> “${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 20)}”`;

    const scroller = document.scrollingElement;
    if (scroller.scrollWidth > innerWidth) faults.push(`the page scrolls sideways: ${scroller.scrollWidth} px wide in ${innerWidth}`);

    for (const el of document.querySelectorAll('button, a, input, select, label')) {
      if (!visible(el)) continue;
      // An input's typed value may run past its box (it scrolls inside); its box is what counts.
      if (el.tagName !== 'INPUT' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        faults.push(`${name(el)} is narrower than its text (${el.clientWidth} < ${el.scrollWidth} px)`);
      }
    }

    // Text set one character a line: a box holding two or more characters but narrower than two.
    for (const el of document.querySelectorAll('button, a, label, th, td, dt, dd, h1, h2, summary, .badge, .chip span')) {
      if (!visible(el)) continue;
      const text = el.innerText.trim();
      const fontSize = parseFloat(getComputedStyle(el).fontSize);
      const style = getComputedStyle(el);
      const inner = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if ([...text].length >= 2 && el.clientWidth > 0 && inner < 1.9 * fontSize) {
        faults.push(`${name(el)} is set one character a line (${Math.round(inner)} px wide)`);
      }
    }

    // A label drawn in its background's colour: axe files text the same colour as its background
    // as "needs review", not as a violation (the child screen's 关爱记录 was white on white).
    const backgroundOf = (el) => {
      for (let at = el; at; at = at.parentElement) {
        const colour = getComputedStyle(at).backgroundColor;
        if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
      }
      return 'rgb(255, 255, 255)';
    };
    for (const el of document.querySelectorAll('button, a, summary, label')) {
      if (!visible(el) || !el.innerText.trim()) continue;
      if (getComputedStyle(el).color === backgroundOf(el)) faults.push(`${name(el)} is drawn in its background's colour`);
    }

    // The screen's title stays on one line beside the navigation.
    for (const title of document.querySelectorAll('.topbar h1')) {
      const lineHeight = parseFloat(getComputedStyle(title).lineHeight) || parseFloat(getComputedStyle(title).fontSize) * 1.5;
      if (title.getBoundingClientRect().height > lineHeight * 1.5) faults.push(`the title ${name(title)} wraps`);
    }

    // A chart's text drawn past its chart's edge is cut off (学校统计's labels lost their first
    // characters).
    for (const text of document.querySelectorAll('svg text')) {
      const chart = text.closest('svg');
      if (!visible(chart) || !text.textContent.trim()) continue;
      const [t, c] = [text.getBoundingClientRect(), chart.getBoundingClientRect()];
      if (t.left < c.left - 1 || t.right > c.right + 1) {
        faults.push(`chart text “${text.textContent.trim().slice(0, 20)}” is cut at its chart's edge`);
      }
    }

    // Tap targets: buttons, fields, and links drawn as buttons (not links inside a sentence).
    for (const el of document.querySelectorAll('button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), a')) {
      if (!visible(el) || el.closest('.print-only, [data-print]')) continue;
      if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') continue;
      const r = el.getBoundingClientRect();
      if (r.height < minTap - 0.5) faults.push(`${name(el)} is ${Math.round(r.height)} px high (< ${minTap})`);
    }
    return faults;
  }, MIN_TAP);
}
