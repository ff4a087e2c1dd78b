import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PARAM_KEYS, defaultParams, type Params } from '../../../src/model/schema.ts';
import {
  AUTOPLAY_FLAG,
  B_PREFIX,
  CHAIN_KEY,
  CHARTS_KEY,
  COMPARE_FLAG,
  CONTROLS_KEY,
  CURSOR_KEY,
  EMBED_FLAG,
  FROZEN_FLAG,
  HISTORY_KEY,
  PAGE_KEYS,
  PRESET_KEY,
  STRESS_KEY,
  THEME_KEY,
  decodeStress,
  pageQuery,
  readLocation,
} from '../../../src/state/location.ts';
import { VERSION_KEY, decodeQuery } from '../../../src/state/url.ts';

const base = defaultParams();

describe('the page link', () => {
  test('no parameter takes the name of a page entry, the version key or run B’s prefix', () => {
    const reserved = [FROZEN_FLAG, COMPARE_FLAG, CHAIN_KEY, HISTORY_KEY, VERSION_KEY, PRESET_KEY];
    reserved.push(EMBED_FLAG, CHARTS_KEY, CONTROLS_KEY, AUTOPLAY_FLAG, THEME_KEY, CURSOR_KEY, STRESS_KEY);
    expect([...PAGE_KEYS.filter((p) => !p.prefix).map((p) => p.key), VERSION_KEY].sort()).toEqual([...reserved].sort());
    expect(PARAM_KEYS.filter((key) => reserved.includes(key) || key.startsWith(B_PREFIX))).toEqual([]);
  });

  test('a plain link reads as before: parameters only, no page entries', () => {
    const read = readLocation('?v=1&seed=42&leverage=25');
    expect(read.params).toEqual(decodeQuery('v=1&seed=42&leverage=25').params);
    expect(read).toMatchObject({ frozen: false, compare: false, overridesB: {}, notices: [] });
    expect(read.chain).toBeUndefined();
    expect(read.history).toBeUndefined();
  });

  test('page entries never reach the parameter parser', () => {
    const read = readLocation('?v=1&frozen=1&compare=1&chain=deribit-btc-2020-05-14&history=djia-1d-1987&b.gex=1');
    expect(read.notices).toEqual([]);
    expect(read).toMatchObject({
      frozen: true,
      compare: true,
      chain: 'deribit-btc-2020-05-14',
      history: 'djia-1d-1987',
      overridesB: { gex: 1 },
    });
  });

  test('run B is A with its overrides; B entries that equal A are no overrides', () => {
    const read = readLocation('?v=1&leverage=20&b.leverage=20&b.liqSpeed=1');
    expect(read.params.leverage).toBe(20);
    expect(read.overridesB).toEqual({ liqSpeed: 1 });
    expect(read.compare).toBe(true);
  });

  test('bad B values get notices naming run B, and B falls back to A', () => {
    const read = readLocation('?v=1&leverage=30&b.leverage=abc&b.gex=7&b.nope=1');
    expect(read.overridesB).toEqual({ gex: 1 });
    expect(read.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/^Run B: Leverage \(leverage\) must be/),
      expect.stringMatching(/^Run B: Dealer gamma \(GEX sign\) \(gex\) must be .* changed to 1\.$/),
      'Run B: Ignored unknown parameter “nope”.',
    ]);
  });

  test('unknown chains and histories are ignored with a notice', () => {
    const read = readLocation('?chain=mine&history=<b>x</b>');
    expect(read.chain).toBeUndefined();
    expect(read.history).toBeUndefined();
    expect(read.notices).toHaveLength(2);
  });

  test('pageQuery and readLocation round-trip, B and page entries included', () => {
    fc.assert(
      fc.property(
        fc.record({
          leverage: fc.integer({ min: 2, max: 200 }).map((x) => x / 2),
          gex: fc.integer({ min: -20, max: 20 }).map((x) => x / 20),
          seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        }),
        fc.option(
          fc.record({
            leverage: fc.integer({ min: 2, max: 200 }).map((x) => x / 2),
            impactLaw: fc.constantFrom('linear', 'sqrt'),
          }),
          { nil: undefined },
        ),
        fc.boolean(),
        fc.option(fc.constantFrom('btc-1m-2025-10-10' as const, 'djia-1d-1987' as const), { nil: undefined }),
        (a, b, frozen, history) => {
          const params = { ...base, ...a } as Params;
          const query = pageQuery(params, {
            frozen,
            overridesB: b as Partial<Params> | undefined,
            history,
            chain: 'deribit-btc-2020-05-14',
          });
          const read = readLocation(`?${query}`);
          expect(read.params).toEqual(params);
          expect(read.frozen).toBe(frozen);
          expect(read.compare).toBe(b !== undefined);
          expect({ ...params, ...read.overridesB }).toEqual({ ...params, ...(b ?? {}) });
          expect(read.history).toBe(history);
          expect(read.chain).toBe('deribit-btc-2020-05-14');
          expect(read.notices).toEqual([]);
        },
      ),
      { seed: 4, numRuns: 200 },
    );
  });

  test('the cursor and the stress map setup ride along, and round-trip', () => {
    const stress = { x: { key: 'leverage', range: [2, 30] }, y: { key: 'gex', range: [-1, 1] }, size: 8 } as const;
    const query = pageQuery(base, { frozen: false, cursor: 95, stress: structuredClone(stress) as never });
    expect(query).toBe('v=1&seed=7&stress=leverage:2:30,gex:-1:1,8&t=95');
    const read = readLocation(`?${query}`);
    expect(read.notices).toEqual([]);
    expect(read.cursor).toBe(95);
    expect(read.stress).toEqual(stress);
    expect(read.params).toEqual(base);
  });

  test('a bad cursor or stress setup is ignored with a notice', () => {
    const read = readLocation('?v=1&t=-3&stress=leverage:2:30,seed:0:9,8');
    expect(read.cursor).toBeUndefined();
    expect(read.stress).toBeUndefined();
    expect(read.notices.map((n) => n.key)).toEqual([CURSOR_KEY, STRESS_KEY]);
    expect(decodeStress('leverage:2:30,gex:-1:1,99')).toBeUndefined();
    expect(decodeStress('leverage:2:30,leverage:-1:1,8')).toBeUndefined();
    expect(decodeStress('venue:0:1,gex:-1:1,8')).toBeUndefined();
    expect(decodeStress('leverage:2:x,gex:-1:1,8')).toBeUndefined();
    expect(decodeStress('leverage:2:30,gex:-1:1,6')).toEqual({
      x: { key: 'leverage', range: [2, 30] },
      y: { key: 'gex', range: [-1, 1] },
      size: 6,
    });
  });
});
