import { describe, expect, test } from 'vitest';
import { defaultParams, paramSpec, type Params } from '../../../src/model/schema.ts';
import type { Summary } from '../../../src/model/summary.ts';
import { explainChange, formatParam, paramChanges } from '../../../src/ui/explain.ts';

function summary(feedbackMultiplier: number): Summary {
  return {
    ticks: 720,
    maxDrawdown: 0.1,
    counterfactualDrawdown: 0.1 / feedbackMultiplier,
    feedbackMultiplier,
    realizedVol: 0.6,
    counterfactualRealizedVol: 0.6,
    returnAutocorr: 0,
    liquidatedNotional: 0,
    liquidatedAccounts: 0,
    peakLiquidationTick: -1,
    badDebt: 0,
    finalPrice: 3000,
    minPrice: 2900,
    haltedTicks: 0,
  } as Summary;
}

const base = defaultParams();
const withParams = (changes: Partial<Params>): Params => ({ ...base, ...changes }) as Params;

describe('explainChange', () => {
  test('names the parameter that moved and the direction of the multiplier', () => {
    const text = explainChange(
      { params: base, summary: summary(1.4) },
      { params: withParams({ leverage: 20 }), summary: summary(2.1) },
    );
    expect(text).toBe('Up from 1.40× in the previous run, because leverage rose from 10× to 20×.');
  });

  test('says "down" and lists several changes, the seed last', () => {
    const text = explainChange(
      { params: base, summary: summary(2.13) },
      { params: withParams({ seed: 8, gex: 0.8, leverage: 3 }), summary: summary(1.1) },
    );
    expect(text).toBe(
      'Down from 2.13× in the previous run, because dealer gamma (GEX sign) rose from −0.5 to 0.8, leverage fell from 10× to 3× and the seed changed from 7 to 8 (different random noise).',
    );
  });

  test('counts the changes past three', () => {
    const text = explainChange(
      { params: base, summary: summary(1) },
      { params: withParams({ leverage: 20, gex: -1, shock: 0.1, liqSpeed: 1, seed: 9 }), summary: summary(3) },
    );
    expect(text).toBe(
      'Up from 1.00× in the previous run, because shock size rose from 0.05 to 0.1, dealer gamma (GEX sign) fell from −0.5 to −1, leverage rose from 10× to 20× and 2 other changes.',
    );
  });

  test('about the same multiplier reads as such', () => {
    const text = explainChange(
      { params: base, summary: summary(1.5) },
      { params: withParams({ vol0: 0.61 }), summary: summary(1.503) },
    );
    expect(text).toBe(
      'About the same as the previous run (1.50×), although baseline volatility rose from 0.6 /yr to 0.61 /yr.',
    );
  });

  test('a replay of the same parameters and book says nothing', () => {
    expect(
      explainChange({ params: base, summary: summary(1.4) }, { params: { ...base }, summary: summary(1.4) }),
    ).toBeUndefined();
  });

  test('a change of the options book is named', () => {
    const text = explainChange(
      { params: base, summary: summary(2) },
      { params: base, summary: summary(1.5), book: 'Deribit BTC options' },
    );
    expect(text).toBe(
      'Down from 2.00× in the previous run, because the dealers’ options book changed from the stylized grid to Deribit BTC options.',
    );
  });
});

describe('formatParam and paramChanges', () => {
  test('values read with their units', () => {
    expect(formatParam(paramSpec('leverage')!, 25)).toBe('25×');
    expect(formatParam(paramSpec('perpOI')!, 1e10)).toBe('$10B');
    expect(formatParam(paramSpec('liqSpeed')!, 0.5)).toBe('0.5 /tick');
    expect(formatParam(paramSpec('impactLaw')!, 'sqrt')).toBe('sqrt');
  });

  test('enum changes say "changed"', () => {
    expect(paramChanges(base, withParams({ impactLaw: 'sqrt' })).map((c) => c.phrase)).toEqual([
      'impact law changed from linear to sqrt',
    ]);
  });
});
