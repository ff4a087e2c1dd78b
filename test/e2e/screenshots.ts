/**
 * Full-page screenshots of every preset's finished run at 1366 and 360 px wide, for a person to
 * look at one by one, as a first-time reader would (issue 10: "Screenshots of every preset at 1366
 * and 360 px, looked at before resolving"). Not a test and not part of `npm test`: it asserts
 * nothing beyond the page loading without errors.
 *
 *   npm run build && npx tsx test/e2e/screenshots.ts [out-dir] [preset …]
 *
 * It builds nothing itself: it serves `dist/` with `vite preview` (the browser tests' harness,
 * ./browser.ts), loads `?preset=NAME&frozen=1` for each preset at each width, waits for the
 * finished run and its charts, and writes `<preset>-<width>.png` to the folder given (default
 * /tmp/cascade-lab-shots, outside the repo), printing each file with the page's headline.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PRESETS } from '../../src/model/presets.ts';
import { startHarness } from './browser.ts';

const WIDTHS = [1366, 360];
const HEIGHT = { 1366: 900, 360: 760 } as Record<number, number>;

const [outArg, ...only] = process.argv.slice(2);
const out = outArg ?? '/tmp/cascade-lab-shots';
const presets = only.length > 0 ? PRESETS.filter((p) => only.includes(p.name)) : PRESETS;

await mkdir(out, { recursive: true });
const harness = await startHarness();
let failed = false;
try {
  for (const preset of presets)
    for (const width of WIDTHS) {
      const { page, errors } = await harness.newPage({ width, height: HEIGHT[width] });
      await page.goto(`${harness.baseUrl}?preset=${preset.name}&frozen=1`);
      await page.waitForFunction(() => document.querySelector('main')?.dataset.status === 'done', undefined, {
        timeout: 120_000,
      });
      // Every chart drawn: each figure's plot has its svg, and fonts and layout have settled.
      await page.waitForFunction(() =>
        [...document.querySelectorAll('figure .plot-area')].every((el) => el.querySelector('svg')),
      );
      // The fall split loop by loop, computed in the background after the run.
      await page.getByTestId('waterfall-sentence').waitFor({ timeout: 120_000 });
      // A chart off screen skips painting (`content-visibility: auto`, as a reader's scroll would
      // bring it in): paint them all for the one full-page capture.
      // (Through the CSSOM: the page's CSP allows no inline style sheet.)
      await page.evaluate(() => {
        for (const el of document.querySelectorAll<HTMLElement>('*'))
          if (getComputedStyle(el).contentVisibility === 'auto') el.style.contentVisibility = 'visible';
      });
      await page.evaluate(() => document.fonts.ready);
      await page.waitForTimeout(300);
      const file = join(out, `${preset.name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const headline = await page.getByTestId('headline-sentence').textContent();
      console.log(`${file}\n  ${headline?.trim()}`);
      if (errors.length > 0) {
        failed = true;
        console.error(`  errors: ${errors.join(' | ')}`);
      }
      await page.close();
    }
} finally {
  await harness.close();
}
if (failed) process.exitCode = 1;
