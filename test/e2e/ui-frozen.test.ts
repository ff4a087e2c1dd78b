/**
 * A frozen 20,000-tick run (issue 10, item 7): how long the page takes from the link to a
 * finished, drawn run, measured and printed — not asserted, since a shared two-core machine's
 * timings are noise (README, Benchmarks). What is asserted: the data stays exact (the page's
 * final price is the worker's, whatever is drawn) and every line is decimated to about four
 * points a pixel column, so a long run costs no more to draw than a short one.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './browser.ts';
import { finishedRun } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('a frozen 20,000-tick run', () => {
  test('draws once computed, with every line decimated and the data exact', async () => {
    const { page, errors } = await harness.newPage({ width: 1366, height: 900 });
    // Warm the cache (the engine and the page's code), so the measure is the run, not the download.
    await page.goto(`${harness.baseUrl}?v=1&seed=7&ticks=100&frozen=1`);
    await finishedRun(page);
    const started = Date.now();
    await page.goto(`${harness.baseUrl}?v=1&seed=7&ticks=20000&frozen=1`);
    await finishedRun(page);
    // Drawn: the price line reaches the end of the run.
    await page.waitForFunction(() => {
      const figure = document.querySelector('figure[data-final-price]');
      return figure?.getAttribute('data-tick') === '20000' && figure.querySelector('path.price')?.getAttribute('d');
    });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const drawnMs = Date.now() - started;
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { domContentLoaded: nav.domContentLoadedEventEnd };
    });
    const points = await page
      .locator('figure[data-final-price] path.price')
      .evaluate((el) => (el.getAttribute('d')!.match(/[ML]/g) ?? []).length);
    const plotWidth = await page
      .locator('figure[data-final-price] .plot-area > svg')
      .evaluate((el) => el.getBoundingClientRect().width - 72);
    console.info(
      `frozen 20,000-tick run: drawn ${drawnMs} ms after navigation (page ready at ${timing.domContentLoaded.toFixed(0)} ms); the price line has ${points} points for ${plotWidth.toFixed(0)} px`,
    );
    expect(points).toBeLessThanOrEqual(4 * Math.ceil(plotWidth) + 4);
    expect(points).toBeGreaterThan(plotWidth);
    const final = Number(await page.locator('figure[data-final-price]').getAttribute('data-final-price'));
    expect(Number.isFinite(final) && final > 0).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
