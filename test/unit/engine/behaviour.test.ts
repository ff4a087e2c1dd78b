/**
 * What the model claims (MODEL.md §5 and §4a, issue 2): dealers short gamma make prices more
 * volatile and trending; the feedback multiplier grows with leverage, liquidation speed and
 * negative gamma; a calm long-gamma market barely amplifies a shock and a crowded short-gamma
 * levered one amplifies it several times; and the shock is sized as the drop it causes alone.
 *
 * Each claim is checked on the mean over the same five seeds (release WASM build, defaults
 * otherwise). Seeds fix the noise, so the comparisons are paired: both sides of a claim see the
 * same noise draws and the same shock, only the parameter under test differs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultParams, toEngineBlock, type Params } from '../../../src/model/schema.ts';
import { readSeries } from '../../../src/model/engine.ts';
import { type Series } from '../../../src/model/series.ts';
import { summarize, TICKS_PER_YEAR } from '../../../src/model/summary.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';

const SEEDS = [1, 2, 3, 4, 5];

let engine: WasmEngine;
beforeAll(async () => {
  engine = new WasmEngine(await loadEngineNode('release'));
});

/** Runs by their parameters: several claims share a run (the defaults, gex ±1 …). */
const runs = new Map<string, Series>();

function run(overrides: Partial<Params>): Series {
  const params = { ...defaultParams(), ...overrides } as Params;
  const key = JSON.stringify(params);
  let series = runs.get(key);
  if (!series) {
    engine.init(toEngineBlock(params));
    engine.step(params.ticks as number);
    series = readSeries(engine);
    runs.set(key, series);
  }
  return series;
}

/** Mean of `measure` over SEEDS. */
function meanOverSeeds(overrides: Partial<Params>, measure: (series: Series) => number): number {
  return SEEDS.reduce((sum, seed) => sum + measure(run({ ...overrides, seed })), 0) / SEEDS.length;
}

const realizedVol = (s: Series) => summarize(s).realizedVol;
const returnAutocorr = (s: Series) => summarize(s).returnAutocorr;
const feedbackMultiplier = (s: Series) => summarize(s).feedbackMultiplier;

/** Annualized volatility of log returns over non-overlapping windows of `h` ticks. */
function windowVol(h: number): (s: Series) => number {
  return (s) => {
    const returns: number[] = [];
    for (let t = h; t < s.price.length; t += h) returns.push(Math.log(s.price[t] / s.price[t - h]));
    const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
    const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
    return Math.sqrt((variance * TICKS_PER_YEAR) / h);
  };
}

/** Means of the multiplier along a path of one parameter, in order. */
function multipliersAlong<K extends keyof Params>(key: K, values: readonly Params[K][]): number[] {
  return values.map((value) => meanOverSeeds({ [key]: value }, feedbackMultiplier));
}

function expectGrowing(label: string, means: number[]): void {
  means.slice(1).forEach((m, i) => expect(m, `${label}: ${means.map((x) => x.toFixed(3)).join(' → ')}`).toBeGreaterThanOrEqual(means[i]));
  expect(means.at(-1)!, label).toBeGreaterThan(means[0]);
}

describe('dealer gamma: short gamma is more volatile and trends (Frey & Stremme; Barbon & Buraschi)', () => {
  it('with the default shock: higher realized vol and more positive lag-1 autocorrelation at gex −1 than +1', () => {
    expect(meanOverSeeds({ gex: -1 }, realizedVol)).toBeGreaterThan(meanOverSeeds({ gex: 1 }, realizedVol));
    expect(meanOverSeeds({ gex: -1 }, returnAutocorr)).toBeGreaterThan(meanOverSeeds({ gex: 1 }, returnAutocorr));
  });

  it('with no shock (gamma alone on pure noise): the same, volatility over 10-tick returns', () => {
    // Dealers hedge on the previous tick's price, so their flow lands one tick after the move it
    // answers: short gamma adds a positive lag-1 term to returns, long gamma a negative one, and
    // the variance of one-tick returns barely depends on that term's sign. The difference shows
    // in the autocorrelation and in volatility over a few ticks, where the lagged flows add up.
    const noShock = { shock: 0 };
    expect(meanOverSeeds({ ...noShock, gex: -1 }, returnAutocorr)).toBeGreaterThan(meanOverSeeds({ ...noShock, gex: 1 }, returnAutocorr));
    expect(meanOverSeeds({ ...noShock, gex: -1 }, windowVol(10))).toBeGreaterThan(meanOverSeeds({ ...noShock, gex: 1 }, windowVol(10)));
  });
});

