/**
 * The playground in a real browser, on the production build: it loads and shows the
 * multiplier, a slider moves the chart and the address bar, a link restores the controls, a
 * hostile link shows a notice and still runs, and the transport plays, pauses and resets.
 * (Frame rate: npm run bench:browser; presets, stepping and scrubbing: controls.test.ts.)
 * Runs use `frozen=1` (each run computed to its end at once) wherever the result is compared.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeQuery } from '../../src/state/url.ts';
import { startHarness, type Harness } from './browser.ts';
import { finishedRun, screenshot } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

function priceChart(page: Page) {
  return page.locator('figure[data-final-price]');
}

describe('the playground', () => {
  test('loads without errors and shows the feedback multiplier', async () => {
    const { page, errors } = await harness.newPage({ width: 1280, height: 1000 });
    await page.goto(`${harness.baseUrl}?frozen=1`);
    await finishedRun(page);

    await expect.poll(() => page.title()).toBe('Cascade Lab');
    const multiplier = await page.getByTestId('multiplier').textContent();
    expect(multiplier).toMatch(/^\d+(\.\d+)?×$/);
    expect(Number(await page.locator('[data-multiplier]').getAttribute('data-multiplier'))).toBeGreaterThan(0);
    expect(await priceChart(page).locator('path.price').getAttribute('d')).toMatch(/^M/);
    for (const name of ['Leverage', 'Dealer gamma (GEX sign)', 'Liquidation speed', 'Shock size', 'Seed']) {
      await expect.poll(() => page.getByRole('slider', { name, exact: true }).count()).toBe(1);
      await expect.poll(() => page.getByRole('spinbutton', { name, exact: true }).count()).toBe(1);
    }
    await expect.poll(() => page.getByText('tick 720 / 720').count()).toBe(1);

    await screenshot(page, 'playground-desktop');
    await page.setViewportSize({ width: 360, height: 800 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, 'no horizontal scrolling at 360 px').toBe(0);
    await screenshot(page, 'playground-mobile');
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(200);
    await screenshot(page, 'playground-dark');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('moving the leverage slider changes the price chart and the URL', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    const firstRun = await finishedRun(page);
    const before = {
      path: await priceChart(page).locator('path.price').getAttribute('d'),
      price: await priceChart(page).getAttribute('data-final-price'),
      multiplier: await page.locator('[data-multiplier]').getAttribute('data-multiplier'),
    };

    const slider = page.getByRole('slider', { name: 'Leverage', exact: true });
    await slider.focus();
    for (let i = 0; i < 30; i++) await slider.press('ArrowRight'); // 10× → 25× in steps of 0.5
    expect(await slider.inputValue()).toBe('25');
    expect(await page.getByRole('spinbutton', { name: 'Leverage', exact: true }).inputValue()).toBe('25');

    await finishedRun(page, firstRun);
    await expect.poll(() => priceChart(page).locator('path.price').getAttribute('d')).not.toBe(before.path);
    expect(await priceChart(page).getAttribute('data-final-price')).not.toBe(before.price);
    expect(await page.locator('[data-multiplier]').getAttribute('data-multiplier')).not.toBe(before.multiplier);
    await expect.poll(() => new URL(page.url()).searchParams.get('leverage')).toBe('25');
    expect(new URL(page.url()).searchParams.get('frozen')).toBe('1');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a link restores every control, and the address bar round-trips it', async () => {
    const { page, errors } = await harness.newPage();
    const link = 'v=1&seed=42&shock=0.1&gex=-1&leverage=25&liqSpeed=1';
    await page.goto(`${harness.baseUrl}?${link}&frozen=1`);
    await finishedRun(page);

    const expected: Record<string, string> = {
      Seed: '42',
      'Shock size': '0.1',
      'Dealer gamma (GEX sign)': '-1',
      Leverage: '25',
      'Liquidation speed': '1',
    };
    for (const [name, value] of Object.entries(expected)) {
      expect(await page.getByRole('slider', { name, exact: true }).inputValue(), name).toBe(value);
      expect(await page.getByRole('spinbutton', { name, exact: true }).inputValue(), name).toBe(value);
    }
    // The address bar holds the same parameters (in canonical form) plus the page flag.
    const shown = (): URLSearchParams => new URL(page.url()).searchParams;
    await expect.poll(() => shown().get('frozen')).toBe('1');
    const parameters = shown();
    parameters.delete('frozen');
    expect(decodeQuery(parameters.toString())).toEqual(decodeQuery(link));
    expect(decodeQuery(parameters.toString()).notices).toEqual([]);
    await expect.poll(() => page.getByRole('status').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a hostile link shows a notice and still runs', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?leverage=abc&gex=<script>alert(1)</script>&frozen=1`);
    await finishedRun(page);

    const notice = page.getByRole('status');
    await expect.poll(() => notice.textContent()).toContain('Leverage (leverage)');
    expect(await notice.textContent()).toContain('<script>'); // shown as text, never markup
    expect(await page.getByTestId('multiplier').textContent()).toMatch(/^\d+(\.\d+)?×$/);
    expect(await page.getByRole('slider', { name: 'Leverage', exact: true }).inputValue()).toBe('10');
    await expect.poll(() => new URL(page.url()).searchParams.has('gex')).toBe(false);

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => page.getByRole('status').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('play, pause and reset drive the live run', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(harness.baseUrl);
    const tick = async (): Promise<number> => Number(await page.getByTestId('tick').textContent());

    await expect.poll(tick, { timeout: 10_000 }).toBeGreaterThan(30);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.locator('main').getAttribute('data-status')).toBe('paused');
    const paused = await tick();
    await page.waitForTimeout(400);
    expect(await tick()).toBe(paused);

    await page.getByText('Reset', { exact: true }).click();
    await page.getByRole('button', { name: 'Restart the run' }).click();
    await expect.poll(tick).toBe(0);
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(tick).toBeGreaterThan(5);
    expect(errors).toEqual([]);
    await page.close();
  });
});
