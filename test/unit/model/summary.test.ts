/** The run report (src/model/summary.ts) on hand-made runs whose answers can be worked out by hand. */
import { describe, expect, it } from 'vitest';
import {
  MIN_COUNTERFACTUAL_DRAWDOWN,
  annualizedVol,
  fallPressure,
  feedbackMultiplier,
  lag1Autocorrelation,
  maxDrawdown,
  shockWindow,
  summarize,
  worstFall,
} from '../../../src/model/summary.ts';
import { clockOf } from '../../../src/model/constants.ts';
import { seriesOf } from '../../support/series.ts';

/** Minutes in a year of each clock: crypto's continuous one, an exchange's sessions. */
const CONTINUOUS = 1 / clockOf('continuous').dtYears;
const SESSION = 1 / clockOf('session').dtYears;
/** The shock at tick 0, the continuous clock: a summary of the whole path. */
const WHOLE = { shockStart: 0, shockTicks: 1, clock: 'continuous' };

describe('maxDrawdown', () => {
  it('is the largest fall from a running peak, not from the start', () => {
    expect(maxDrawdown([100, 120, 90, 110, 60, 130], 5)).toBeCloseTo(0.5, 12);
    expect(maxDrawdown([100, 120, 90, 110, 60, 130], 3)).toBeCloseTo(0.25, 12);
  });

  it('is zero for a price that never falls', () => {
    expect(maxDrawdown([1, 2, 3], 2)).toBe(0);
  });

  it('counts from a given tick: a fall before it does not count', () => {
    expect(maxDrawdown([100, 80, 90, 85, 95], 4, 2)).toBeCloseTo(1 - 85 / 90, 12);
  });
});

describe('feedbackMultiplier', () => {
  it('divides the drawdown by the counterfactual one, never by less than the floor', () => {
    expect(feedbackMultiplier(0.2, 0.1)).toBeCloseTo(2, 12);
    expect(feedbackMultiplier(0.01, 0)).toBeCloseTo(0.01 / MIN_COUNTERFACTUAL_DRAWDOWN, 12);
  });
});

describe('returns', () => {
  it('annualizes the standard deviation of log returns over the clock\u2019s minutes a year', () => {
    const price = [100, 100 * Math.E ** 0.01, 100, 100 * Math.E ** 0.01, 100];
    // Returns ±0.01, mean 0: sample variance 4·1e-4 / 3.
    expect(annualizedVol(price, 4, CONTINUOUS)).toBeCloseTo(Math.sqrt((4e-4 / 3) * 525_600), 9);
    expect(annualizedVol(price, 4, SESSION)).toBeCloseTo(Math.sqrt((4e-4 / 3) * 252 * 390), 9);
    expect(annualizedVol([100, 101], 1, CONTINUOUS)).toBe(0);
  });

  it('reads alternating returns as mean-reverting and a steady trend as none', () => {
    expect(lag1Autocorrelation([100, 101, 100, 101, 100, 101], 5)).toBeLessThan(-0.5);
    expect(lag1Autocorrelation([100, 101, 102], 2)).toBe(0);
  });
});

