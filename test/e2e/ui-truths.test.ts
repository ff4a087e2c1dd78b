/**
 * The page says only what is true (issue 10, items 1 and 2), in a real browser on the
 * production build: every mechanism a run has gets its view and only those are shown (LUNA's
 * peg and supplies, loans on the liquidation map, insurers' trades, diagram nodes), an empty
 * chart shows no value axis, the headline names what moved the price in this run and gives no
 * multiplier before the sell program has run, the gamma profile's legend names every flip it
 * draws, and daily closes are points, not a line across the session.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './browser.ts';
import { finishedRun, presetQuery, screenshot } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const sentence = (page: Page) => page.getByTestId('headline-sentence').textContent();
const chart = (page: Page, name: string) => page.locator(`[data-chart="${name}"]`);
/** The value of a summary card under the headline. */
const card = (page: Page, label: string) =>
  page.locator('.headline .stats div', { has: page.locator('dt', { hasText: label }) }).locator('dd');
/** The value labels of a chart's axes (the x axis's are minutes or prices, the y axis's dollars, shares, multiples). */
const yLabels = (page: Page, name: string) =>
  chart(page, name).locator('svg g.axis text[text-anchor="end"]').allTextContents();

describe('only what is true', () => {
  test('luna-ust shows its peg and supplies with data, and no chart of a mechanism it lacks', async () => {
    const { page, errors } = await harness.newPage({ width: 1366, height: 900 });
    await page.goto(`${harness.baseUrl}${presetQuery('luna-ust')}`);
    await finishedRun(page);

    const peg = chart(page, 'stablecoin peg');
    await peg.scrollIntoViewIfNeeded();
    expect(await peg.locator('path.peg').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
    // The peg breaks: far below $1 at its lowest.
    const lowest = Number((await card(page, 'Lowest stablecoin price').textContent())!.trim().slice(1));
    expect(lowest).toBeLessThan(0.5);
    const supply = chart(page, 'stablecoin supply');
    expect(Number(await supply.locator('figure').getAttribute('data-token-growth'))).toBeGreaterThan(1e4);
    expect(await supply.locator('path.token').getAttribute('d')).toMatch(/^M/);
    // Once the coin is all but redeemed its price drifts back to $1 with nothing behind it: the chart says so.
    expect(Number(await peg.locator('figure').getAttribute('data-drained'))).toBeGreaterThan(0);
    expect(await peg.locator('.note').first().textContent()).toMatch(/\d+% of the coins had been redeemed/);
    expect(await peg.locator('line.drained').count()).toBe(1);
    // Its axis prints every price alike ("$0.80 $1.00", not "$0.8 $1.00").
    const pegTicks = await yLabels(page, 'stablecoin peg');
    expect(
      pegTicks.every((label) => /^\$\d\.\d\d$/.test(label)),
      pegTicks.join(' '),
    ).toBe(true);
    // No options here, so the volatility chart's words name no dealers.
    expect(await chart(page, 'volatility').locator('.note').first().textContent()).not.toMatch(/dealer/i);

    for (const absent of ['liquidations', 'liquidation map', 'GEX', 'gamma profile', 'dealer vega'])
      expect(await chart(page, absent).count(), absent).toBe(0);
    expect(await page.getByTestId('mechanisms-off').textContent()).toMatch(/option dealers .* leveraged traders/);
    // Cards of absent mechanisms are gone; the stablecoin's are there.
    const cards = await page.locator('.headline dt').allTextContents();
    expect(cards).not.toContain('Liquidated');
    expect(cards).not.toContain('Bad debt');
    expect(cards).toEqual(expect.arrayContaining(['Lowest stablecoin price', 'Token supply']));
    // The diagram draws the redemptions, not dealers or liquidations.
    const nodes = await page.locator('figure[data-nodes]').getAttribute('data-nodes');
    expect(nodes?.split(' ')).toEqual(['depth', 'price', 'realized', 'sellers']);
    expect(await sentence(page)).toMatch(/Redemptions minting and selling the token/);
    expect(await sentence(page)).not.toMatch(/dealer|liquidat/i);
    await screenshot(page, 'ui-luna-ust');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('an empty chart says why and shows no value axis', async () => {
    const { page, errors } = await harness.newPage();
    // Little leverage and no shock: nobody is liquidated.
    await page.goto(`${harness.baseUrl}?v=1&seed=7&shock=0&leverage=1&frozen=1`);
    await finishedRun(page);
    const liquidations = chart(page, 'liquidations');
    await liquidations.scrollIntoViewIfNeeded();
    expect(await liquidations.locator('text.empty').textContent()).toBe('Nothing was liquidated in this run.');
    expect(await yLabels(page, 'liquidations')).toEqual([]);
    expect(await liquidations.locator('.plot-area > svg').getAttribute('aria-label')).toBe(
      'Liquidations: Nothing was liquidated in this run.',
    );
    // A chart with data labels its values distinctly: never "$0 $0 $1".
    for (const name of ['GEX', 'dealer vega', 'volatility']) {
      const labels = await yLabels(page, name);
      expect(labels.length, name).toBeGreaterThan(1);
      expect(new Set(labels).size, `${name}: ${labels.join(' ')}`).toBe(labels.length);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the 1987 headline names the insurers, not dealers or liquidations; its daily closes are points', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}${presetQuery('portfolio-insurance-1987')}`);
    await finishedRun(page);
    const text = await sentence(page);
    expect(text).toMatch(/Portfolio insurers \(\d+% of the pressure\) drove the fall/);
    expect(text).not.toMatch(/dealer|liquidat|perp/i);
    expect(await page.getByTestId('definition').textContent()).not.toMatch(/dealer|liquidat/i);
    expect(await page.locator('.headline dt').allTextContents()).toContain('Insurers sold');
    await chart(page, 'insurers').scrollIntoViewIfNeeded();
    expect(await chart(page, 'insurers').locator('path.signed').getAttribute('d')).toMatch(/^M/);
    // The Dow's daily closes: points at the closes, no line between them across the session.
    const price = page.locator('figure[data-final-price]');
    expect(await price.locator('circle.close').count()).toBeGreaterThanOrEqual(1);
    expect(await price.locator('path.history').count()).toBe(0);
    const nodes = await page.locator('figure[data-nodes]').getAttribute('data-nodes');
    expect(nodes).not.toMatch(/dealers|liquidations/);
    // No dealers, but the book thins as implied volatility rises (the vega loop of the waterfall):
    // the volatility chart draws implied vol and says what reads it, without naming dealers.
    const volatility = chart(page, 'volatility');
    expect(await volatility.locator('path.implied').getAttribute('d')).toMatch(/^M/);
    expect(await volatility.locator('.note').first().textContent()).toMatch(/the book thins/);
    expect(await volatility.locator('figcaption').textContent()).not.toMatch(/dealers hedg/i);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('before the shock the headline says what is about to happen and shows no multiplier', async () => {
    const { page, errors } = await harness.newPage();
    // The default run, scrubbed to tick 29 (the program starts at 60) by the link's cursor.
    await page.goto(`${harness.baseUrl}?v=1&seed=7&t=29&frozen=1`);
    await finishedRun(page);
    await expect.poll(() => page.locator('main').getAttribute('data-cursor')).toBe('29');
    expect(await page.getByTestId('multiplier').textContent()).toBe('—');
    expect(await page.locator('section.headline').getAttribute('data-shown')).toBe('false');
    const text = await sentence(page);
    expect(text).toMatch(/^In 31m, a 5% sell program over 10m hits a market with dealers short gamma/);
    expect(text).not.toMatch(/\d\.\d\d×|times as deep/);
    // During the program: still no number.
    await page.getByRole('slider', { name: 'Timeline', exact: true }).fill('64');
    await expect.poll(() => sentence(page)).toMatch(/^The sell program is under way \(4m of 10m\)/);
    expect(await page.getByTestId('multiplier').textContent()).toBe('—');
    // After it: the number, and what moved the price.
    await page.getByRole('button', { name: 'Back to live' }).click();
    await expect.poll(() => page.getByTestId('multiplier').textContent()).toMatch(/^\d+\.\d\d×$/);
    expect(await sentence(page)).toMatch(/\(\d+% of the pressure\) drove the fall/);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the lending preset puts its loans on the liquidation map', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}${presetQuery('defi-contagion')}`);
    await finishedRun(page);
    expect(await sentence(page)).toMatch(/lending liquidations via the DEX pool/);
    const map = chart(page, 'liquidation map');
    await map.scrollIntoViewIfNeeded();
    // Scrubbed to the shock's start, before most loans have gone: their collateral stands below spot.
    await page.getByRole('slider', { name: 'Timeline', exact: true }).fill('60');
    await expect
      .poll(async () => Number(await map.locator('figure').getAttribute('data-lending-total')))
      .toBeGreaterThan(0);
    expect(await map.locator('path.lending').getAttribute('d')).toMatch(/^M/);
    expect(await map.locator('.legend').textContent()).toContain('Loans’ collateral');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the gamma profile names every flip it draws; the price chart draws the engine’s gamma flip', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}${presetQuery('gamma-squeeze')}`);
    await finishedRun(page);
    const profile = chart(page, 'gamma profile');
    await profile.scrollIntoViewIfNeeded();
    const lines = await profile.locator('line.flip').count();
    expect(lines).toBeGreaterThanOrEqual(1);
    expect(Number(await profile.locator('figure').getAttribute('data-flips'))).toBe(lines);
    const legend = (await profile.locator('.legend').textContent()) ?? '';
    if (lines > 1) expect(legend).toContain(`Gamma flips (${lines})`);
    // The legend gives every flip's price; on the plot the nearest is labelled, and no two labels
    // overlap (gamma-squeeze's two flips 170 $ apart read "$2,23·$2,403"): a crowded one is left to the legend.
    expect(legend.match(/\$[\d,.]+/g)).toHaveLength(lines);
    expect(await profile.locator('text.flip-label.nearest').count()).toBe(1);
    const boxes = await profile
      .locator('text.flip-label')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => [r.left, r.right]));
    boxes.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < boxes.length; i++) expect(boxes[i][0]).toBeGreaterThanOrEqual(boxes[i - 1][1]);
    // The axis of GEX reads in dollars that differ, not "$0 $0 $0".
    const ticks = await yLabels(page, 'gamma profile');
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(await page.locator('figure[data-final-price] path.flip').getAttribute('d')).toMatch(/^M/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
