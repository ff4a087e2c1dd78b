/**
 * What the browser tests share: waiting for a run to settle, reading the page's state from its
 * data attributes, and where screenshots go (`test-results/`, ignored by git).
 */
import { mkdir, readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { HistoryId } from '../../src/model/history.ts';
import { PRESETS } from '../../src/model/presets.ts';
import { defaultParams, type Params } from '../../src/model/schema.ts';
import { FROZEN_FLAG, pageQuery } from '../../src/state/location.ts';

export const SCREENSHOTS = new URL('../../test-results/', import.meta.url);

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage });
}

/** Wait until the page shows a finished run newer than `afterRun`; return its id. */
export async function finishedRun(page: Page, afterRun = 0): Promise<number> {
  await page.waitForFunction(
    (after) => {
      const el = document.querySelector('main');
      return el?.dataset.status === 'done' && Number(el.dataset.run) > after;
    },
    afterRun,
    { timeout: 30_000 },
  );
  return Number(await page.locator('main').getAttribute('data-run'));
}

/** The newest tick the page has received. */
export async function tickOf(page: Page): Promise<number> {
  return Number(await page.getByTestId('tick').textContent());
}

/** The tick every chart shows (the cursor). */
export async function cursorOf(page: Page): Promise<number> {
  return Number(await page.locator('main').getAttribute('data-cursor'));
}

/** The parameters in the address bar, without the page's own entries. */
export function linkParameters(page: Page): URLSearchParams {
  const query = new URL(page.url()).searchParams;
  query.delete(FROZEN_FLAG);
  return query;
}

/** The number field of a parameter's control (found whether or not its group is folded). */
export function field(page: Page, key: string) {
  return page.locator(`[data-key="${key}"] input[type="number"], [data-key="${key}"] select`).first();
}

/** The query of a preset's frozen run, as the page writes it (with its chain and price path). */
export function presetQuery(name: string, extra = ''): string {
  const preset = PRESETS.find((p) => p.name === name);
  if (!preset) throw new Error(`no preset ${name}`);
  const params = { ...defaultParams(), ...preset.params } as Params;
  return `?${pageQuery(params, { frozen: true, chain: preset.chain, history: preset.history as HistoryId | undefined })}${extra}`;
}

/** Click `name` (a button's accessible name) and return the downloaded file's name and text. */
export async function download(page: Page, name: string): Promise<{ file: string; text: string }> {
  const [event] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name, exact: true }).first().click(),
  ]);
  return { file: event.suggestedFilename(), text: await readFile(await event.path(), 'utf8') };
}
