/**
 * The controls in a real browser: every scenario preset loads and tells its story, the
 * transport steps, plays and pauses, the timeline scrubs back over the run, and a link that sets
 * every parameter of the schema restores every control.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PRESETS } from '../../src/model/presets.ts';
import { SCHEMA, defaultParams, type ParamSpec } from '../../src/model/schema.ts';
import { decodeQuery, encodeQuery } from '../../src/state/url.ts';
import { startHarness, type Harness } from './browser.ts';
import { cursorOf, field, finishedRun, linkParameters, screenshot, tickOf } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** A valid value of `spec` other than its default, near it (so the run stays cheap). */
function otherValue(spec: ParamSpec): string {
  if (spec.type === 'enum') return spec.options.find((option) => option !== spec.default)!;
  const up = spec.default + spec.step;
  const value = up <= spec.max ? up : spec.default - spec.step;
  const decimals = Math.max(0, -Math.floor(Math.log10(spec.step) + 1e-9));
  return String(Number(value.toFixed(decimals)));
}

describe('the controls', () => {
  test('each scenario preset loads its parameters and shows its story', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    let run = await finishedRun(page);
    const scenario = page.getByRole('combobox', { name: 'Scenario', exact: true });
    for (const preset of PRESETS) {
      await scenario.selectOption(preset.name);
      run = await finishedRun(page, run);
      await expect.poll(() => page.getByTestId('story').textContent()).toContain(preset.story);
      expect(await page.getByTestId('story').textContent()).toContain(preset.title);
      const expected = decodeQuery(encodeQuery({ ...defaultParams(), ...preset.params })).params;
      await expect.poll(() => decodeQuery(linkParameters(page).toString()).params).toEqual(expected);
      for (const [key, value] of Object.entries(preset.params))
        expect(await field(page, key).inputValue(), key).toBe(String(value));
      expect(await scenario.inputValue()).toBe(preset.name);
      // The preset's real data travels in the link, and its crash is drawn beside the run.
      const link = new URL(page.url()).searchParams;
      expect(link.get('chain')).toBe(preset.chain ?? null);
      expect(link.get('history')).toBe(preset.history ?? null);
      // A path of minutes or hours is a line; daily closes are points (a line would cross a session the data knows nothing of).
      const historyPath = page.locator('figure[data-final-price] path.history');
      const closes = page.locator('figure[data-final-price] circle.close');
      if (preset.history?.includes('-1d-')) {
        expect(await closes.count()).toBeGreaterThan(0);
        expect(await historyPath.count()).toBe(0);
      } else if (preset.history) expect(await historyPath.getAttribute('d')).toMatch(/^M/);
      else expect(await historyPath.count()).toBe(0);
    }
    await screenshot(page, `preset-${PRESETS.at(-1)!.name}`);

    // Moving a control away from the preset keeps its name: the preset, edited.
    await field(page, 'seed').fill('12345');
    await field(page, 'seed').press('Enter');
    await expect.poll(() => scenario.inputValue()).toBe('');
    expect(await scenario.locator('option:checked').textContent()).toBe(`${PRESETS.at(-1)!.name}, edited: seed 12345`);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('step, play and pause move the tick', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(harness.baseUrl);
    await expect.poll(() => tickOf(page), { timeout: 10_000 }).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => page.locator('main').getAttribute('data-status')).toBe('paused');
    const paused = await tickOf(page);

    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => tickOf(page)).toBe(paused + 1);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => tickOf(page)).toBe(paused + 2);
    await page.waitForTimeout(300);
    expect(await tickOf(page), 'stepping leaves the run paused').toBe(paused + 2);

    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => tickOf(page)).toBeGreaterThan(paused + 10);

    // A faster speed plays faster.
    await page.getByRole('combobox', { name: 'Playback speed', exact: true }).selectOption({ label: '1000 min/s' });
    await expect.poll(() => page.locator('main').getAttribute('data-status'), { timeout: 10_000 }).toBe('done');
    expect(await tickOf(page)).toBe(720);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the timeline scrubs back over the run, and back to live', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    await finishedRun(page);
    const price = page.locator('figure[data-final-price]');
    const finalPrice = await price.getAttribute('data-final-price');
    expect(await cursorOf(page)).toBe(720);

    const timeline = page.getByRole('slider', { name: 'Timeline', exact: true });
    await timeline.fill('75');
    await expect.poll(() => cursorOf(page)).toBe(75);
    expect(await page.getByTestId('cursor-tick').textContent()).toBe('75');
    expect(await price.getAttribute('data-cursor')).toBe('75');
    expect(await price.getAttribute('data-cursor-price')).not.toBe(finalPrice);
    expect(await page.locator('.headline .sentence').textContent()).toMatch(/^By 1h 15m,/);
    // Snapshot charts show the newest snapshot at or before the cursor.
    const snapshotTick = Number(
      await page.locator('figure[data-snapshot-tick]').first().getAttribute('data-snapshot-tick'),
    );
    // How many snapshots an instant run leaves depends on how fast this machine computes them
    // (on a loaded machine the first after tick 0 may come after tick 75): never one past the cursor.
    expect(snapshotTick).toBeLessThanOrEqual(75);
    expect(snapshotTick).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'scrubbed');

    await timeline.press('ArrowLeft');
    await expect.poll(() => cursorOf(page)).toBe(74);
    await page.getByRole('button', { name: 'Back to live' }).click();
    await expect.poll(() => cursorOf(page)).toBe(720);
    await expect.poll(() => page.getByTestId('cursor-tick').count()).toBe(0);

    // While a run plays, a scrubbed cursor stays where it was put.
    await page.getByRole('combobox', { name: 'Playback speed', exact: true }).selectOption({ label: '1 h/s' });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => page.locator('main').getAttribute('data-status')).toBe('playing');
    await expect.poll(() => tickOf(page)).toBeGreaterThan(30);
    await timeline.fill('10');
    const scrubbedAt = await tickOf(page);
    await expect.poll(() => tickOf(page)).toBeGreaterThan(scrubbedAt + 20);
    expect(await cursorOf(page)).toBe(10);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('readers who ask for less motion get each run at once', async () => {
    const { page, errors } = await harness.newPage();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(harness.baseUrl);
    await finishedRun(page);
    expect(await page.getByRole('combobox', { name: 'Playback speed', exact: true }).inputValue()).toBe('Infinity');
    expect(await tickOf(page)).toBe(720);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a link that sets every parameter restores every control', async () => {
    const { page, errors } = await harness.newPage();
    const specs = SCHEMA as readonly ParamSpec[];
    const link = new URLSearchParams([
      ['v', '1'],
      ...specs.map((spec) => [spec.key, otherValue(spec)] as [string, string]),
    ]);
    await page.goto(`${harness.baseUrl}?${link}&frozen=1`);
    await finishedRun(page);

    for (const spec of specs) expect(await field(page, spec.key).inputValue(), spec.key).toBe(otherValue(spec));
    await expect
      .poll(() => decodeQuery(linkParameters(page).toString()).params)
      .toEqual(decodeQuery(link.toString()).params);
    expect(decodeQuery(link.toString()).notices).toEqual([]);
    await expect.poll(() => page.getByRole('status').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('an options chain file reshapes the dealer book; a bad one is named', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    const first = await finishedRun(page);
    const profileBefore = await page.locator('figure[data-snapshot-tick] path.negative').first().getAttribute('d');
    await page.getByText('Real data: the options book').click();
    const chain = [
      'type,strike,expiry,open_interest,spot',
      'put,2700,7,50000,3000',
      'put,2900,1,80000,3000',
      'call,3300,7,40000,3000',
    ].join('\n');
    await page
      .getByLabel('Or load a chain file')
      .setInputFiles({ name: 'my-chain.csv', mimeType: 'text/csv', buffer: Buffer.from(chain) });
    await finishedRun(page, first);
    expect(await page.getByRole('combobox', { name: 'Dealers’ options book' }).inputValue()).toBe('file');
    expect(await page.locator('.scenario').textContent()).toContain('3 of 3 instruments read');
    await expect
      .poll(() => page.locator('figure[data-snapshot-tick] path.negative').first().getAttribute('d'))
      .not.toBe(profileBefore);
    expect(new URL(page.url()).searchParams.has('chain')).toBe(false); // a file cannot travel in a link

    await page
      .getByLabel('Or load a chain file')
      .setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('strike,nothing\n1,2\n') });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('broken.csv');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the headline says why the multiplier changed', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?frozen=1`);
    const first = await finishedRun(page);
    const before = await page.getByTestId('multiplier').textContent();
    await page.waitForTimeout(1100); // the previous run must have settled on screen
    await field(page, 'leverage').fill('20');
    await field(page, 'leverage').press('Enter');
    await finishedRun(page, first);
    const why = page.getByTestId('why');
    await expect.poll(() => why.textContent()).toMatch(/^(Up|Down) from /);
    expect(await why.textContent()).toContain(
      `from ${before} in the previous run, because leverage rose from 10× to 20×`,
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
