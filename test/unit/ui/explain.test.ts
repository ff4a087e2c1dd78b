import { describe, expect, test } from 'vitest';
import { PRESETS } from '../../../src/model/presets.ts';
import { defaultParams, paramSpec, type Params } from '../../../src/model/schema.ts';
import type { FallPressure, Summary } from '../../../src/model/summary.ts';
import {
  definitionOf,
  explainChange,
  formatParam,
  headlineSentence,
  multiplierShown,
  paramChanges,
  phaseOf,
  pressurePhrase,
} from '../../../src/ui/explain.ts';

function summary(feedbackMultiplier: number, over: Partial<Summary> = {}): Summary {
  return {
    ticks: 720,
    maxDrawdown: 0.1,
    counterfactualDrawdown: 0.1 / feedbackMultiplier,
    feedbackMultiplier,
    windowEnd: 720,
    drawdownPeakTick: 60,
    drawdownTroughTick: 80,
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
    ...over,
  } as Summary;
}

const base = defaultParams();
const withParams = (changes: Partial<Params>): Params => ({ ...base, ...changes }) as Params;
const presetParams = (name: string): Params => ({ ...base, ...PRESETS.find((p) => p.name === name)!.params }) as Params;

describe('explainChange', () => {
  test('one change: names it and the direction of the multiplier', () => {
    const text = explainChange(
      { params: base, summary: summary(1.4) },
      { params: withParams({ leverage: 20 }), summary: summary(2.1) },
    );
    expect(text).toBe('Up from 1.40× in the previous run, because leverage rose from 10× to 20×.');
  });

  test('a few changes are ranked by what each does alone, not by schema order', () => {
    const previous = { params: presetParams('gamma-squeeze'), summary: summary(3.9) };
    const current = {
      params: { ...presetParams('gamma-squeeze'), leverage: 15, gex: -0.5 } as Params,
      summary: summary(4.6),
    };
    // Leverage alone lifts the multiplier far more than the gamma change, which lowers it a little.
    const alone = { leverage: 4.7, gex: 3.8 };
    expect(explainChange(previous, current, alone)).toBe(
      'Up from 3.90× in the previous run. Each change alone, largest effect first: leverage rose from 3× to 15× (+0.80×) and dealer gamma (GEX sign) fell from −0.3 to −0.5 (−0.10×).',
    );
    // While the runs of each change alone are computing, the sentence says so.
    expect(explainChange(previous, current)).toBe(
      'Up from 3.90× in the previous run, after 2 changes: dealer gamma (GEX sign) fell from −0.3 to −0.5 and leverage rose from 3× to 15× (weighing each one alone…).',
    );
  });

  test('more changes than can be weighed read as several changes', () => {
    const text = explainChange(
      { params: base, summary: summary(1) },
      { params: withParams({ leverage: 20, gex: -1, shock: 0.1, liqSpeed: 1, seed: 9 }), summary: summary(3) },
    );
    expect(text).toBe(
      'Up from 1.00× in the previous run, after several changes at once (5): too many to weigh one by one. Change one thing at a time to see what each does.',
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

describe('the headline', () => {
  const noPressure: FallPressure = { parties: [], thinnestDepth: 1 };

  test('before the shock it says what is about to happen, and gives no multiplier', () => {
    const text = headlineSentence({
      params: base,
      summary: summary(0.4, { ticks: 29 }),
      pressure: noPressure,
      done: false,
    });
    expect(text).toBe(
      'In 31m, a 5% sell program over 10m hits a market with dealers short gamma on $5B of options and $10B of perps at 10× leverage, liquidated at 50% of the queue a minute. The multiplier is measured once the program has run.',
    );
    expect(text).not.toMatch(/×\s*$|times as deep|\d\.\d\d×/);
    expect(multiplierShown(base, 29)).toBe(false);
    expect(multiplierShown(base, 65)).toBe(false);
    expect(multiplierShown(base, 70)).toBe(true);
    expect([phaseOf(base, 60), phaseOf(base, 61), phaseOf(base, 70)]).toEqual(['before', 'during', 'after']);
  });

  test('after the shock it names the parties that moved the price, largest share first', () => {
    const pressure: FallPressure = {
      parties: [
        { source: 'perps', usd: -2.5e9, pressure: -5.5e9 },
        { source: 'shock', usd: -2.6e9, pressure: -3.2e9 },
        { source: 'dealers', usd: -0.7e9, pressure: -1.3e9 },
        { source: 'value', usd: 2.4e9, pressure: 4e9 },
      ],
      thinnestDepth: 0.33,
    };
    expect(pressurePhrase(pressure, presetParams('perp-cascade'))).toBe(
      'Perp liquidations (55% of the pressure) drove the fall, then the sell program (32%) and dealers’ hedging (13%), into a book thinned to 33% of its depth; value traders bought $2.4B against it',
    );
    const text = headlineSentence({
      params: presetParams('perp-cascade'),
      summary: summary(2.26),
      pressure,
      done: true,
    });
    expect(text).toMatch(
      /^The price fell 10\.0% at worst; the same shock without the feedback loops, 4\.4%\. Perp liquidations/,
    );
    expect(text).toMatch(/The feedback made the fall 2\.26 times as deep\.$/);
  });

  test('names no mechanism the run does not have: the 1987 run has no dealers and no perps', () => {
    const params = presetParams('portfolio-insurance-1987');
    const pressure: FallPressure = {
      parties: [
        { source: 'insurers', usd: -4.6e9, pressure: -9e9 },
        { source: 'shock', usd: -0.7e9, pressure: -2e9 },
        { source: 'dealers', usd: 0, pressure: 0 },
        { source: 'perps', usd: 0, pressure: 0 },
      ],
      thinnestDepth: 0.34,
    };
    for (const ticks of [0, 30, 390]) {
      const text = headlineSentence({ params, summary: summary(5.9, { ticks }), pressure, done: ticks === 390 });
      expect(text).not.toMatch(/dealer|liquidat|perp/i);
    }
    expect(definitionOf(params)).not.toMatch(/dealer|liquidat/i);
    expect(definitionOf(params)).toMatch(/portfolio insurers/);
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