describe('summarize', () => {
  const run = seriesOf(4, {
    price: [100, 90, 80, 85, 88],
    cfPrice: [100, 96, 95, 97, 98],
    liqLong: [0, 5, 20, 0, 0],
    liqShort: [0, 0, 1, 0, 0],
    liqLending: [0, 0, 0, 4, 0],
    liqAccounts: [0, 2, 7, 1, 0],
    badDebt: [0, 0, 3, 0, 0],
    lendingBadDebt: [0, 0, 0, 1, 0],
    halted: [0, 0, 1, 1, 0],
    insuranceFund: [10, 10, 8, 7, 7],
    pegPrice: [1, 1, 0.98, 0.99, 1],
    tokenSupply: [10, 10, 20, 40, 50],
    cppiFlow: [0, -3, -4, 1, 0],
  });

  it('reports the drawdowns, the multiplier and what was liquidated', () => {
    const s = summarize(run, WHOLE);
    expect(s.ticks).toBe(4);
    expect(s.maxDrawdown).toBeCloseTo(0.2, 12);
    expect(s.counterfactualDrawdown).toBeCloseTo(0.05, 12);
    expect(s.feedbackMultiplier).toBeCloseTo(4, 12);
    expect(s.liquidatedNotional).toBe(30);
    expect(s.lendingLiquidated).toBe(4);
    expect(s.liquidatedAccounts).toBe(10);
    expect(s.peakLiquidationTick).toBe(2);
    expect(s.badDebt).toBe(4);
    expect(s.haltedTicks).toBe(2);
    expect(s.insuranceFund).toBe(7);
    expect(s.minPegPrice).toBe(0.98);
    expect(s.tokenSupplyGrowth).toBe(5);
    expect(s.insurerSales).toBe(6);
    expect(s.finalPrice).toBe(88);
    expect(s.minPrice).toBe(80);
  });

  it('covers only the ticks up to `upTo` (a run still playing)', () => {
    const s = summarize(run, WHOLE, 1);
    expect(s.ticks).toBe(1);
    expect(s.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(s.liquidatedNotional).toBe(5);
    expect(s.finalPrice).toBe(90);
    expect(s.peakLiquidationTick).toBe(1);
  });

  it('measures the drawdowns from the shock\u2019s start', () => {
    // From tick 2 (the price 80): the run's worst fall is 0 (it only rises), the counterfactual's too.
    const s = summarize(run, { shockStart: 2, shockTicks: 1, clock: 'continuous' });
    expect(s.maxDrawdown).toBe(0);
    expect(s.counterfactualDrawdown).toBe(0);
  });

  it('names no peak when nothing was liquidated', () => {
    expect(summarize(seriesOf(3, { price: [1, 1, 1, 1], cfPrice: [1, 1, 1, 1] }), WHOLE).peakLiquidationTick).toBe(-1);
  });

  it('names the ticks of the worst fall: its peak and its trough', () => {
    const s = summarize(run, WHOLE);
    expect([s.drawdownPeakTick, s.drawdownTroughTick]).toEqual([0, 2]);
    expect(worstFall([100, 120, 90, 110, 60, 130], 5)).toEqual({ drawdown: 0.5, peakTick: 1, troughTick: 4 });
  });
});

describe('the shock window', () => {
  it('runs from the shock\u2019s start to a day of the run\u2019s clock after it ends', () => {
    expect(shockWindow({ shockStart: 60, shockTicks: 10, clock: 'continuous' }, 20_000)).toEqual({
      from: 60,
      to: 1510,
    });
    expect(shockWindow({ shockStart: 0, shockTicks: 60, clock: 'session' }, 20_000)).toEqual({ from: 0, to: 450 });
    // A run (or a summary of a run still playing) that ends sooner is measured to its end.
    expect(shockWindow({ shockStart: 60, shockTicks: 10, clock: 'continuous' }, 720)).toEqual({ from: 60, to: 720 });
    expect(shockWindow({ shockStart: 60, shockTicks: 10, clock: 'continuous' }, 30)).toEqual({ from: 30, to: 30 });
  });

  it('does not dilute the multiplier: a fall of the counterfactual after the window does not count', () => {
    // The run falls 20% at the shock and the counterfactual 10%; two days later noise takes both down 50%.
    const ticks = 3 * 1440;
    const price = Array.from({ length: ticks + 1 }, (_, t) => (t < 2 ? 100 : t < 2880 ? 80 : 40));
    const cfPrice = Array.from({ length: ticks + 1 }, (_, t) => (t < 2 ? 100 : t < 2880 ? 90 : 45));
    const s = summarize(seriesOf(ticks, { price, cfPrice }), { shockStart: 1, shockTicks: 1, clock: 'continuous' });
    expect(s.windowEnd).toBe(1442);
    expect(s.maxDrawdown).toBeCloseTo(0.2, 12);
    expect(s.counterfactualDrawdown).toBeCloseTo(0.1, 12);
    expect(s.feedbackMultiplier).toBeCloseTo(2, 12);
  });
});

describe('fallPressure', () => {
  it('sums each party\u2019s venue flow over the fall, weighted by the book\u2019s depth, largest pressure first', () => {
    const series = seriesOf(3, {
      shockFlow: [0, -10, -10, 0],
      dealerFlow: [0, -5, -5, -5],
      liqLong: [0, 0, 30, 0],
      liqShort: [0, 0, 2, 0],
      valueFlow: [0, 0, 4, 8],
      depth: [1, 1, 0.5, 1],
    });
    const { parties, thinnestDepth } = fallPressure(series, 0, 3);
    const by = Object.fromEntries(parties.map((p) => [p.source, p]));
    expect(by.perps).toMatchObject({ usd: -28, pressure: -56 });
    // Tick 2's sale met a book at half its depth: it pressed on the price as twice the sale would have.
    expect(by.shock).toMatchObject({ usd: -20, pressure: -30 });
    expect(by.dealers).toMatchObject({ usd: -15, pressure: -20 });
    expect(by.value).toMatchObject({ usd: 12, pressure: 16 });
    expect(thinnestDepth).toBe(0.5);
    expect(parties.map((p) => p.source).slice(0, 3)).toEqual(['perps', 'shock', 'dealers']);
    // Only the flows after the fall's first tick count.
    expect(fallPressure(series, 2, 3).parties.find((p) => p.source === 'shock')!.usd).toBe(0);
  });
});
