/**
 * The embeddable widget in a real browser, on the production build served under a sub-path
 * (`/lab/`): its flags, its size, and the message API from a host page on another origin — the
 * custom element's methods and events, refusals, and forged messages from other windows.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from './browser.ts';
import {
  logOf,
  startHosts,
  waitForLog,
  waitForWidget,
  widgetFrame,
  widgetState,
  type Hosts,
  type Logged,
} from './embed-host.ts';
import { screenshot } from './helpers.ts';

/** Runs take a moment in a shared machine's browser: poll for seconds, not the default one. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

let harness: Harness;
let hosts: Hosts;

beforeAll(async () => {
  harness = await startHarness({ base: '/lab/' });
  hosts = await startHosts(harness.baseUrl);
});

afterAll(async () => {
  await hosts?.close();
  await harness?.close();
});

describe('the widget alone', () => {
  test('controls=leverage shows exactly that one control, and moving it reruns the run', async () => {
    const { page, errors } = await harness.newPage({ width: 700, height: 900 });
    await page.goto(`${harness.baseUrl}?embed=1&frozen=1&controls=leverage`);
    await page.waitForSelector('main.widget[data-status="done"]');
    const keys = await page.locator('[data-key]').evaluateAll((els) => els.map((el) => el.getAttribute('data-key')));
    expect(keys).toEqual(['leverage']);
    expect(await page.locator('main.widget input[type="range"]').count()).toBe(2); // the slider and the timeline
    const run = Number(await page.locator('main.widget').getAttribute('data-run'));
    const field = page.locator('[data-key="leverage"] input[type="number"]');
    await field.fill('25');
    await field.press('Enter');
    await page.waitForFunction(
      (run) => Number(document.querySelector<HTMLElement>('main.widget')?.dataset.run) > run,
      run,
    );
    const open = page.getByRole('link', { name: /Open in Cascade Lab/ });
    const href = new URL((await open.getAttribute('href'))!);
    expect(href.pathname).toBe('/lab/');
    expect(href.searchParams.get('leverage')).toBe('25');
    expect(href.searchParams.get('embed')).toBeNull();
    expect(await open.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await open.getAttribute('target')).toBe('_blank');
    expect(await page.locator('[role="status"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('theme=dark renders dark and theme=light light, whatever the reader’s system says', async () => {
    const { page, errors } = await harness.newPage({ width: 700, height: 900 });
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const luminance = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${harness.baseUrl}?embed=1&frozen=1&theme=dark&charts=price,gex`);
    await page.waitForSelector('main.widget[data-status="done"]');
    expect(luminance(await background())).toBeLessThan(40);
    const ink = await page.evaluate(() => getComputedStyle(document.querySelector('main.widget')!).color);
    expect(luminance(ink)).toBeGreaterThan(200);
    await screenshot(page, 'embed-dark');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${harness.baseUrl}?embed=1&frozen=1&theme=light`);
    await page.waitForSelector('main.widget[data-status="done"]');
    expect(luminance(await background())).toBeGreaterThan(230);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${harness.baseUrl}?embed=1&frozen=1&theme=auto`);
    await page.waitForSelector('main.widget[data-status="done"]');
    expect(luminance(await background())).toBeLessThan(40);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('charts= shows the charts named, in order; bad flags are named in a notice', async () => {
    const { page, errors } = await harness.newPage({ width: 700, height: 900 });
    await page.goto(`${harness.baseUrl}?embed=1&frozen=1&charts=liquidations,price,nope&theme=purple&autoplay=maybe`);
    await page.waitForSelector('main.widget[data-status="done"]');
    const titles = await page.locator('figure h2').allTextContents();
    expect(titles).toEqual(['Liquidations', 'Price']);
    const notices = await page.locator('[role="status"] li').allTextContents();
    expect(notices).toEqual([
      expect.stringMatching(
        /^Ignored unknown chart “nope” in charts; charts are price, loops, stablecoin, supply, insurers, liquidations/,
      ),
      expect.stringMatching(/^Theme \(theme\) must be one of auto, light, dark; “purple” was ignored/),
      expect.stringMatching(/^Autoplay \(autoplay\) must be 1 or 0; “maybe” was ignored/),
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('every chart of the page is offered: luna-ust shows its peg and supplies with data; a chart of an absent mechanism says it is off, with no axis', async () => {
    const { page, errors } = await harness.newPage({ width: 700, height: 900 });
    await page.goto(
      `${harness.baseUrl}?embed=1&preset=luna-ust&frozen=1&charts=stablecoin,supply,liquidations,insurers`,
    );
    await page.waitForSelector('main.widget[data-status="done"]');
    expect(await page.locator('figure h2').allTextContents()).toEqual([
      'Stablecoin peg',
      'Stablecoin and token supply',
    ]);
    // The peg is drawn with data, and its axis reads distinct prices (not "$1 $1 $1 $0").
    expect(await page.locator('path.peg').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L/);
    expect(await page.locator('path.token').getAttribute('d')).toMatch(/^M/);
    const pegAxis = await page
      .locator('figure', { has: page.locator('h2', { hasText: 'Stablecoin peg' }) })
      .locator('svg g.axis text[text-anchor="end"]')
      .allTextContents();
    expect(pegAxis.length).toBeGreaterThan(1);
    expect(new Set(pegAxis).size).toBe(pegAxis.length);
    // LUNA has no perps, loans or insurers: those charts say so in words, and draw no plot or axis.
    const off = page.locator('[data-chart-off]');
    expect(await off.evaluateAll((els) => els.map((el) => el.getAttribute('data-chart-off')))).toEqual([
      'liquidations',
      'insurers',
    ]);
    expect(await off.first().textContent()).toMatch(
      /not charted, because this run has no leveraged perp traders or DeFi lending/,
    );
    expect(await page.locator('[data-chart-off] svg').count()).toBe(0);
    expect(await page.locator('[role="status"]').count()).toBe(0);
    await screenshot(page, 'embed-luna-ust');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a frame 320 px wide never scrolls sideways', async () => {
    const { page, errors } = await harness.newPage({ width: 320, height: 700 });
    await page.goto(`${harness.baseUrl}?embed=1&frozen=1&charts=price,liquidations,loops&controls=leverage,venue`);
    await page.waitForSelector('main.widget[data-status="done"]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(320);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('without autoplay the run waits at tick 0 for Play; with autoplay it plays', async () => {
    const { page, errors } = await harness.newPage({ width: 700, height: 900 });
    await page.goto(`${harness.baseUrl}?embed=1&preset=perp-cascade`);
    await page.waitForSelector('main.widget[data-run="1"]');
    await page.waitForTimeout(600);
    expect(await page.locator('main.widget').getAttribute('data-status')).toBe('paused');
    expect(await page.getByTestId('tick').textContent()).toBe('0');
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForSelector('main.widget[data-status="done"]', { timeout: 30_000 });
    await page.goto(`${harness.baseUrl}?embed=1&preset=perp-cascade&autoplay=1`);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="tick"]')?.textContent) > 0);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the widget in a host page on another origin', () => {
  test('the element shows its fallback until the widget loads, then the widget at its own height', async () => {
    const host = hosts.page('preset="perp-cascade" charts="price" frozen');
    const { page, errors } = await harness.newPage({ width: 900, height: 900 });
    // Hold the element's widget back a moment, so its fallback can be seen.
    let release: () => void = () => undefined;
    const held = new Promise<void>((done) => (release = done));
    await page.route(/preset=perp-cascade/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(host, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => customElements.get('cascade-lab') !== undefined);
    expect(await page.locator('#fallback').isVisible()).toBe(true);
    release();
    await waitForLog(page, { from: 'element', via: 'event', type: 'cascade-lab:ready' });
    await poll(() => page.locator('#fallback').isVisible()).toBe(false);
    const frame = await widgetFrame(page, 'preset=perp-cascade');
    await waitForWidget(frame, 'done');
    const content = await frame.evaluate(() =>
      Math.ceil(document.querySelector('main.widget')!.getBoundingClientRect().height),
    );
    await poll(() =>
      page.evaluate(
        () => (document.getElementById('element') as HTMLElement & { frame: HTMLIFrameElement }).frame.clientHeight,
      ),
    ).toBe(content);
    const scroll = await frame.evaluate(() => ({
      vertical: document.documentElement.scrollHeight - document.documentElement.clientHeight,
      horizontal: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    }));
    expect(scroll).toEqual({ vertical: 0, horizontal: 0 });
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('set, play, pause, seek and preset drive the widget; its messages arrive as events', async () => {
    const host = hosts.page('preset="perp-cascade" charts="price,liquidations"');
    const { page, errors } = await harness.newPage({ width: 900, height: 900 });
    await page.goto(host);
    const ready = await waitForLog(page, { from: 'element', via: 'event', type: 'cascade-lab:ready' });
    expect(ready.data).toMatchObject({ version: 1, ticks: 180, params: { leverage: 13, shockStart: 15 } });
    const frame = await widgetFrame(page, 'preset=perp-cascade');
    expect((await widgetState(frame)).status).toBe('paused');

    let mark = (await logOf(page)).length;
    await page.evaluate(() => (document.getElementById('element') as unknown as { seek(t: number): void }).seek(18));
    await frame.waitForFunction(() => document.querySelector('[data-testid="tick"]')?.textContent === '18');
    expect(await widgetState(frame)).toMatchObject({ status: 'paused', cursor: 18 });

    await page.evaluate(() => (document.getElementById('element') as unknown as { play(): void }).play());
    const done = await waitForLog(page, { from: 'element', via: 'event', type: 'cascade-lab:done' }, mark);
    expect(done.data).toMatchObject({ params: { leverage: 13 }, summary: { ticks: 180 } });
    const progress = (await logOf(page))
      .slice(mark)
      .filter((e) => e.via === 'event' && e.data.type === 'cascade-lab:progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.data).toMatchObject({ tick: 180, ticks: 180 });

    mark = (await logOf(page)).length;
    await page.evaluate(() =>
      (document.getElementById('element') as unknown as { set(p: object): void }).set({ leverage: 25, liqSpeed: '1' }),
    );
    const params = await waitForLog(page, { from: 'element', via: 'event', type: 'cascade-lab:params' }, mark);
    expect(params.data).toMatchObject({ cause: 'set', params: { leverage: 25, liqSpeed: 1, shockStart: 15 } });

    mark = (await logOf(page)).length;
    await page.evaluate(() =>
      (document.getElementById('element') as unknown as { preset(n: string): void }).preset('mitigated'),
    );
    const preset = await waitForLog(page, { from: 'element', via: 'event', type: 'cascade-lab:params' }, mark);
    expect(preset.data).toMatchObject({ cause: 'preset', params: { breakerThreshold: 0.04, venue: 'cex' } });
    await page.evaluate(() => (document.getElementById('element') as unknown as { play(): void }).play());
    await frame.waitForFunction(() => Number(document.querySelector('[data-testid="tick"]')?.textContent) > 5);
    await page.evaluate(() => (document.getElementById('element') as unknown as { pause(): void }).pause());
    await waitForWidget(frame, 'paused');
    const paused = Number(await frame.getByTestId('tick').textContent());
    await page.waitForTimeout(500);
    expect(Number(await frame.getByTestId('tick').textContent())).toBe(paused);
    await screenshot(page, 'embed-host');
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('set with a bad value answers with an error, shows a notice and changes nothing else', async () => {
    const host = hosts.page('preset="perp-cascade" frozen');
    const { page, errors } = await harness.newPage({ width: 900, height: 900 });
    await page.goto(host);
    await waitForLog(page, { from: 'element', via: 'event', type: 'cascade-lab:ready' });
    const frame = await widgetFrame(page, 'preset=perp-cascade');
    await waitForWidget(frame, 'done');
    const before = await widgetState(frame);
    const link = await frame.getByRole('link', { name: /Open in Cascade Lab/ }).getAttribute('href');
    const mark = (await logOf(page)).length;
    await page.evaluate(() =>
      (document.getElementById('element') as unknown as { set(p: object): void }).set({ leverage: 20, gex: 5 }),
    );
    const error = await waitForLog(page, { from: 'element', via: 'event', type: 'cascade-lab:error' }, mark);
    expect(error.data).toMatchObject({ command: 'set', problems: [{ key: 'gex' }] });
    expect(String(error.data.message)).toMatch(
      /^set changed nothing: .*\(gex\) must be a number in \[-1, 1\]; “5” was not applied$/,
    );
    await poll(() => frame.locator('[role="status"] li').allTextContents()).toEqual([
      expect.stringMatching(/^The host page’s set was refused: set changed nothing: .*\(gex\) must be/),
    ]);
    await page.waitForTimeout(300);
    expect(await widgetState(frame)).toEqual(before);
    expect(await frame.getByRole('link', { name: /Open in Cascade Lab/ }).getAttribute('href')).toBe(link);
    // The notice changes the widget's height, so a height message may follow; nothing else does.
    const after = (await logOf(page)).slice(mark).filter((e) => e.from === 'element' && e.via === 'event');
    expect(after.map((e) => e.data.type).filter((type) => type !== 'cascade-lab:height')).toEqual([
      'cascade-lab:error',
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('forged messages from a sibling iframe and a popup change nothing', async () => {
    const host = hosts.page('preset="perp-cascade" frozen');
    const { page, errors } = await harness.newPage({ width: 900, height: 2600 });
    await page.goto(host);
    await waitForLog(page, { from: 'element', via: 'event', type: 'cascade-lab:ready' });
    await waitForLog(page, { from: 'plain', type: 'cascade-lab:ready' });
    const plain = await widgetFrame(page, 'controls=leverage');
    await waitForWidget(plain, 'done');
    await poll(() => page.evaluate(() => document.getElementById('plain')!.clientHeight)).toBeGreaterThan(300);
    const heights = () =>
      page.evaluate(() => [
        document.getElementById('plain')!.clientHeight,
        (document.getElementById('element') as HTMLElement & { frame: HTMLIFrameElement }).frame.clientHeight,
      ]);
    const before = { heights: await heights(), plain: await widgetState(plain) };
    const mark = (await logOf(page)).length;

    const forgeries = [
      { type: 'cascade-lab:set', version: 1, params: { leverage: 99 } },
      { type: 'cascade-lab:preset', version: 1, name: 'luna-ust' },
      { type: 'cascade-lab:seek', version: 1, tick: 3 },
    ];
    const fakes = [
      { type: 'cascade-lab:height', version: 1, height: 5 },
      { type: 'cascade-lab:done', version: 1, summary: {}, params: {} },
      { type: 'cascade-lab:ready', version: 1, params: {} },
    ];
    // A sibling iframe of another origin: commands to the widget's window, fake widget messages to the host.
    await page.evaluate((src) => {
      const evil = document.createElement('iframe');
      evil.src = src;
      evil.id = 'evil';
      document.body.append(evil);
    }, `${hosts.evil}sibling.html`);
    const sibling = await widgetFrame(page, 'sibling.html');
    await sibling.waitForLoadState();
    await sibling.evaluate(
      ({ forgeries, fakes }) => {
        for (let i = 0; i < parent.length; i++)
          if (parent[i] !== window) for (const f of forgeries) parent[i].postMessage(f, '*');
        for (const fake of fakes) parent.postMessage(fake, '*');
      },
      { forgeries, fakes },
    );
    // A popup, at the widget's own origin (it passes any origin check a widget could make), and one at another.
    for (const address of [`${harness.baseUrl}favicon.svg`, `${hosts.evil}popup.html`]) {
      const [popup] = await Promise.all([
        page.waitForEvent('popup'),
        page.evaluate((address) => void window.open(address, '_blank'), address),
      ]);
      await popup.waitForLoadState();
      await popup.evaluate(
        ({ forgeries, fakes }) => {
          const host = window.opener as Window;
          for (let i = 0; i < host.length; i++) for (const f of forgeries) host[i].postMessage(f, '*');
          for (const fake of fakes) host.postMessage(fake, '*');
        },
        { forgeries, fakes },
      );
      await popup.close();
    }
    await page.waitForTimeout(800);

    expect({ heights: await heights(), plain: await widgetState(plain) }).toEqual(before);
    const after = (await logOf(page)).slice(mark);
    // The host saw the fakes arrive as messages, but no widget answered a forgery and no event was dispatched.
    expect(after.filter((e: Logged) => e.via === 'event')).toEqual([]);
    expect(after.filter((e: Logged) => e.from !== 'other')).toEqual([]);
    expect(after.length).toBe(3 * fakes.length);
    expect(await plain.locator('[role="status"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a message of the wrong shape from a widget’s own frame is ignored', async () => {
    const host = hosts.page();
    const { page, errors } = await harness.newPage({ width: 900, height: 2600 });
    await page.goto(host);
    await waitForLog(page, { from: 'plain', type: 'cascade-lab:ready' });
    const plain = await widgetFrame(page, 'controls=leverage');
    await waitForWidget(plain, 'done');
    await poll(() => page.evaluate(() => document.getElementById('plain')!.clientHeight)).toBeGreaterThan(300);
    const height = await page.evaluate(() => document.getElementById('plain')!.clientHeight);
    await plain.evaluate(() => {
      for (const message of [
        { type: 'cascade-lab:height', height: 40 },
        { type: 'cascade-lab:height', version: 2, height: 40 },
        { type: 'cascade-lab:height', version: 1, height: -40 },
        { type: 'cascade-lab:height', version: 1, height: 1e9 },
        { type: 'cascade-lab:height', version: 1, height: '40' },
        { type: 'height', version: 1, height: 40 },
        'cascade-lab:height',
      ])
        parent.postMessage(message, '*');
    });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => document.getElementById('plain')!.clientHeight)).toBe(height);
    expect(errors).toEqual([]);
    await page.close();
  });
});
