/**
 * Compare mode says which run is which (issue 10, item 8), in a real browser: both runs' stats
 * side by side, run B drawn in its own solid colour (dashes are the counterfactual's), and a
 * legend naming A and B on the charts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './browser.ts';
import { finishedRun, screenshot } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('compare mode', () => {
  test('both runs’ stats side by side, B in a style of its own, a legend that says which is which', async () => {
    const { page, errors } = await harness.newPage({ width: 1366, height: 1000 });
    await page.goto(`${harness.baseUrl}?v=1&seed=7&frozen=1&compare=1&b.leverage=25&b.liqSpeed=1`);
    await finishedRun(page);
    await page.waitForFunction(() => document.querySelector('main')?.dataset.statusB === 'done');

    const table = page.getByTestId('stats-compare');
    expect(await table.locator('thead th').allTextContents()).toEqual(['', 'Run A', 'Run B']);
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent!.trim())));
    const drawdowns = rows.find((row) => row[0] === 'Max drawdown')!;
    expect(drawdowns[1]).toMatch(/%$/);
    expect(drawdowns[2]).toMatch(/%$/);
    expect(drawdowns[2]).not.toBe(drawdowns[1]);
    expect(rows.map((row) => row[0])).toContain('Liquidated');

    // Run B: solid, in its own colour; the counterfactual keeps the dashes.
    const price = page.locator('figure[data-final-price]');
    const style = await price
      .locator('path.run-b')
      .evaluate((el) => ({ dash: getComputedStyle(el).strokeDasharray, stroke: getComputedStyle(el).stroke }));
    expect(style.dash).toBe('none');
    const ghost = await price.locator('path.counterfactual').evaluate((el) => getComputedStyle(el).strokeDasharray);
    expect(ghost).not.toBe('none');
    expect(style.stroke).not.toBe(await price.locator('path.price').evaluate((el) => getComputedStyle(el).stroke));
    const legend = await price.locator('.legend').textContent();
    expect(legend).toContain('Price, run A');
    expect(legend).toContain('Price, run B');
    // The legend's swatch for B is a solid line too.
    const swatch = price.locator('.legend li', { hasText: 'Price, run B' }).locator('line');
    expect(await swatch.getAttribute('stroke-dasharray')).toBeNull();
    await screenshot(page, 'ui-compare');
    expect(errors).toEqual([]);
    await page.close();
  });
});
