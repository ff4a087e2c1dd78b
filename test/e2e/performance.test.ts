/**
 * Smoothness: the default scenario playing live, every chart updating, measured with
 * requestAnimationFrame in the production build. Prints the mean frame rate and the
 * 95th-percentile frame time, at the top of the page and scrolled to the middle charts.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './browser.ts';
import { tickOf } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** Frame intervals over `ms` of animation frames: mean frames per second and 95th-percentile interval. */
async function measureFrames(page: Page, ms: number): Promise<{ fps: number; p95: number; frames: number }> {
  // A string, not a function: the test runner's transpiler would add helpers the page lacks.
  return page.evaluate(`new Promise((done) => {
    const intervals = [];
    let last;
    const first = performance.now();
    const frame = (now) => {
      if (last !== undefined) intervals.push(now - last);
      last = now;
      if (now - first < ${ms}) return requestAnimationFrame(frame);
      const sorted = intervals.slice().sort((a, b) => a - b);
      const total = intervals.reduce((s, x) => s + x, 0);
      done({ fps: (1000 * intervals.length) / total, p95: sorted[Math.floor(0.95 * (sorted.length - 1))], frames: intervals.length });
    };
    requestAnimationFrame(frame);
  })`);
}

describe('performance', () => {
  test('the default preset plays at 60 frames per second with every chart live', async () => {
    const { page, errors } = await harness.newPage({ width: 1280, height: 900 });
    await page.goto(harness.baseUrl);
    await expect.poll(() => tickOf(page), { timeout: 10_000 }).toBeGreaterThan(20);
    const tickBefore = await tickOf(page);
    const top = await measureFrames(page, 2000);
    const tickAfter = await tickOf(page);
    await page.locator('figure[data-snapshot-tick]').first().scrollIntoViewIfNeeded();
    const middle = await measureFrames(page, 2000);
    const report = (where: string, m: { fps: number; p95: number; frames: number }): string =>
      `${where}: ${m.fps.toFixed(1)} fps mean, p95 frame ${m.p95.toFixed(1)} ms (${m.frames} frames)`;
    console.info(
      `while playing (${tickAfter - tickBefore} ticks in 2 s): ${report('top of page', top)}; ${report('middle charts', middle)}`,
    );

    expect(tickAfter - tickBefore, 'the run kept playing').toBeGreaterThan(60);
    // 60 fps is the target and what an idle machine measures; the bound leaves room for a test
    // machine shared with other jobs (software rendering, two cores), where it dips into the 40s.
    expect(top.fps).toBeGreaterThan(40);
    expect(middle.fps).toBeGreaterThan(40);
    expect(errors).toEqual([]);
    await page.close();
  });
});
