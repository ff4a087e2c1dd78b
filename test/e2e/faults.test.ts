/**
 * Worker faults in a real browser: the run's worker is terminated (it stops answering the
 * heartbeat), throws inside its engine step, or fails to load its engine once. Each time the page
 * says so in plain words, shows the status as `recovering` (never `playing` while nothing plays),
 * restarts the worker and resumes the same run — same parameters, the compare run and the cursor
 * kept — and the banner clears once the run is back. A run whose worker keeps failing is stopped
 * and says so. The faults come through `window.__cascadeTest`, which only this test's init script
 * creates (src/sim/client.ts, `TestHooks`): no link can reach them.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestHooks } from '../../src/sim/client.ts';
import { startHarness, type Harness } from './browser.ts';
import { cursorOf, finishedRun, screenshot, tickOf } from './helpers.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** A page whose workers can be broken: heartbeat every 200 ms, a worker silent for 2 s counts as stuck. */
async function faultablePage(hooks: TestHooks = {}): Promise<{ page: Page; errors: string[] }> {
  const opened = await harness.newPage({ width: 1280, height: 1000 });
  await opened.page.addInitScript(
    (init) => {
      (window as unknown as { __cascadeTest: TestHooks }).__cascadeTest = init;
    },
    { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 2000, ...hooks },
  );
  return opened;
}

const status = (page: Page, which: 'status' | 'statusB' = 'status'): Promise<string | undefined> =>
  page.evaluate((key) => document.querySelector('main')?.dataset[key], which);

const runId = async (page: Page): Promise<number> => Number(await page.locator('main').getAttribute('data-run'));

/** The newest worker of `name` (`simulation`: run A; `compare`: run B), terminated from outside. */
async function terminate(page: Page, name: string): Promise<void> {
  await page.evaluate((target) => {
    const hooks = (window as unknown as { __cascadeTest: TestHooks }).__cascadeTest;
    hooks
      .workers!.filter((w) => w.name === target)
      .at(-1)!
      .worker.terminate();
  }, name);
}

async function injectFault(page: Page, name: string, kind: 'throw' | 'hang'): Promise<void> {
  await page.evaluate(
    ([target, how]) => (window as unknown as { __cascadeTest: TestHooks }).__cascadeTest.fault!(target, how as 'throw'),
    [name, kind],
  );
}

/** Statuses seen every 20 ms until `until` holds: the page must never claim `playing` while recovering. */
async function watchStatus(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __seen: string[] }).__seen = seen;
    setInterval(() => {
      const s = document.querySelector('main')?.dataset.status ?? '';
      if (seen.at(-1) !== s) seen.push(s);
    }, 20);
  });
  return () => page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
}

