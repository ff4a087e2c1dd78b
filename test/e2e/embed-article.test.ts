/**
 * The example article and the hosting of the site, on the production build served under a
 * sub-path (`/lab/`): the scrollytelling drives its sticky widget through the message API, both
 * widgets run at their content's height, every request stays on the site's origin, the content
 * security policy refuses nothing the site does, and the Embed dialog writes working snippets.
 */
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './browser.ts';
import { waitForWidget, widgetFrame } from './embed-host.ts';
import { finishedRun, screenshot } from './helpers.ts';

/** Runs take a moment in a shared machine's browser: poll for seconds, not the default one. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ base: '/lab/' });
});

afterAll(async () => {
  await harness?.close();
});

const STORY = 'preset=perp-cascade&charts=price&embed=1';

/** The site's public address when the build was given one (CI's Pages build); its previews then point there. */
const SITE_URL = process.env.SITE_URL?.trim().replace(/\/?$/, '/');

/** An address of the built page, fetched from the served build: a SITE_URL address maps to the same file here. */
function local(address: string, page: string): URL {
  if (SITE_URL && address.startsWith(SITE_URL)) return new URL(address.slice(SITE_URL.length), harness.baseUrl);
  return new URL(address, page);
}
const TRY = 'controls=leverage,liqSpeed,breakerThreshold,dynamicMargin';

/** Every widget message the article's element re-dispatched, in order (they bubble to the document). */
async function recordEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const events: unknown[] = [];
    (window as unknown as { widgetEvents: unknown[] }).widgetEvents = events;
    for (const name of ['ready', 'progress', 'done', 'params', 'error'])
      document.addEventListener(`cascade-lab:${name}`, (event) => events.push((event as CustomEvent).detail));
  });
}

type Detail = { type: string; params?: Record<string, unknown>; cause?: string; summary?: Record<string, number> };
const eventsOf = (page: Page): Promise<Detail[]> =>
  page.evaluate(() => (window as unknown as { widgetEvents: Detail[] }).widgetEvents);

async function scrollToStep(page: Page, step: string): Promise<void> {
  await page.evaluate((step) => {
    document.querySelector(`[data-step="${step}"]`)!.scrollIntoView({ block: 'center' });
  }, step);
  await page.waitForFunction((step) => document.documentElement.dataset.activeStep === step, step);
}

async function tickOf(frame: Frame): Promise<number> {
  return Number(await frame.getByTestId('tick').textContent());
}

/** The iframe's height on the page and the height of the widget inside it. */
async function heights(page: Page, frame: Frame, selector: string): Promise<[number, number]> {
  const outer = await page.evaluate((selector) => {
    const found = document.querySelector(selector) as (HTMLElement & { frame?: HTMLIFrameElement }) | null;
    return (found?.frame ?? (found as HTMLIFrameElement)).clientHeight;
  }, selector);
  const inner = await frame.evaluate(() =>
    Math.ceil(document.querySelector('main.widget')!.getBoundingClientRect().height),
  );
  return [outer, inner];
}

