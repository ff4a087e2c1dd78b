/**
 * The three settings first, and a page every reader can use (issue 10, items 3 and 9), in a real
 * browser: the panel opens with leverage, dealer gamma and liquidation speed, then the shock and
 * the scenario, with seed and run length under Run; a skip link reaches the controls; on a narrow
 * screen the headline's number and the price chart stay in view while the controls scroll; every
 * figure and section has a name, log sliders speak in the reader's units, and a clamped typed
 * value says so.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './browser.ts';
import { field, finishedRun, presetQuery, screenshot } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** The schema keys of the panel's controls, in page order. */
async function controlOrder(page: import('playwright-core').Page): Promise<string[]> {
  return page.locator('#controls [data-key]').evaluateAll((els) => els.map((el) => el.getAttribute('data-key')!));
}

describe('the three settings first', () => {
  test('the panel opens with leverage, dealer gamma and liquidation speed, then the shock and the scenario', async () => {
    const { page, errors } = await harness.newPage({ width: 1366, height: 900 });
    await page.goto(`${harness.baseUrl}?frozen=1`);
    await finishedRun(page);
    const order = await controlOrder(page);
    expect(order.slice(0, 3)).toEqual(['leverage', 'gex', 'liqSpeed']);
    expect(order[3]).toBe('shock');
    // The scenario follows the shock's fieldset; seed and run length sit in the run's, after it.
    const position = (selector: string) =>
      page.locator(selector).evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    expect(await position('[data-group="Shock"]')).toBeLessThan(await position('#scenario'));
    expect(await position('#scenario')).toBeLessThan(await position('[data-group="Run"] [data-key="seed"]'));
    expect(await page.locator('[data-group="Run"] [data-key="ticks"]').count()).toBe(1);
    // The three sliders are on the first screen.
    const leverage = await page.getByRole('slider', { name: 'Leverage', exact: true }).boundingBox();
    const speed = await page.getByRole('slider', { name: 'Liquidation speed', exact: true }).boundingBox();
    expect(leverage!.y).toBeLessThan(900);
    expect(speed!.y + speed!.height).toBeLessThan(900);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a skip link reaches the controls', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    await finishedRun(page);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the controls');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    // The first stop after the skip: the first of the three settings.
    expect(await page.evaluate(() => document.activeElement?.closest('[data-key]')?.getAttribute('data-key'))).toBe(
      'leverage',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  test.each([360, 768])(
    'at %i px the price chart and the multiplier stay in view while the controls scroll',
    async (width) => {
      const { page, errors } = await harness.newPage({ width, height: 800 });
      await page.goto(`${harness.baseUrl}${presetQuery('perp-cascade')}`);
      await finishedRun(page);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, 'no horizontal scrolling').toBe(0);
      // The real path's legend prints in any font: Binance's "USDⓈ-M" drew an empty box.
      const priceLegend = await page.locator('figure[data-final-price] .legend').textContent();
      expect(priceLegend).toContain('USDS-M perpetual');
      expect(priceLegend).not.toContain('Ⓢ');
      // The controls start right under the price chart, not thousands of pixels below it.
      const top = (selector: string) =>
        page
          .locator(selector)
          .first()
          .evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
      const priceBottom = await page
        .locator('figure[data-final-price]')
        .evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
      expect((await top('#controls')) - priceBottom).toBeLessThan(60);
      // Scrolled to the liquidation speed slider: the stage is still on screen above it.
      await page.getByRole('slider', { name: 'Liquidation speed', exact: true }).scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, 200));
      const stage = await page.locator('#run').boundingBox();
      const chart = await page.locator('figure[data-final-price] .plot-area > svg').boundingBox();
      expect(stage!.y).toBeGreaterThanOrEqual(-1);
      expect(chart!.y + chart!.height).toBeLessThan(800);
      expect(await page.locator('p.stage-summary').textContent()).toMatch(/\d\.\d\d×/);
      // The stage leaves the reader most of the screen for the controls.
      expect(stage!.height).toBeLessThan(0.62 * 800);
      await screenshot(page, `ui-sticky-${width}`, false);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});

describe('accessibility', () => {
  test('every figure and section has a name', async () => {
    const { page, errors } = await harness.newPage({ width: 1366, height: 900 });
    await page.goto(`${harness.baseUrl}${presetQuery('defi-contagion')}`);
    await finishedRun(page);
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await page.waitForSelector('figure[data-state="done"]', { timeout: 120_000 });
    const unnamed = await page.evaluate(() => {
      const name = (el: Element): string => {
        const label = el.getAttribute('aria-label');
        if (label) return label;
        const ids = el.getAttribute('aria-labelledby');
        return ids
          ? ids
              .split(' ')
              .map((id) => document.getElementById(id)?.textContent ?? '')
              .join(' ')
              .trim()
          : '';
      };
      return [...document.querySelectorAll('figure, section, [role="img"], [role="slider"], nav')]
        .filter((el) => name(el) === '')
        .map((el) => el.outerHTML.slice(0, 120));
    });
    expect(unnamed).toEqual([]);
    expect(await page.locator('figure').count()).toBeGreaterThan(8);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('log sliders speak in the reader’s units, and a clamped value says so', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}${presetQuery('gamma-squeeze')}`);
    await finishedRun(page);
    // An advanced control, folded under its group's "More".
    await page.locator('[data-group="Dealers"] summary').click();
    const optionOI = page.getByRole('slider', { name: 'Options open interest', exact: true });
    expect(await optionOI.getAttribute('aria-valuetext')).toBe('$20B');
    expect(await page.getByRole('slider', { name: 'Leverage', exact: true }).getAttribute('aria-valuetext')).toBe('3×');

    const leverage = field(page, 'leverage');
    await leverage.fill('500');
    await leverage.press('Enter');
    const notice = page.getByTestId('clamp-notice');
    await expect
      .poll(() => notice.textContent())
      .toBe('500 is outside the allowed range (a number in [1, 100]): set to 100×.');
    expect(await leverage.inputValue()).toBe('100');
    expect(await leverage.getAttribute('aria-invalid')).toBe('true');
    // A value that was taken as typed clears the notice.
    await leverage.fill('20');
    await leverage.press('Enter');
    await expect.poll(() => notice.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
