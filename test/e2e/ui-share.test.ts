/**
 * Links that travel and exports that can be published (issue 10, items 5 and 6; issue 13's
 * "exports record everything needed to replay"), in a real browser: a chart's SVG carries its
 * title, legend, parameters, source and link; the CSV carries units and the parameters; the
 * JSON of a run on a loaded chain file carries the chain, which reads back to the same grid;
 * Copy link says when a loaded chain cannot travel; the cursor (`t=`) and the stress map's setup
 * (`stress=`) travel in the link; a stress-map cell loads its run and goes to it; the map exports
 * its grid.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseChain } from '../../src/model/chain-import.ts';
import { SERIES_KEYS } from '../../src/model/series.ts';
import { startHarness, type Harness } from './browser.ts';
import { cursorOf, download, finishedRun, presetQuery } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const CHAIN = [
  'type,strike,expiry,open_interest,spot',
  'put,2700,7,50000,3000',
  'put,2900,1,80000,3000',
  'call,3300,7,40000,3000',
].join('\n');

describe('publishable exports', () => {
  test('a chart’s SVG carries its title, legend, parameters, source and link', async () => {
    const { page, errors } = await harness.newPage({ width: 1366, height: 1000 });
    await page.goto(`${harness.baseUrl}${presetQuery('perp-cascade', '&leverage=20')}`);
    await finishedRun(page);
    const { file, text } = await download(page, 'Download Price as SVG');
    expect(file).toBe('cascade-lab-price.svg');
    expect(text).toMatch(/^<\?xml/);
    expect(text).not.toContain('var(--');
    for (const part of [
      '>Price<',
      'Price (with feedback)',
      'Counterfactual (no feedback)',
      'Scenario: perp-cascade, edited: leverage 20×',
      'Parameters: seed 7, 180 ticks',
      'leverage 20×',
      'Source: Cascade Lab simulation',
      'Link (replays the run):',
    ])
      expect(text, part).toContain(part);
    // The link in the file is the page's link, wrapped over lines as it must be.
    expect(text.replace(/<\/text><text[^>]*>/g, '')).toContain('leverage=20');
    const png = await download(page, 'Download Price as PNG');
    expect(png.file).toBe('cascade-lab-price.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the CSV carries units and the parameters; the JSON of a run on a chain file carries the chain', async () => {
    await harness.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.baseUrl });
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    const first = await finishedRun(page);

    const csv = await download(page, 'CSV');
    const lines = csv.text.trimEnd().split('\n');
    const preamble = lines.filter((line) => line.startsWith('# '));
    const params = JSON.parse(preamble.find((line) => line.startsWith('# params: '))!.slice(10));
    expect(params.seed).toBe(7);
    expect(preamble.find((line) => line.startsWith('# link: '))).toContain('seed=7');
    const header = lines[preamble.length].split(',');
    expect(header.map((h) => h.split(' (')[0])).toEqual(['tick', ...SERIES_KEYS]);
    expect(header).toContain('price (USD)');
    expect(header).toContain('realizedVol (/yr)');
    expect(lines).toHaveLength(preamble.length + 722);

    await page.getByText('Real data: the options book').click();
    await page
      .getByLabel('Or load a chain file')
      .setInputFiles({ name: 'my-chain.csv', mimeType: 'text/csv', buffer: Buffer.from(CHAIN) });
    await finishedRun(page, first);

    // The link cannot carry the file: Copy link says so.
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('share-confirmation').textContent())
      .toMatch(/^Link copied, without your chain file “my-chain\.csv”: a link cannot carry it/);

    const json = JSON.parse((await download(page, 'JSON')).text);
    expect(Object.keys(json)).toEqual(['params', 'link', 'chain', 'summary', 'series']);
    expect(json.chain.file).toBe('my-chain.csv');
    // The chain rides along as a CSV that reads back to the grid the run used.
    expect(parseChain(json.chain.csv, 'from-json.csv').grid).toEqual(parseChain(CHAIN, 'my-chain.csv').grid);
    expect(json.link).toBe(page.url());
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('links that travel', () => {
  test('the cursor travels as t=, and the page opens scrubbed there', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    await finishedRun(page);
    await page.getByRole('slider', { name: 'Timeline', exact: true }).fill('95');
    await expect.poll(() => new URL(page.url()).searchParams.get('t')).toBe('95');
    const link = page.url();
    await page.getByRole('button', { name: 'Back to live' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('t')).toBeNull();

    const { page: other } = await harness.newPage();
    await other.goto(link);
    await finishedRun(other);
    await expect.poll(() => cursorOf(other)).toBe(95);
    expect(await other.getByTestId('cursor-tick').textContent()).toBe('95');
    await other.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the stress map’s setup travels in the link; a cell loads its run and goes to it; the grid exports', async () => {
    const { page, errors } = await harness.newPage({ width: 1366, height: 900 });
    await page.goto(`${harness.baseUrl}?v=1&seed=7&frozen=1&stress=leverage:2:30,liqSpeed:0.1:1,4`);
    const run = await finishedRun(page);
    expect(await page.getByLabel('Y parameter').inputValue()).toBe('liqSpeed');
    expect(await page.getByRole('combobox', { name: 'Grid', exact: true }).inputValue()).toBe('4');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await page.waitForSelector('figure[data-state="done"]', { timeout: 120_000 });
    await expect.poll(() => new URL(page.url()).searchParams.get('stress')).toBe('leverage:2:30,liqSpeed:0.1:1,4');

    // The y labels step evenly.
    const ys = await page
      .locator('figure[data-state] text.tick[text-anchor="end"]')
      .allTextContents()
      .then((t) => t.map((v) => Number(v.replace(/[^\d.−-]/g, '').replace('−', '-'))));
    const gaps = ys.slice(1).map((v, i) => v - ys[i]);
    expect(
      gaps.every((g) => Math.abs(g - gaps[0]) < 1e-9),
      ys.join(' '),
    ).toBe(true);

    const csv = await download(page, 'Download Feedback multiplier: Leverage × Liquidation speed as CSV');
    const rows = csv.text
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('# '));
    expect(rows[0]).toMatch(/^liqSpeed \\ leverage,2,/);
    expect(
      rows.slice(1).every((row) =>
        row
          .split(',')
          .slice(1)
          .every((cell) => Number(cell) > 0),
      ),
    ).toBe(true);

    const cell = page.locator('g.cell[data-multiplier]').first();
    await cell.scrollIntoViewIfNeeded();
    await cell.click();
    await finishedRun(page, run);
    // The page went to the run: the stage is at the top of the screen.
    await expect.poll(async () => (await page.locator('#run').boundingBox())!.y).toBeLessThan(200);
    expect(errors).toEqual([]);
    await page.close();
  });
});
