/**
 * Touch the charts (issue 10, item 4), in a real browser: hovering a chart over time reads out
 * every series at that tick and draws a crosshair on every chart over time; a drag scrubs the
 * run; a focused chart moves the cursor with the arrow keys and announces the values; Reset
 * offers restart, back to the preset and back to the defaults; Ctrl+Z undoes a change and
 * Shift+Ctrl+Z redoes it; an edited preset stays named.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './browser.ts';
import { cursorOf, field, finishedRun, presetQuery, screenshot } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const priceSvg = (page: Page) => page.locator('figure[data-final-price] .plot-area > svg');

/** The page x of tick `tick` on the price chart (its plot spans the run's ticks). */
async function xOfTick(page: Page, tick: number, ticks: number): Promise<{ x: number; y: number }> {
  const box = (await priceSvg(page).boundingBox())!;
  // The plot box: 60 px of axis on the left, 12 on the right (geometry.ts MARGIN).
  const x = box.x + 60 + ((box.width - 72) * tick) / ticks;
  return { x, y: box.y + box.height / 2 };
}

describe('touch the charts', () => {
  test('hover reads out every series and draws the crosshair on every chart over time; a drag scrubs', async () => {
    const { page, errors } = await harness.newPage({ width: 1366, height: 1000 });
    await page.goto(`${harness.baseUrl}${presetQuery('perp-cascade')}`);
    await finishedRun(page);
    const at = await xOfTick(page, 30, 180);
    await page.mouse.move(at.x, at.y);
    const readout = page.locator('figure[data-final-price] [data-testid="readout"]');
    await expect.poll(() => readout.count()).toBe(1);
    const text = await readout.textContent();
    expect(text).toMatch(/^30m/);
    for (const series of ['Price (with feedback)', 'Counterfactual (no feedback)', 'Oracle', 'Fair value', 'Real:'])
      expect(text, series).toContain(series);
    // The crosshair stands at the same tick in the charts below.
    await expect.poll(() => page.locator('line.crosshair').count()).toBeGreaterThan(2);
    const ticks = await page
      .locator('line.crosshair')
      .evaluateAll((lines) => lines.map((l) => Number(l.getAttribute('data-tick'))));
    expect(new Set(ticks)).toEqual(new Set([30]));
    await screenshot(page, 'ui-hover', false);

    // A drag from tick 30 to tick 90 scrubs the run there.
    const to = await xOfTick(page, 90, 180);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => cursorOf(page)).toBeGreaterThan(85);
    expect(await cursorOf(page)).toBeLessThan(95);
    await page.mouse.move(0, 0);
    await expect.poll(() => page.locator('line.crosshair').count()).toBe(0);

    // The keyboard: a focused chart is a slider over the run; arrows move the cursor, its value text reads every series.
    const slider = page.getByRole('slider', { name: 'Price: the cursor over time (arrow keys move it)' });
    await slider.focus();
    const before = await cursorOf(page);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => cursorOf(page)).toBe(before - 1);
    await page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(() => cursorOf(page)).toBe(before - 11);
    expect(await slider.getAttribute('aria-valuetext')).toMatch(/Price \(with feedback\) \$[\d,]+, Counterfactual/);
    expect(await readout.count()).toBe(1);
    await page.keyboard.press('End');
    await expect.poll(() => cursorOf(page)).toBe(180);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a snapshot chart reads out what lies under the pointer', async () => {
    const { page, errors } = await harness.newPage({ width: 1366, height: 1000 });
    await page.goto(`${harness.baseUrl}${presetQuery('perp-cascade')}`);
    await finishedRun(page);
    const map = page.locator('[data-chart="liquidation map"] .plot-area > svg');
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    await page.mouse.move(box.x + 60 + (box.width - 72) * 0.3, box.y + box.height / 2);
    const readout = page.locator('[data-chart="liquidation map"] [data-testid="readout"]');
    await expect.poll(() => readout.count()).toBe(1);
    expect(await readout.textContent()).toMatch(/Longs \$[\d,]+–\$[\d,]+/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('reset, undo and the edited preset', () => {
  test('a preset stays named when a control changes; Reset goes back to it or to the defaults; Ctrl+Z undoes', async () => {
    const { page, errors } = await harness.newPage({ width: 1366, height: 1000 });
    await page.goto(`${harness.baseUrl}${presetQuery('perp-cascade')}`);
    let run = await finishedRun(page);
    const scenario = page.locator('section.scenario');
    expect(await scenario.getAttribute('data-scenario')).toBe('perp-cascade');

    await field(page, 'leverage').fill('20');
    await field(page, 'leverage').press('Enter');
    run = await finishedRun(page, run);
    await expect.poll(() => scenario.getAttribute('data-scenario')).toBe('perp-cascade, edited: leverage 20×');
    expect(await page.getByTestId('story').textContent()).toContain('Perp liquidation cascade');
    expect(
      await page.getByRole('combobox', { name: 'Scenario', exact: true }).locator('option:checked').textContent(),
    ).toBe('perp-cascade, edited: leverage 20×');

    // Undo with the keyboard (focus away from any text field), redo with Shift.
    await page.locator('h1').click();
    await page.keyboard.press('Control+z');
    run = await finishedRun(page, run);
    await expect.poll(() => field(page, 'leverage').inputValue()).toBe('13');
    expect(await scenario.getAttribute('data-scenario')).toBe('perp-cascade');
    await page.keyboard.press('Control+Shift+z');
    run = await finishedRun(page, run);
    await expect.poll(() => field(page, 'leverage').inputValue()).toBe('20');
    // The buttons do the same.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    run = await finishedRun(page, run);
    await expect.poll(() => field(page, 'leverage').inputValue()).toBe('13');
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    run = await finishedRun(page, run);
    await expect.poll(() => field(page, 'leverage').inputValue()).toBe('20');

    // A slider dragged through many values is one undo step.
    const slider = page.getByRole('slider', { name: 'Liquidation speed', exact: true });
    await slider.scrollIntoViewIfNeeded();
    const track = (await slider.boundingBox())!;
    // The thumb of 0.5 sits mid-track; drag it to about 0.8 through many values.
    await page.mouse.move(track.x + track.width * 0.5, track.y + track.height / 2);
    await page.mouse.down();
    await page.mouse.move(track.x + track.width * 0.8, track.y + track.height / 2, { steps: 12 });
    await page.mouse.up();
    run = await finishedRun(page, run);
    expect(Number(await field(page, 'liqSpeed').inputValue())).toBeGreaterThan(0.65);
    await page.locator('h1').click();
    await page.keyboard.press('Control+z');
    run = await finishedRun(page, run);
    await expect.poll(() => field(page, 'liqSpeed').inputValue()).toBe('0.5');
    expect(await field(page, 'leverage').inputValue()).toBe('20');

    // Reset: back to the preset.
    await page.getByText('Reset', { exact: true }).click();
    await page.getByRole('button', { name: 'Back to perp-cascade' }).click();
    run = await finishedRun(page, run);
    await expect.poll(() => field(page, 'leverage').inputValue()).toBe('13');
    expect(await scenario.getAttribute('data-scenario')).toBe('perp-cascade');
    // Reset: back to the defaults (the preset's real price path goes too).
    await page.getByText('Reset', { exact: true }).click();
    await page.getByRole('button', { name: 'Back to the defaults' }).click();
    run = await finishedRun(page, run);
    await expect.poll(() => field(page, 'leverage').inputValue()).toBe('10');
    expect(await scenario.getAttribute('data-scenario')).toBe('Defaults');
    await expect.poll(() => new URL(page.url()).searchParams.get('history')).toBeNull();
    // Reset: restart rewinds the same run to tick 0, ready to play.
    await page.getByText('Reset', { exact: true }).click();
    await page.getByRole('button', { name: 'Restart the run' }).click();
    await expect.poll(async () => Number(await page.locator('main').getAttribute('data-run'))).toBeGreaterThan(run);
    await expect.poll(() => page.getByTestId('tick').textContent()).toBe('0');
    expect(await field(page, 'leverage').inputValue()).toBe('10');
    expect(errors).toEqual([]);
    await page.close();
  });
});
