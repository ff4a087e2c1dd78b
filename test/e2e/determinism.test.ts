/**
 * Determinism everywhere: the page (WASM in a Chromium worker) and the CLI (the same WASM in
 * Node) compute the same run to the bit. For a link copied from each preset (chosen in the
 * Scenario menu, the address bar read back), a compare link (run A and run B, B by the flags
 * the CLI's note gives), and a chain file loaded on the page, the page's series are hashed
 * (SHA-256 of every column written as the CLI writes it, in SERIES_KEYS order) and compared with
 * the hash of what `cascade-lab run --url <link>` prints. This also shows that `run --url` runs every link
 * the page writes (issue 10: `history`, `chain`, `compare`, `b.*`, `frozen`; and `preset`).
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { PRESETS } from '../../src/model/presets.ts';
import { SERIES_KEYS } from '../../src/model/series.ts';
import type { TestHooks } from '../../src/sim/client.ts';
import { startHarness, type Harness } from './browser.ts';
import { finishedRun } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

const CHAIN_FILE = fileURLToPath(new URL('../fixtures/chains/small-chain.csv', import.meta.url));

/**
 * SHA-256 of the series as the CLI writes them: each column the JSON array of its values (NaN as
 * null, −0 as 0: JSON has neither), column after column in SERIES_KEYS order.
 */
function hashSeries(columns: Record<string, ArrayLike<number | null>>, ticks: number): string {
  const hash = createHash('sha256');
  for (const key of SERIES_KEYS) {
    const values = Array.from({ length: ticks + 1 }, (_, t) => {
      const x = columns[key][t];
      return x === null || Number.isNaN(x) ? null : x;
    });
    hash.update(`${key}:${JSON.stringify(values)}\n`);
  }
  return hash.digest('hex');
}

/** The page's run A or B, as numbers (the test hooks of src/sim/client.ts expose what the charts draw). */
async function pageSeries(page: Page, run: 'a' | 'b'): Promise<{ hash: string; ticks: number }> {
  const { ticks, columns } = await page.evaluate(
    ([which, keys]) => {
      const view = (window as unknown as { __cascadeTest: TestHooks }).__cascadeTest.runs![which]() as {
        ticks: number;
        tick: number;
        columns: Record<string, Float64Array>;
      };
      if (view.tick !== view.ticks) throw new Error(`run ${which} is at tick ${view.tick} of ${view.ticks}`);
      return {
        ticks: view.ticks,
        columns: Object.fromEntries(
          keys.map((k) => [k, Array.from(view.columns[k], (x) => (Number.isNaN(x) ? null : x))]),
        ),
      };
    },
    [run, SERIES_KEYS] as const,
  );
  return { hash: hashSeries(columns, ticks), ticks };
}

/** `cascade-lab run …` in this process, with the real engine: its series hashed, and its notes. */
async function cliSeries(...args: string[]): Promise<{ hash: string; notes: string }> {
  let stdout = '';
  let stderr = '';
  const status = await main(['run', ...args], {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  expect(status, stderr).toBe(0);
  const report = JSON.parse(stdout);
  return { hash: hashSeries(report.series, report.params.ticks), notes: stderr };
}

async function openPage(query: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await harness.newPage();
  await opened.page.addInitScript(() => {
    (window as unknown as { __cascadeTest: TestHooks }).__cascadeTest = {};
  });
  await opened.page.goto(`${harness.baseUrl}${query}`);
  await finishedRun(opened.page);
  return opened;
}

describe('the page and the CLI compute the same bytes', () => {
  test('for a link copied from each preset', async () => {
    const { page, errors } = await openPage('?frozen=1');
    for (const preset of PRESETS) {
      const run = Number(await page.locator('main').getAttribute('data-run'));
      const before = page.url();
      await page.getByRole('combobox', { name: 'Scenario' }).selectOption(preset.name);
      await finishedRun(page, run);
      // The address bar follows the controls a moment later (debounced).
      await expect.poll(() => page.url()).not.toBe(before);
      expect(new URL(page.url()).searchParams.get('frozen')).toBe('1');
      await expect.poll(() => page.locator('[data-preset]').getAttribute('data-preset')).toBe(preset.name);
      const link = page.url();
      const onPage = await pageSeries(page, 'a');
      const inCli = await cliSeries('--url', link);
      expect(inCli.hash, `${preset.name}: ${link}`).toBe(onPage.hash);
      // The page's display setting is named and ignored; chain and history are applied, silently.
      expect(inCli.notes).toMatch(/^cascade-lab: note: ignored the page's display settings in the link: frozen=1 /);
      expect(inCli.notes.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test('for a compare link: run A by the link, run B by the flags the CLI names', async () => {
    const { page, errors } = await openPage('?v=1&seed=4&leverage=12&frozen=1&compare=1&b.leverage=30&b.gex=-1');
    await page.waitForFunction(() => document.querySelector('main')?.dataset.statusB === 'done');
    const link = page.url();
    const a = await cliSeries('--url', link);
    expect(a.hash).toBe((await pageSeries(page, 'a')).hash);
    const flagsB = /Run B is run A with (.*)$/m.exec(a.notes)?.[1];
    expect(flagsB).toBe('--gex -1 --leverage 30');
    const b = await cliSeries('--url', link, ...flagsB!.split(' '));
    expect(b.hash).toBe((await pageSeries(page, 'b')).hash);
    expect(b.hash).not.toBe(a.hash);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("for a short link naming a preset (the preset's chain and history under the link's parameters)", async () => {
    for (const name of ['real-chain', 'perp-cascade']) {
      const link = `${harness.baseUrl}?preset=${name}&seed=3&ticks=240&frozen=1`;
      const { page, errors } = await openPage(link.slice(harness.baseUrl.length));
      const onPage = await pageSeries(page, 'a');
      const inCli = await cliSeries('--url', link);
      expect(inCli.hash, link).toBe(onPage.hash);
      expect(onPage.ticks).toBe(240);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  test('for a chain file loaded on the page and given to the CLI', async () => {
    const { page, errors } = await openPage('?v=1&seed=9&ticks=300&frozen=1');
    const run = Number(await page.locator('main').getAttribute('data-run'));
    await page.locator('details.real summary').click();
    await page.locator('#chain-file').setInputFiles(CHAIN_FILE);
    await finishedRun(page, run);
    await expect.poll(() => page.locator('.real .active').textContent()).toContain('small-chain.csv');
    const onPage = await pageSeries(page, 'a');
    const inCli = await cliSeries('--url', page.url(), '--chain', CHAIN_FILE);
    expect(inCli.hash).toBe(onPage.hash);
    // And the chain made a difference: the stylized grid gives other bytes.
    expect((await cliSeries('--url', page.url())).hash).not.toBe(onPage.hash);
    expect(errors).toEqual([]);
    await page.close();
  });
});
