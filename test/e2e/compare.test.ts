/**
 * The A/B mode in a real browser: a link with `compare=1` and `b.` overrides runs both and shows
 * both multipliers; switching the mode on and editing run B writes B's overrides to the link.
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

async function bothDone(page: import('playwright-core').Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.querySelector('main');
    return main?.dataset.status === 'done' && main.dataset.statusB === 'done';
  });
}

describe('compare mode', () => {
  test('a link with run B shows both multipliers and overlays B', async () => {
    const { page, errors } = await harness.newPage({ width: 1280, height: 1000 });
    await page.goto(`${harness.baseUrl}?v=1&seed=7&frozen=1&compare=1&b.leverage=25&b.liqSpeed=1`);
    await finishedRun(page);
    await bothDone(page);

    const a = await page.getByTestId('multiplier').textContent();
    const b = await page.getByTestId('multiplier-b').textContent();
    expect(a).toMatch(/^\d+(\.\d+)?×$/);
    expect(b).toMatch(/^\d+(\.\d+)?×$/);
    expect(b).not.toBe(a);
    expect(await page.locator('figure[data-final-price] path.run-b').getAttribute('d')).toMatch(/^M/);
    expect(await page.getByRole('checkbox', { name: 'Compare' }).isChecked()).toBe(true);

    await page.getByRole('radio', { name: 'Edit run B' }).check();
    expect(await field(page, 'leverage').inputValue()).toBe('25');
    expect(await page.locator('[data-key="leverage"]').textContent()).toContain('A: 10');
    await screenshot(page, 'compare');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('switching compare on and editing B writes B to the link', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    await finishedRun(page);
    await page.getByRole('checkbox', { name: 'Compare' }).check();
    await bothDone(page);
    // B starts as a copy of A: same multiplier.
    await expect
      .poll(() => page.getByTestId('multiplier-b').textContent())
      .toBe(await page.getByTestId('multiplier').textContent());

    await page.getByRole('radio', { name: 'Edit run B' }).check();
    await field(page, 'gex').fill('0.8');
    await field(page, 'gex').press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('b.gex')).toBe('0.8');
    expect(new URL(page.url()).searchParams.get('gex')).toBeNull(); // A unchanged (default)
    await bothDone(page);
    await expect
      .poll(() => page.getByTestId('multiplier-b').textContent())
      .not.toBe(await page.getByTestId('multiplier').textContent());

    await page.getByRole('checkbox', { name: 'Compare' }).uncheck();
    await expect.poll(() => page.getByTestId('multiplier-b').count()).toBe(0);
    await expect.poll(() => new URL(page.url()).searchParams.has('compare')).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
