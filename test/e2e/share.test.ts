/**
 * Sharing and export in a real browser: the Copy link button puts the page's link on the
 * clipboard and says so; the series download as CSV and JSON with the CLI's columns; a chart
 * downloads as a standalone SVG and as a PNG.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SERIES_KEYS } from '../../src/model/series.ts';
import { startHarness, type Harness } from './browser.ts';
import { finishedRun } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** Click `name` and return the downloaded file's name and bytes. */
async function download(page: Page, name: string): Promise<{ file: string; bytes: Buffer }> {
  const [event] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
  const path = await event.path();
  return { file: event.suggestedFilename(), bytes: await readFile(path) };
}

describe('share and export', () => {
  test('Copy link copies the address and confirms it', async () => {
    await harness.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.baseUrl });
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?v=1&seed=3&leverage=15&frozen=1`);
    await finishedRun(page);
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    await expect.poll(() => page.getByTestId('share-confirmation').textContent()).toBe('Link copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(page.url());
    expect(new URL(copied).searchParams.get('leverage')).toBe('15');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the series download as CSV and JSON with every column', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    await finishedRun(page);

    const csv = await download(page, 'CSV');
    expect(csv.file).toMatch(/^cascade-lab-run-seed7-t720\.csv$/);
    const rows = csv.bytes
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('# '));
    expect(rows[0].split(',').map((h) => h.split(' (')[0])).toEqual(['tick', ...SERIES_KEYS]);
    expect(rows).toHaveLength(722);
    expect(rows[721].split(',')).toHaveLength(SERIES_KEYS.length + 1);

    const json = await download(page, 'JSON');
    expect(json.file).toMatch(/\.json$/);
    const report = JSON.parse(json.bytes.toString('utf8'));
    expect(Object.keys(report)).toEqual(['params', 'link', 'summary', 'series']);
    expect(Object.keys(report.series)).toEqual([...SERIES_KEYS]);
    expect(report.series.price).toHaveLength(721);
    expect(report.params.seed).toBe(7);
    expect(report.summary.feedbackMultiplier).toBeCloseTo(
      Number(await page.locator('[data-multiplier]').getAttribute('data-multiplier')),
      12,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a chart downloads as SVG and PNG', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    await finishedRun(page);

    const svg = await download(page, 'Download Price as SVG');
    expect(svg.file).toBe('cascade-lab-price.svg');
    const text = svg.bytes.toString('utf8');
    expect(text).toMatch(/^<\?xml/);
    expect(text).toContain('<svg');
    expect(text).toContain('stroke-dasharray'); // styles inlined: the counterfactual stays dashed
    expect(text).not.toContain('var(--');
    expect(text.match(/>\$[\d,]+<\/text>/g)?.length, 'the price axis is labelled').toBeGreaterThanOrEqual(3);

    const png = await download(page, 'Download Gamma profile as PNG');
    expect(png.file).toBe('cascade-lab-gamma-profile.png');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.length).toBeGreaterThan(2000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