describe('the article', () => {
  test('scrolling tells the crash through the API; both widgets run, each as tall as its content', async () => {
    const { page, errors } = await harness.newPage({ width: 1280, height: 900 });
    await recordEvents(page);
    await page.goto(`${harness.baseUrl}examples/article.html`);
    const story = await widgetFrame(page, STORY);

    await scrollToStep(page, 'calm');
    await story.waitForFunction(() => document.querySelector('[data-testid="tick"]')?.textContent === '14');
    await waitForWidget(story, 'paused');
    await poll(async () => (await heights(page, story, '#story-widget'))[0]).toBeGreaterThan(300);
    const [outer, inner] = await heights(page, story, '#story-widget');
    expect(outer).toBe(inner);

    await scrollToStep(page, 'shock');
    await story.waitForFunction(() => document.querySelector('[data-testid="tick"]')?.textContent === '18');

    await scrollToStep(page, 'cascade');
    await waitForWidget(story, 'done');
    const cascade = (await eventsOf(page)).filter((e) => e.type === 'cascade-lab:done').at(-1)!;
    expect(cascade.params).toMatchObject({ leverage: 13, breakerThreshold: 0 });
    expect(cascade.summary!.feedbackMultiplier).toBeGreaterThan(2);
    await screenshot(page, 'article-cascade', false);

    const before = (await eventsOf(page)).length;
    await scrollToStep(page, 'mitigated');
    await poll(
      async () => (await eventsOf(page)).slice(before).find((e) => e.type === 'cascade-lab:done')?.params,
    ).toMatchObject({ breakerThreshold: 0.04, dynamicMargin: 2, venue: 'cex' });
    const sent = (await eventsOf(page)).slice(before);
    expect(sent.find((e) => e.type === 'cascade-lab:params')).toMatchObject({ cause: 'preset' });
    const mitigated = sent.find((e) => e.type === 'cascade-lab:done')!;
    expect(mitigated.summary).toMatchObject({ haltedTicks: 15, liquidatedAccounts: 0 });
    expect(mitigated.summary!.feedbackMultiplier).toBeLessThan(cascade.summary!.feedbackMultiplier);
    await screenshot(page, 'article-mitigated', false);

    // Scrolling back tells the earlier step again, on its own run.
    await scrollToStep(page, 'shock');
    await story.waitForFunction(() => document.querySelector('[data-testid="tick"]')?.textContent === '18');
    expect(await story.getByRole('link', { name: /Open in Cascade Lab/ }).getAttribute('href')).not.toMatch(
      /breakerThreshold/,
    );

    // The second widget, a plain iframe with its own controls, plays once it scrolls near.
    await page.locator('#try-widget').scrollIntoViewIfNeeded();
    const tryIt = await widgetFrame(page, TRY);
    await tryIt.waitForFunction(() => Number(document.querySelector('[data-testid="tick"]')?.textContent) > 0);
    expect(
      await tryIt.locator('[data-key]').evaluateAll((els) => els.map((el) => el.getAttribute('data-key'))),
    ).toEqual(['leverage', 'liqSpeed', 'breakerThreshold', 'dynamicMargin']);
    await poll(async () => (await heights(page, tryIt, '#try-widget'))[0]).toBeGreaterThan(1000);
    await poll(async () => {
      const [outer, inner] = await heights(page, tryIt, '#try-widget');
      return outer - inner;
    }).toBe(0);
    for (const frame of [story, tryIt]) {
      const overflow = await frame.evaluate(() => [
        document.documentElement.scrollHeight - document.documentElement.clientHeight,
        document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ]);
      expect(overflow).toEqual([0, 0]);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test('readers who prefer less motion see each run complete at once, and steps without transitions', async () => {
    const { page, errors } = await harness.newPage({ width: 1280, height: 900 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${harness.baseUrl}examples/article.html`);
    const story = await widgetFrame(page, STORY);
    await scrollToStep(page, 'shock');
    await story.waitForFunction(() => document.querySelector('[data-testid="tick"]')?.textContent === '18');
    const started = Date.now();
    await scrollToStep(page, 'cascade');
    await waitForWidget(story, 'done');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await tickOf(story)).toBe(180);
    expect(await page.locator('[data-step="cascade"]').evaluate((el) => getComputedStyle(el).transitionDuration)).toBe(
      '0s',
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('hosting', () => {
  test('every request stays on the site’s origin, and the policy refuses nothing (page, dialog, widgets, article)', async () => {
    const origin = new URL(harness.baseUrl).origin;
    const requests: string[] = [];
    const record = (request: { url(): string }) => requests.push(request.url());
    harness.context.on('request', record);
    const { page, errors } = await harness.newPage({ width: 1280, height: 900 });
    await page.goto(`${harness.baseUrl}?v=1&seed=5&frozen=1`);
    await finishedRun(page);
    await page.getByRole('checkbox', { name: 'Compare' }).check();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('main')?.dataset.statusB === 'done');
    for (const name of ['Download Price as SVG', 'Download Price as PNG']) {
      await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
    }
    await page.getByRole('button', { name: 'Embed', exact: true }).click();
    const preview = await widgetFrame(page, 'embed=1');
    await waitForWidget(preview, 'playing').catch(() => waitForWidget(preview, 'done'));
    await page.goto(`${harness.baseUrl}examples/article.html`);
    await scrollToStep(page, 'cascade');
    await page.locator('#try-widget').scrollIntoViewIfNeeded();
    await widgetFrame(page, TRY);
    await page.waitForTimeout(1500);
    harness.context.off('request', record);
    const elsewhere = requests.filter(
      (url) => !url.startsWith('blob:') && !url.startsWith('data:') && new URL(url).origin !== origin,
    );
    expect(elsewhere).toEqual([]);
    expect(requests.some((url) => url.endsWith('.wasm'))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the built page: a content security policy without unsafe-inline, no inline script, every address relative', () => {
    const html = readFileSync(new URL('../../dist/index.html', import.meta.url), 'utf8');
    const policy = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/)?.[1] ?? '';
    expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    expect(policy).toMatch(/style-src 'self'/);
    expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'|frame-ancestors/);
    for (const file of ['../../dist/index.html', '../../dist/examples/article.html']) {
      const page = readFileSync(new URL(file, import.meta.url), 'utf8');
      expect(page).toMatch(/http-equiv="Content-Security-Policy"/);
      expect(page.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
      expect(page).not.toMatch(/\sstyle="/);
      expect(page.match(/<style/g) ?? []).toEqual([]);
    }
    // Relative, but for the oEmbed discovery link when the build was given the site's address.
    const addresses = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(addresses.length).toBeGreaterThan(3);
    for (const address of addresses)
      if (!(SITE_URL && address.startsWith(SITE_URL))) expect(address).not.toMatch(/^\/|^https?:/);
  });

  test('link previews and oEmbed: the preview image, the oEmbed file and its discovery link all load', async () => {
    const { page, errors } = await harness.newPage();
    await page.goto(harness.baseUrl);
    const meta = (selector: string) => page.locator(selector).getAttribute('content');
    const image = local((await meta('meta[property="og:image"]'))!, page.url());
    expect(await meta('meta[name="twitter:card"]')).toBe('summary_large_image');
    expect(await meta('meta[name="twitter:image"]')).toBe(await meta('meta[property="og:image"]'));
    const png = Buffer.from(await (await page.request.get(image.href)).body());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
    const discovery = await page.locator('link[rel="alternate"][type="application/json+oembed"]').getAttribute('href');
    const oembed = await (await page.request.get(local(discovery!, page.url()).href)).json();
    expect(oembed).toMatchObject({ version: '1.0', type: 'rich', provider_name: 'Cascade Lab' });
    expect(oembed.html).toMatch(/<iframe src="[^"]*\?embed=1[^"]*" data-cascade-lab/);
    const favicon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect((await page.request.get(new URL(favicon!, page.url()).href)).status()).toBe(200);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the Embed dialog', () => {
  test('snippets for the current state, checkboxes for charts and controls, and a live preview', async () => {
    await harness.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(harness.baseUrl).origin,
    });
    const { page, errors } = await harness.newPage({ width: 1280, height: 900 });
    await page.goto(`${harness.baseUrl}?v=1&seed=3&leverage=15&frozen=1`);
    await finishedRun(page);
    await page.getByRole('button', { name: 'Embed', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Embed this run' });
    await poll(() => dialog.isVisible()).toBe(true);
    const iframeCode = dialog.getByLabel('Iframe and script');
    const elementCode = dialog.getByLabel('Custom element');

    await dialog.getByRole('checkbox', { name: 'Leverage', exact: true }).check();
    await dialog.getByRole('checkbox', { name: 'Liquidations per tick' }).check();
    await dialog.getByRole('checkbox', { name: 'Price, with the counterfactual' }).uncheck();
    const code = await iframeCode.inputValue();
    const src = new URL(code.match(/<iframe src="([^"]+)"/)![1].replaceAll('&amp;', '&'));
    expect(src.pathname).toBe('/lab/');
    expect(Object.fromEntries(src.searchParams)).toMatchObject({
      embed: '1',
      seed: '3',
      leverage: '15',
      charts: 'liquidations',
      controls: 'leverage',
      autoplay: '1',
    });
    expect(code).toMatch(/<script src="http:\/\/127\.0\.0\.1:\d+\/lab\/embed\.js" async><\/script>$/);
    expect(await elementCode.inputValue()).toMatch(
      /<cascade-lab src="http:\/\/127\.0\.0\.1:\d+\/lab\/" v="1" seed="3" leverage="15" charts="liquidations" controls="leverage" autoplay="1">\n {2}<a href="[^"]+">Open the simulation in Cascade Lab<\/a>\n<\/cascade-lab>$/,
    );

    const preview = await widgetFrame(page, 'controls=leverage');
    await preview.waitForSelector('main.widget[data-run="1"]');
    expect(
      await preview.locator('[data-key]').evaluateAll((els) => els.map((el) => el.getAttribute('data-key'))),
    ).toEqual(['leverage']);
    expect(await preview.locator('figure h2').allTextContents()).toEqual(['Liquidations']);
    await poll(async () => {
      const outer = await page.getByTestId('embed-preview').evaluate((el) => el.clientHeight);
      const inner = await preview.evaluate(() =>
        Math.ceil(document.querySelector('main.widget')!.getBoundingClientRect().height),
      );
      return outer - inner;
    }).toBe(0);
    await dialog.getByRole('button', { name: 'Copy element code' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await elementCode.inputValue());
    await screenshot(page, 'embed-dialog', false);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await poll(() => dialog.isVisible()).toBe(false);

    // Links that open elsewhere never hand the opener or the referrer over.
    for (const url of [
      `${harness.baseUrl}?frozen=1`,
      `${harness.baseUrl}?embed=1&frozen=1`,
      `${harness.baseUrl}examples/article.html`,
    ]) {
      await page.goto(url);
      const links = await page
        .locator('a[href]')
        .evaluateAll((els) =>
          (els as HTMLAnchorElement[])
            .filter((a) => a.target === '_blank' || new URL(a.href).origin !== location.origin)
            .map((a) => a.rel),
        );
      for (const rel of links) expect(rel.split(' ').sort()).toEqual(['noopener', 'noreferrer']);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