describe('the feedback multiplier', () => {
  it('grows with leverage: 2 → 5 → 10 → 20', () => {
    expectGrowing('leverage', multipliersAlong('leverage', [2, 5, 10, 20]));
  });

  it('grows with liquidation speed: 0.05 → 0.5 → 1', () => {
    expectGrowing('liqSpeed', multipliersAlong('liqSpeed', [0.05, 0.5, 1]));
  });

  it('grows as dealers go from long to short gamma: gex +1 → 0 → −1', () => {
    expectGrowing('gex', multipliersAlong('gex', [1, 0, -1]));
  });

  it('is near 1 for a calm long-gamma market (gex +0.8, leverage 3)', () => {
    expect(meanOverSeeds({ gex: 0.8, leverage: 3 }, feedbackMultiplier)).toBeLessThan(1.3);
  });

  it('is well above 2 for a crowded short-gamma levered market (gex −1, leverage 25, liqSpeed 1)', () => {
    expect(meanOverSeeds({ gex: -1, leverage: 25, liqSpeed: 1 }, feedbackMultiplier)).toBeGreaterThan(2);
  });
});

describe('the counterfactual and the shock', () => {
  /** No reflexive agents at all (the last four are off by default; said here so it stays so). */
  const NO_AGENTS = { dealers: 0, accounts: 0, borrowers: 0, insurers: 0, stableSupply: 0, ammShare: 0 };

  it('with no agents and no depth thinning, the run is its counterfactual', () => {
    for (const seed of SEEDS) {
      const s = run({ ...NO_AGENTS, shock: 0, depthThinning: 0, seed });
      s.price.forEach((p, t) => expect(Math.abs(p / s.cfPrice[t] - 1), `seed ${seed}, tick ${t}`).toBeLessThanOrEqual(1e-12));
    }
  });

  it('with no agents, depth thinning is all that separates the run from its counterfactual', () => {
    // Thinning is the liquidity-withdrawal loop, switched off in the counterfactual; noise alone
    // raises realized vol above baseline now and then, and the book thins a little.
    const s = run({ ...NO_AGENTS, shock: 0, seed: SEEDS[0] });
    expect(s.depth.some((d) => d < 1)).toBe(true);
    const gap = s.price.reduce((m, p, t) => Math.max(m, Math.abs(p / s.cfPrice[t] - 1)), 0);
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(0.01);
  });

  describe.each(['linear', 'sqrt'])('alone (no agents, no thinning, no value traders), %s impact', (impactLaw) => {
    const alone = { ...NO_AGENTS, depthThinning: 0, valueCapital: 0, vol0: 0.05, impactLaw };
    const defaults = defaultParams();
    const start = defaults.shockStart as number;
    const end = start + (defaults.shockTicks as number);

    it.each([0.05, 0.2, 0.5])('a shock of %f drops the counterfactual by that much by its last tick', (shock) => {
      // Against the same seed without the shock, the noise cancels exactly …
      for (const seed of SEEDS) {
        const shocked = run({ ...alone, shock, seed }).cfPrice[end];
        const unshocked = run({ ...alone, shock: 0, seed }).cfPrice[end];
        expect(1 - shocked / unshocked, `seed ${seed}`).toBeCloseTo(shock, 9);
      }
      // … and measured from the shock's start, noise (σ₀ = 5%/yr) blurs it by a fraction of 1%.
      const drop = meanOverSeeds({ ...alone, shock }, (s) => 1 - s.cfPrice[end] / s.cfPrice[start]);
      expect(Math.abs(drop / shock - 1)).toBeLessThan(0.01);
    });
  });
});