describe('worker faults', () => {
  test('a terminated worker: the page says it stopped answering, restarts it and the run plays on from where it was', async () => {
    const { page, errors } = await faultablePage();
    await page.goto(`${harness.baseUrl}?v=1&seed=11&ticks=3000&leverage=20`);
    await expect.poll(() => tickOf(page), { timeout: 15_000 }).toBeGreaterThan(40);
    const statuses = await watchStatus(page);
    const before = { run: await runId(page), url: page.url() };
    await terminate(page, 'simulation');
    const tickAtFault = await tickOf(page);

    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain('stopped answering');
    expect(await alert.textContent()).toMatch(
      /The simulation stopped answering for 2 s\. It is being restarted, and the run resumes at tick \d+ with the same parameters\./,
    );
    await screenshot(page, 'fault-recovering', false);
    // Back: playing again, past the tick it reached, in a new run id, the banner gone.
    await expect.poll(() => status(page), { timeout: 15_000 }).toBe('playing');
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    await expect.poll(() => tickOf(page)).toBeGreaterThan(tickAtFault + 20);
    expect(await runId(page)).toBeGreaterThan(before.run);
    expect(page.url()).toBe(before.url);
    const seen = await statuses();
    expect(seen).toContain('recovering');
    // Between the fault being noticed and the run being back, nothing claimed to be playing.
    expect(seen.slice(seen.indexOf('recovering'), seen.lastIndexOf('recovering') + 1)).toEqual(['recovering']);
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('an exception inside the worker: the same run resumes and ends where an undisturbed run ends', async () => {
    const link = `?v=1&seed=5&ticks=400&leverage=25&liqSpeed=1`;
    const reference = await harness.newPage();
    await reference.page.goto(`${harness.baseUrl}${link}&frozen=1`);
    await finishedRun(reference.page);
    const expected = await reference.page.locator('[data-multiplier]').getAttribute('data-multiplier');
    await reference.page.close();

    const { page } = await faultablePage();
    await page.goto(`${harness.baseUrl}${link}`);
    await expect.poll(() => tickOf(page), { timeout: 15_000 }).toBeGreaterThan(30);
    const statuses = await watchStatus(page);
    await injectFault(page, 'simulation', 'throw');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain('an exception inside the engine step');
    expect(await alert.textContent()).toContain('It is being restarted, and the run resumes at tick');
    await expect.poll(() => page.getByRole('alert').count(), { timeout: 15_000 }).toBe(0);
    // Fast-forward the rest, then the result is the undisturbed run's, to the last digit.
    await page.locator('select#speed').selectOption('Infinity');
    await finishedRun(page);
    expect(await page.locator('[data-multiplier]').getAttribute('data-multiplier')).toBe(expected);
    expect(await statuses()).toContain('recovering');
    await page.close();
  });

  test('an engine that fails to load once: the page retries and the run completes', async () => {
    const { page, errors } = await faultablePage({ failEngineLoads: 1 });
    await page.goto(`${harness.baseUrl}?v=1&seed=3&frozen=1`);
    await finishedRun(page);
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    expect(await status(page)).toBe('done');
    const workers = await page.evaluate(() =>
      (window as unknown as { __cascadeTest: TestHooks }).__cascadeTest.workers!.map((w) => w.name),
    );
    expect(workers.filter((name) => name === 'simulation')).toHaveLength(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('compare mode and the cursor survive a fault of either worker', async () => {
    const { page, errors } = await faultablePage();
    await page.goto(`${harness.baseUrl}?v=1&seed=7&frozen=1&compare=1&b.leverage=25`);
    await finishedRun(page);
    await page.waitForFunction(() => document.querySelector('main')?.dataset.statusB === 'done');
    const multipliers = async (): Promise<[string | null, string | null]> => [
      await page.getByTestId('multiplier').textContent(),
      await page.getByTestId('multiplier-b').textContent(),
    ];
    const before = await multipliers();
    await page.getByRole('slider', { name: 'Timeline', exact: true }).fill('300');
    await expect.poll(() => cursorOf(page)).toBe(300);

    // B's worker hangs (busy for good), A's is terminated: both stop answering the heartbeat.
    for (const [name, how] of [
      ['compare', 'hang'],
      ['simulation', 'terminate'],
    ]) {
      const run = await runId(page);
      if (how === 'hang') await injectFault(page, name, 'hang');
      else await terminate(page, name);
      await expect.poll(() => page.getByRole('alert').count(), { timeout: 10_000 }).toBe(1);
      expect(await page.getByRole('alert').textContent()).toContain(
        name === 'compare' ? 'run B resumes' : 'run A resumes',
      );
      await expect.poll(() => page.getByRole('alert').count(), { timeout: 15_000 }).toBe(0);
      await page.waitForFunction(
        () =>
          document.querySelector('main')?.dataset.status === 'done' &&
          document.querySelector('main')?.dataset.statusB === 'done',
      );
      if (name === 'simulation') expect(await runId(page)).toBeGreaterThan(run);
      expect(await cursorOf(page)).toBe(300);
      expect(await page.getByRole('checkbox', { name: 'Compare' }).isChecked()).toBe(true);
      expect(await multipliers()).toEqual(before);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a worker that fails again and again is stopped, and the page says so', async () => {
    const { page } = await faultablePage({ failEngineLoads: 20 });
    await page.goto(`${harness.baseUrl}?v=1&seed=3&frozen=1`);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toContain('and was stopped');
    expect(await alert.textContent()).toMatch(
      /The simulation of the run failed 4 times within a minute and was stopped at tick 0; the last time it failed[^.]*: could not compile the engine/,
    );
    expect(await status(page)).toBe('stopped');
    expect(await page.getByRole('button', { name: 'Play' }).count()).toBe(1);
    await screenshot(page, 'fault-stopped', false);
    await page.close();
  });
});
