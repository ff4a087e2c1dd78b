/**
 * The ensemble and the waterfall in a real browser: the fall split by loop appears beside the
 * headline; the ensemble toggle runs the seeds on the background workers and draws the fan on
 * the price chart, the median and the cascade probability; moving a slider restarts both and
 * they come back with new numbers, while the main run has run on.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './browser.ts';
import { field, finishedRun, screenshot } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('the ensemble and the waterfall', () => {
  test('appear, and update after a slider moves', async () => {
    const { page, errors } = await harness.newPage({ width: 1280, height: 1100 });
    // A shorter, smaller run keeps the ensemble quick on a shared machine.
    await page.goto(`${harness.baseUrl}?frozen=1&ticks=240&dealers=500&accounts=10000`);
    const run = await finishedRun(page);

    const waterfall = page.locator('section.waterfall[data-ready="true"][data-stale="false"]');
    await waterfall.waitFor({ timeout: 60_000 });
    const parts = JSON.parse((await waterfall.getAttribute('data-parts'))!) as Record<string, number>;
    const drawdown = Number(await waterfall.getAttribute('data-drawdown'));
    expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(drawdown);
    expect(parts.perps).toBeGreaterThan(0);
    expect(parts.lending).toBe(0);
    await expect
      .poll(() => page.getByTestId('waterfall-sentence').textContent())
      .toMatch(/^Of the \d+\.\d% fall: shock \d/);

    const panel = page.locator('section.ensemble');
    await panel.getByRole('spinbutton', { name: 'Seeds' }).fill('20');
    await panel.getByRole('spinbutton', { name: 'Seeds' }).dispatchEvent('change');
    await panel.getByRole('checkbox', { name: 'Run over many seeds' }).check();
    await page.waitForSelector('section.ensemble[data-done="20"][data-seeds="20"]', { timeout: 120_000 });
    const median = Number(await panel.getAttribute('data-median'));
    expect(median).toBeGreaterThan(0.5);
    expect(Number(await panel.getAttribute('data-cascade'))).toBeGreaterThanOrEqual(0);
    const price = page.locator('figure[data-fan]');
    await expect.poll(() => price.getAttribute('data-fan')).toBe('20');
    expect(await page.locator('g.fan path.outer').count()).toBe(2);
    expect(await panel.locator('svg.histogram rect.bar').count()).toBeGreaterThan(0);
    await page.locator('div.beside').scrollIntoViewIfNeeded();
    await screenshot(page, 'ensemble-waterfall');

    // Leverage up: a new main run, a new split and a new ensemble.
    const lever = field(page, 'leverage');
    await lever.fill('30');
    await lever.dispatchEvent('change');
    await finishedRun(page, run);
    await expect
      .poll(
        async () => Number(await page.locator('section.waterfall[data-stale="false"]').getAttribute('data-drawdown')),
        {
          timeout: 60_000,
        },
      )
      .not.toBe(drawdown);
    await page.waitForSelector('section.ensemble[data-done="20"]', { timeout: 120_000 });
    await expect
      .poll(async () => Number(await panel.getAttribute('data-median')), { timeout: 60_000 })
      .not.toBe(median);
    expect(Number(await panel.getAttribute('data-median'))).toBeGreaterThan(median);
    expect(errors).toEqual([]);
  });
});
