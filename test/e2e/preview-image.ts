/**
 * Makes `static/preview.png`, the picture of a shared link (Open Graph, Twitter card, oEmbed
 * thumbnail): a real screenshot of the playground at 1200×630, on the perp-cascade preset, its
 * run finished. Run it by hand after a change to the page's look, and commit the file:
 *
 *   npm run build && npx tsx test/e2e/preview-image.ts
 */
import { fileURLToPath } from 'node:url';
import { startHarness } from './browser.ts';
import { finishedRun } from './helpers.ts';

const OUT = fileURLToPath(new URL('../../static/preview.png', import.meta.url));

const harness = await startHarness();
try {
  const { page, errors } = await harness.newPage({ width: 1200, height: 630 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.goto(`${harness.baseUrl}?preset=perp-cascade&frozen=1`);
  await finishedRun(page);
  // The headline and the whole price chart beside the transport: the page at 80%, scrolled to the headline.
  await page.evaluate(() => document.documentElement.style.setProperty('zoom', '0.8'));
  await page
    .locator('[data-multiplier]')
    .evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 12));
  await page.waitForTimeout(300);
  await page.screenshot({ path: OUT });
  if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
  console.log(`wrote ${OUT}`);
} finally {
  await harness.close();
}
