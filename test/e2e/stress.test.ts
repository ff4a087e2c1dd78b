/**
 * The stress map in a real browser: a small sweep runs in the background workers to completion
 * with a progress bar, and choosing a cell loads its parameters into the main run.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultParams } from '../../src/model/schema.ts';
import { DEFAULT_AXES, newSweep } from '../../src/model/sweep.ts';
import { startHarness, type Harness } from './browser.ts';
import { field, finishedRun, screenshot } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('the stress map', () => {
  test('a sweep completes and a cell click loads its run', async () => {
    const { page, errors } = await harness.newPage({ width: 1280, height: 1000 });
    await page.goto(`${harness.baseUrl}?frozen=1`);
    const run = await finishedRun(page);

    await page.getByRole('combobox', { name: 'Grid', exact: true }).selectOption('4');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    const progress = page.locator('progress');
    // 4 × 4 asked: leverage 2–30 in 4 even steps of 7 (5 values), gex −1–1 in steps of 0.5 (5 values).
    await expect.poll(() => progress.getAttribute('max')).toBe('25');
    await page.waitForSelector('figure[data-state="done"]', { timeout: 60_000 });
    expect(await progress.getAttribute('value')).toBe('25');
    const cells = page.locator('g.cell[data-multiplier]');
    expect(await cells.count()).toBe(25);
    const multipliers = await cells.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-multiplier'))));
    expect(multipliers.every((m) => m > 0)).toBe(true);
    await page.locator('section[aria-labelledby$="-title"]').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'stress-map');

    // The top-right cell: the highest leverage and the most positive gamma of the grid.
    const cell = page.getByRole('button', { name: /^Leverage 30×, Dealer gamma \(GEX sign\) 1: / });
    const label = await cell.getAttribute('aria-label');
    const cellMultiplier = Number(await cell.getAttribute('data-multiplier'));
    await cell.click();
    await finishedRun(page, run);
    await expect.poll(() => new URL(page.url()).searchParams.get('leverage')).toBe('30');
    expect(new URL(page.url()).searchParams.get('gex')).toBe('1');
    expect(await field(page, 'leverage').inputValue()).toBe('30');
    // The loaded run is the cell's run: the same multiplier.
    expect(Number(await page.locator('[data-multiplier]').first().getAttribute('data-multiplier'))).toBeCloseTo(
      cellMultiplier,
      12,
    );
    expect(label).toContain('×');

    // Keyboard: one tab stop for the grid, arrows move, Enter loads.
    const run2 = await finishedRun(page);
    await page.locator('g.cell[tabindex="0"]').focus();
    // From the cell just clicked (top right): one row down, one column left.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await finishedRun(page, run2);
    await expect.poll(() => new URL(page.url()).searchParams.get('leverage')).toBe('23');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('cells over several seeds show the probability of a cascade', async () => {
    const { page, errors } = await harness.newPage({ width: 1280, height: 1000 });
    await page.goto(`${harness.baseUrl}?frozen=1&ticks=240&dealers=500&accounts=10000`);
    await finishedRun(page);
    await page.getByRole('combobox', { name: 'Grid', exact: true }).selectOption('4');
    await page.getByRole('combobox', { name: 'Seeds per cell' }).selectOption('4');
    await page.getByRole('combobox', { name: 'Cells show' }).selectOption('cascade');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    const progress = page.locator('.stress progress');
    // A grid of "4" is about four values an axis, on each parameter's even steps.
    const { xs, ys } = newSweep(DEFAULT_AXES.x, DEFAULT_AXES.y, 4, defaultParams());
    const cells = xs.length * ys.length;
    expect(cells).toBeGreaterThanOrEqual(16);
    await expect.poll(() => progress.getAttribute('max')).toBe(String(4 * cells));
    await page.waitForSelector('figure[data-state="done"][data-metric="cascade"][data-seeds="4"]', {
      timeout: 120_000,
    });
    const values = await page
      .locator('g.cell[data-multiplier]')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-multiplier'))));
    expect(values).toHaveLength(cells);
    // Each cell's value is a share of its four seeds.
    expect(values.every((p) => [0, 0.25, 0.5, 0.75, 1].includes(p))).toBe(true);
    // More leverage and shorter gamma cascade more often: the top-left cell (least leverage, long gamma) least.
    expect(Math.max(...values)).toBeGreaterThan(values[(ys.length - 1) * xs.length]);
    expect(await page.getByRole('button', { name: /probability of a cascade/ }).count()).toBe(cells);
    await page.locator('section.stress').scrollIntoViewIfNeeded();
    await screenshot(page, 'stress-map-cascade');
    expect(errors).toEqual([]);
    await page.close();
  });
});
