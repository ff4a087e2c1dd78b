import { describe, expect, test } from 'vitest';
import { findPreset } from '../../../src/model/presets.ts';
import { PARAM_KEYS, defaultParams, type Params } from '../../../src/model/schema.ts';
import {
  DEFAULT_EMBED,
  EMBED_CHART_NAMES,
  embedQuery,
  isEmbed,
  readEmbedLocation,
  type EmbedFlags,
} from '../../../src/state/embed.ts';
import {
  AUTOPLAY_FLAG,
  CHARTS_KEY,
  CONTROLS_KEY,
  EMBED_FLAG,
  PRESET_KEY,
  THEME_KEY,
  readLocation,
} from '../../../src/state/location.ts';

const messages = (search: string): string[] => readEmbedLocation(search).notices.map((n) => n.message);

describe('the widget link', () => {
  test('embed=1 is the widget, embed=0 and no embed the page', () => {
    expect(isEmbed('?embed=1')).toBe(true);
    expect(isEmbed('?v=1&embed')).toBe(true);
    expect(isEmbed('?embed=0')).toBe(false);
    expect(isEmbed('?embed=false')).toBe(false);
    expect(isEmbed('?v=1&seed=3')).toBe(false);
  });

  test('defaults: the price chart, no controls, waiting for Play, the system theme; no notices', () => {
    const read = readEmbedLocation('?embed=1');
    expect(read.flags).toEqual(DEFAULT_EMBED);
    expect(read.notices).toEqual([]);
    expect(read.params).toEqual(defaultParams());
  });

  test('flags are read in order, and never reach the parameter parser', () => {
    const read = readEmbedLocation(
      '?embed=1&v=1&leverage=20&charts=liquidations,price,gex&controls=leverage,gex,liqSpeed&autoplay=1&theme=dark',
    );
    expect(read.flags).toEqual({
      charts: ['liquidations', 'price', 'gex'],
      controls: ['leverage', 'gex', 'liqSpeed'],
      autoplay: true,
      theme: 'dark',
    });
    expect(read.params.leverage).toBe(20);
    expect(read.notices).toEqual([]);
    // The full page ignores the widget's flags quietly too.
    expect(readLocation('?embed=1&charts=gex&controls=leverage&autoplay=1&theme=dark').notices).toEqual([]);
  });

  test('bad values get a notice naming the key and what is allowed, and fall back', () => {
    const read = readEmbedLocation(
      '?embed=1&charts=price,nope,price&controls=leverage,bogus&theme=purple&autoplay=yes',
    );
    expect(read.flags).toEqual({ charts: ['price'], controls: ['leverage'], autoplay: false, theme: 'auto' });
    expect(read.notices.map((n) => n.key)).toEqual([CHARTS_KEY, CHARTS_KEY, CONTROLS_KEY, THEME_KEY, AUTOPLAY_FLAG]);
    const [chart, repeated, control, theme, autoplay] = read.notices.map((n) => n.message);
    expect(chart).toBe(`Ignored unknown chart “nope” in charts; charts are ${EMBED_CHART_NAMES.join(', ')}.`);
    expect(repeated).toBe('Ignored “price”, repeated in charts.');
    expect(control).toMatch(/^Ignored unknown parameter “bogus” in controls; /);
    expect(theme).toBe('Theme (theme) must be one of auto, light, dark; “purple” was ignored, using auto.');
    expect(autoplay).toMatch(/^Autoplay \(autoplay\) must be 1 or 0; “yes” was ignored/);
  });

  test('a chart list with nothing valid shows the price, with notices', () => {
    const read = readEmbedLocation('?embed=1&charts=x,y');
    expect(read.flags.charts).toEqual(['price']);
    expect(messages('?embed=1&charts=x,y')).toHaveLength(3);
    expect(readEmbedLocation('?embed=1&charts=').flags.charts).toEqual(['price']);
  });

  test('echoed values are cut short', () => {
    const long = 'x'.repeat(5000);
    for (const message of messages(`?embed=1&charts=${long}&theme=${long}&controls=${long}`))
      expect(message.length).toBeLessThan(400);
  });

  test('parameter keys are matched without case or hyphens, as HTML attributes arrive', () => {
    const read = readEmbedLocation('?embed=1&liqspeed=0.9&LEVERAGE=30&perp-oi=3e10&controls=liqspeed,perpoi');
    expect(read.params).toMatchObject({ liqSpeed: 0.9, leverage: 30, perpOI: 3e10 });
    expect(read.flags.controls).toEqual(['liqSpeed', 'perpOI']);
    expect(read.notices).toEqual([]);
  });

  test('no two parameters, and no parameter and page key, are the same loosely', () => {
    const loose = (key: string): string => key.replaceAll('-', '').toLowerCase();
    const keys = [...PARAM_KEYS, EMBED_FLAG, CHARTS_KEY, CONTROLS_KEY, AUTOPLAY_FLAG, THEME_KEY, PRESET_KEY];
    expect(new Set(keys.map(loose)).size).toBe(keys.length);
  });

  test('preset= loads the preset under the link, with its chain and price history', () => {
    const preset = findPreset('perp-cascade')!;
    const read = readEmbedLocation('?embed=1&preset=perp-cascade&leverage=20');
    expect(read.params).toEqual({ ...defaultParams(), ...preset.params, leverage: 20 });
    expect(read.history).toBe(preset.history);
    expect(read.notices).toEqual([]);
    const real = readLocation('?preset=real-chain');
    expect(real.chain).toBe('deribit-btc-2020-05-14');
    expect(readLocation('?preset=real-chain&chain=nope').chain).toBe('deribit-btc-2020-05-14');
  });

  test('an unknown preset is ignored with a notice listing the presets', () => {
    const read = readLocation('?preset=<script>&leverage=20');
    expect(read.params).toEqual({ ...defaultParams(), leverage: 20 });
    expect(read.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/^Ignored unknown preset “<script>”; presets are calm, gamma-squeeze, perp-cascade/),
    ]);
  });

  test('the widget says it shows one run when the link compares two', () => {
    expect(messages('?embed=1&compare=1&b.leverage=30')).toEqual([
      'The widget shows one run: run B of this link is not shown.',
    ]);
  });

  test('embedQuery and readEmbedLocation round-trip', () => {
    const params = { ...defaultParams(), leverage: 25, gex: -1, seed: 11 } as Params;
    const flags: EmbedFlags = {
      charts: ['gex', 'price'],
      controls: ['leverage', 'impactLaw'],
      autoplay: true,
      theme: 'light',
    };
    const query = embedQuery(params, { frozen: true, history: 'btc-1m-2025-10-10' }, flags);
    const read = readEmbedLocation(`?${query}`);
    expect(isEmbed(query)).toBe(true);
    expect(read.params).toEqual(params);
    expect(read.frozen).toBe(true);
    expect(read.history).toBe('btc-1m-2025-10-10');
    expect(read.flags).toEqual(flags);
    expect(read.notices).toEqual([]);
    expect(embedQuery(defaultParams(), { frozen: false }, DEFAULT_EMBED)).toBe('embed=1&v=1&seed=7');
  });
});
