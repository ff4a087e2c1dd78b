/**
 * Hostile input in a real browser: 60 generated links (test/support/hostile.ts, a fixed seed)
 * and a link of 50,000 unknown keys each load, run and settle with at most `MAX_NOTICES` + 1
 * notices, no script or markup from the link, no dialog and no console error, and leave a clean
 * address bar; a 50 MB chain file is read off the page's thread (no long task on the page), and
 * a file over the size limit is refused with a message naming the limit.
 */
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_CHAIN_BYTES } from '../../src/model/chain-import.ts';
import { readLocation } from '../../src/state/location.ts';
import { MAX_NOTICES } from '../../src/state/url.ts';
import { bigDeribitCsv } from '../support/big-chain.ts';
import { linkEntries } from '../support/hostile.ts';
import { startHarness, type Harness } from './browser.ts';
import { finishedRun, screenshot } from './helpers.ts';

let harness: Harness;
let scratch: string;

beforeAll(async () => {
  harness = await startHarness();
  scratch = await mkdtemp(join(tmpdir(), 'cascade-lab-hostile-'));
});

afterAll(async () => {
  await harness?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The query of a generated link: escaped as the page escapes, or raw as a person types; short enough for a URL. */
const hostileQueries: string[] = fc
  .sample(fc.tuple(linkEntries, fc.boolean()), { seed: 1313, numRuns: 400 })
  .map(([entries, raw]) =>
    entries
      .map(([k, v]) => {
        const wellFormed = (s: string): string => s.replace(/[\ud800-\udfff]/gu, '\ufffd');
        // Raw: as typed, but a `#` would end the query and whitespace the address.
        const encode = (s: string): string =>
          raw ? wellFormed(s).replace(/[#\s]/g, encodeURIComponent) : encodeURIComponent(wellFormed(s));
        return `${encode(k)}=${encode(v)}`;
      })
      .join('&'),
  )
  .filter((query) => query.length < 20_000)
  .slice(0, 60);

const SMALL = 'ticks=120&accounts=2000&dealers=200';

/** Record dialogs, and every element a link could have injected. */
async function watch(page: Page): Promise<{ dialogs: string[] }> {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { dialogs };
}

async function settledCleanly(page: Page, query: string): Promise<void> {
  await finishedRun(page);
  expect(await page.getByTestId('multiplier').textContent(), query).toMatch(/^\d+(\.\d+)?×$/);
  const notices = await page.locator('[role="status"].banner li').count();
  expect(notices, query).toBeLessThanOrEqual(MAX_NOTICES + 1);
  // Nothing of the link became markup: no image, no inline script, no element with a handler attribute.
  expect(
    await page.evaluate(
      () =>
        document.querySelectorAll('img, iframe, object, embed, script:not([src])').length +
        [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on')))
          .length,
    ),
    query,
  ).toBe(0);
  // The address bar is rewritten to a clean link: read again, it raises no notice.
  await expect.poll(() => readLocation(new URL(page.url()).search).notices, { timeout: 5000 }).toEqual([]);
}

describe('hostile input in the browser', () => {
  test(`${hostileQueries.length} generated hostile links each run, with bounded notices and nothing injected`, async () => {
    expect(hostileQueries.length).toBe(60);
    const { page, errors } = await harness.newPage();
    const { dialogs } = await watch(page);
    let withNotices = 0;
    for (const query of hostileQueries) {
      // Small runs first (a size the link gives itself comes later and wins), so 60 links take seconds.
      await page.goto(`${harness.baseUrl}?${SMALL}&${query}&frozen=1`);
      await settledCleanly(page, query);
      if ((await page.locator('[role="status"].banner').count()) > 0) withNotices++;
    }
    // The generator is hostile: most links get a notice, and not all (valid links stay quiet).
    expect(withNotices).toBeGreaterThan(30);
    expect(withNotices).toBeLessThan(60);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a link of 50,000 unknown keys shows 11 notices and runs', async () => {
    const { page, errors } = await harness.newPage();
    const query = Array.from({ length: 50_000 }, (_, i) => `k${i}=${i}`).join('&');
    // A static host refuses a 600 kB request line (vite preview: 431); the page is the same file at any query.
    await page.route(
      (url) => url.search.length > 10_000,
      (route) => route.fulfill({ path: fileURLToPath(new URL('../../dist/index.html', import.meta.url)) }),
    );
    await page.goto(`${harness.baseUrl}?${query}&frozen=1`);
    await settledCleanly(page, 'k0..k49999');
    const items = page.locator('[role="status"].banner li');
    expect(await items.count()).toBe(MAX_NOTICES + 1);
    expect(await items.last().textContent()).toBe('… and 49990 more problems with this link, not listed one by one.');
    await screenshot(page, 'hostile-50000-keys', false);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a 50 MB chain file is read off the page thread; a file over the limit is refused', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(`${harness.baseUrl}?v=1&seed=2&ticks=120&frozen=1`);
    const firstRun = await finishedRun(page);
    // Long tasks on the page's own thread while the file is read (a main-thread parse blocked it ~10 s).
    await page.evaluate(() => {
      const longest = { ms: 0 };
      (window as unknown as { __longest: typeof longest }).__longest = longest;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longest.ms = Math.max(longest.ms, entry.duration);
      }).observe({ type: 'longtask' });
    });
    const big = join(scratch, 'big-chain.csv');
    await writeFile(big, bigDeribitCsv(50 * 1024 * 1024));
    await page.locator('details.real summary').click();
    await page.locator('#chain-file').setInputFiles(big);
    await expect
      .poll(() => page.locator('.real .active').textContent(), { timeout: 60_000 })
      .toContain('big-chain.csv');
    await finishedRun(page, firstRun);
    expect(await page.locator('.real .notes').textContent()).toMatch(/of \d{6} instruments read/);
    const longest = await page.evaluate(() => (window as unknown as { __longest: { ms: number } }).__longest.ms);
    expect(longest, 'the longest task on the page thread while reading (ms)').toBeLessThan(1000);

    const huge = join(scratch, 'huge-chain.csv');
    await writeFile(huge, '');
    await truncate(huge, MAX_CHAIN_BYTES + 10 * 1024 * 1024); // sparse: the size is what is refused, nothing is read
    await page.locator('#chain-file').setInputFiles(huge);
    await expect
      .poll(() => page.locator('.real .problem').textContent())
      .toBe(
        '"huge-chain.csv" is 74.0 MB, more than a chain file may be (64 MB); an options chain is a few thousand rows: keep one snapshot per file',
      );
    expect(await page.locator('.real .active').textContent()).toContain('big-chain.csv'); // nothing the user had is lost
    expect(errors).toEqual([]);
    await page.close();
  });
});
