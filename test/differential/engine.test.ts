/**
 * The WASM engine (debug and release builds) against the TypeScript reference engine, which
 * writes the model out plainly: same parameters, same seed → the same run, tick for tick, in
 * every column; and the same gamma profile and liquidation map on a mid-run state. The
 * defaults, named edge cases, and random parameters over the schema's ranges.
 * (test/differential/mechanisms.test.ts does the same one mechanism at a time.)
 *
 * Not bit for bit, by design: a normal draw differs from the reference in its last bit now and
 * then (AssemblyScript's Math.log against V8's; see rng.test.ts). So each column is compared
 * within 1e-9 of its scale (see `columnScale`). That also covers liquidation columns that differ
 * by dust: a queue's tail account of a few 1e-4 USD may close one tick earlier in one engine
 * than in the other. The account count then differs by one on that tick and the next, and that
 * is the only difference `liqAccounts` is allowed (see `accountCountProblems`).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL } from '../../src/model/constants.ts';
import type { Engine } from '../../src/model/engine.ts';
import { ReferenceEngine } from '../../src/model/reference/engine.ts';
import { defaultParams, toEngineBlock, type ParamKey, type Params } from '../../src/model/schema.ts';
import { SERIES_KEYS, type Series, type SeriesKey } from '../../src/model/series.ts';
import { WasmEngine } from '../../src/sim/wasm-engine.ts';
import { loadEngineNode, type WasmBuild } from '../../src/sim/wasm-node.ts';
import { paramsArbitrary } from '../support/params.ts';
import { runToEnd } from '../support/engine.ts';

const SCALE_TOLERANCE = 1e-9;
const ENTRY_TOLERANCE = 1e-12;

const BUILDS: readonly WasmBuild[] = ['debug', 'release'];
const wasm = {} as Record<WasmBuild, WasmEngine>;
const reference = new ReferenceEngine();

beforeAll(async () => {
  for (const build of BUILDS) wasm[build] = new WasmEngine(await loadEngineNode(build));
});

function withDefaults(overrides: Partial<Params>): Params {
  return { ...defaultParams(), ...overrides } as Params;
}

/** Largest magnitude in a column, NaN entries (no value, e.g. no gamma flip in range) aside. */
function largest(column: Float64Array): number {
  return column.reduce((m, x) => (Number.isNaN(x) ? m : Math.max(m, Math.abs(x))), 0);
}

/** Allowed difference at an entry: 1e-9 of the column's scale (at least 1), plus 1e-12 of the entry. */
function tolerance(column: Float64Array, scale = 0): (entry: number) => number {
  const size = Math.max(1, scale, largest(column));
  return (entry) => SCALE_TOLERANCE * size + ENTRY_TOLERANCE * Math.abs(entry);
}

/**
 * Columns computed as small differences of larger numbers are held to the scale of those
 * numbers, not only to their own. A trade toward a target (dealers and the AMM toward
 * delta-neutral, insurers toward their CPPI exposure, value traders toward their position, the
 * pool's arbitrageurs toward the venue's price) is the gap between two amounts of the size of
 * the book behind it: its rounding is of that size, and with a band of 0 even a rounding-sized
 * gap trades; stablecoin redemptions are shares of the supply, and their run is driven by the
 * token's fall 1 − S/S₀, a small difference that a price agreeing to its last digits still moves
 * at its own scale. Perp settlement: the queue is the triggered notional less what executed, and
 * margin, counterparty P&L, bonus, returned margin, fund flows and bad debt split the fills'
 * notional, so they share the scale of the largest of them.
 */
const BOOK_BEHIND: Partial<Record<SeriesKey, ParamKey>> = {
  dealerFlow: 'optionOI',
  ammFlow: 'optionOI',
  cppiFlow: 'insuredCapital',
  valueFlow: 'valueCapital',
  arbFlow: 'poolLiquidity',
  redemptionFlow: 'stableSupply',
};
const PERP_SETTLEMENT: readonly SeriesKey[] = [
  'liqLong',
  'liqShort',
  'liqQueue',
  'adlVolume',
  'badDebt',
  'liqMargin',
  'liqCounterparty',
  'liqBonus',
  'liqReturned',
  'fundIn',
  'fundPaid',
];

function columnScale(key: SeriesKey, series: Series, params: Params): number {
  const book = BOOK_BEHIND[key];
  if (book) return params[book] as number;
  if (PERP_SETTLEMENT.includes(key)) return Math.max(...PERP_SETTLEMENT.map((k) => largest(series[k])));
  return 0;
}

/** Every disagreement beyond tolerance, as readable lines (empty when the runs agree). */
function seriesProblems(actual: Series, expected: Series, params: Params): string[] {
  const problems: string[] = [];
  for (const key of SERIES_KEYS) {
    if (key === 'liqAccounts') continue;
    const a = actual[key];
    const b = expected[key];
    if (a.length !== b.length) {
      problems.push(`${key}: ${a.length} entries, expected ${b.length}`);
      continue;
    }
    const allowed = tolerance(b, columnScale(key, expected, params));
    const bad = b.findIndex((x, t) => !(Math.abs(a[t] - x) <= allowed(x) || (Number.isNaN(x) && Number.isNaN(a[t]))));
    if (bad >= 0)
      problems.push(`${key}[${bad}] = ${a[bad]}, expected ${b[bad]} (±${allowed(b[bad]).toExponential(1)})`);
  }
  return [...problems, ...accountCountProblems(actual, expected, params)];
}

/**
 * Accounts liquidated per tick must match, except that one account may close a tick apart in
 * the two engines when what is left of it is dust. So: the running totals differ by at most one
 * account, and while they differ, the liquidation queue of the engine that is behind is dust
 * (within the queue column's tolerance), and so the dollar columns agree anyway.
 */
function accountCountProblems(actual: Series, expected: Series, params: Params): string[] {
  const a = actual.liqAccounts;
  const b = expected.liqAccounts;
  if (a.length !== b.length) return [];
  const queueTolerance = {
    actual: tolerance(actual.liqQueue, columnScale('liqQueue', actual, params)),
    expected: tolerance(expected.liqQueue, columnScale('liqQueue', expected, params)),
  };
  let totalA = 0;
  let totalB = 0;
  for (let t = 0; t < a.length; t++) {
    if (!Number.isInteger(a[t]) || !Number.isInteger(b[t]))
      return [`liqAccounts[${t}] = ${a[t]}, expected ${b[t]}: not a count`];
    totalA += a[t];
    totalB += b[t];
    if (totalA === totalB) continue;
    const behind = totalA < totalB ? 'actual' : 'expected';
    const queue = (behind === 'actual' ? actual : expected).liqQueue[t];
    if (Math.abs(totalA - totalB) > 1 || queue > queueTolerance[behind](0)) {
      return [
        `liqAccounts: by tick ${t}, ${totalA} accounts liquidated, expected ${totalB}; the ${behind} queue holds ${queue} USD, not dust`,
      ];
    }
  }
  return [];
}

function expectSameRun(params: Params, expected = runToEnd(reference, params)): void {
  for (const build of BUILDS) {
    expect(seriesProblems(runToEnd(wasm[build], params), expected, params), `${build} build`).toEqual([]);
  }
}

describe('WASM engine against the reference engine, every column, tick for tick', () => {
  it('the defaults', () => {
    expectSameRun(defaultParams());
  });

  const EDGE_CASES: Record<string, Partial<Params>> = {
    'dealers fully short gamma (gex −1)': { gex: -1 },
    'dealers flat (gex 0)': { gex: 0 },
    'dealers fully long gamma (gex +1)': { gex: 1 },
    'no leverage (leverage 1)': { leverage: 1 },
    'leverage 100': { leverage: 100 },
    'slow liquidations (liqSpeed 0.01)': { liqSpeed: 0.01 },
    'instant liquidations (liqSpeed 1)': { liqSpeed: 1 },
    'no shock': { shock: 0 },
    'the largest shock (0.5)': { shock: 0.5 },
    'square-root impact': { impactLaw: 'sqrt' },
    'oracle without delay': { oracleDelay: 0 },
    'oracle 60 ticks late': { oracleDelay: 60 },
    'no dealers': { dealers: 0 },
    'no perp accounts': { accounts: 0 },
    'shock after the end of the run': { shockStart: 5000 },
    'the shortest run (10 ticks)': { ticks: 10 },
    'a crowded short-gamma cascade': { gex: -1, leverage: 25, liqSpeed: 1 },
  };
  it.each(Object.entries(EDGE_CASES))('%s', (_, overrides) => {
    expectSameRun(withDefaults(overrides));
  });

  // Two disagreements this file found, kept as regressions. The reference once ordered the
  // accounts a tick triggers with a comparator that is no order when longs and shorts trigger
  // together, so a queue could leave liquidation-price order (margin, bonus and bad debt off by
  // tens of percent). And both engines once started the books neutral at price0 but priced
  // tick 0 at exp(ln price0): with no hedge band, dealers traded a rounding-sized gap, which the
  // square-root law (infinitely steep at zero flow) and a fast market grew past 1e-6.
  it('longs and shorts past their liquidation price from the start', () => {
    expectSameRun(withDefaults({ entrySpread: 0, maintMargin: 0.05, leverage: 20, liqSpeed: 0.1, ticks: 50 }));
  });

  it('no hedge band, square-root impact, a thin fast market', () => {
    expectSameRun(withDefaults({ hedgeBand: 0, impactLaw: 'sqrt', vol0: 0.05, dailyVolume: 1e7, ticks: 20 }));
  });

  it('random parameters from the schema ranges (small sizes, linear impact)', () => {
    // Linear impact only. The square-root law is infinitely steep at zero flow, so flows of
    // rounding size (whenever agents' trades net to about zero, or a band of 0 trades a rounding
    // gap) move the price by about Y·σ_daily·√(1e-16·book/V): one engine's last bit becomes a
    // 1e-8 price difference, and more in what is computed from returns. The named cases above
    // run the square-root law where that does not happen.
    const sizes = { ticks: 300, shockStart: 300, dealers: 500, accounts: 5000, borrowers: 2000, insurers: 200 };
    const linear = paramsArbitrary(sizes).map((params) => ({ ...params, impactLaw: 'linear' }));
    fc.assert(
      fc.property(linear, (params) => {
        const expected = runToEnd(reference, params);
        // Pinned at the clamp on the log price, the market is degenerate (prices of e^±30 times
        // the start, every dollar amount as far off): rounding there outgrows any tolerance set
        // by the inputs. test/property/engine.property.test.ts holds such runs to the invariants.
        fc.pre(!touchesPriceBound(expected, params));
        expectSameRun(params, expected);
      }),
      // No shrinking: every run is costly; the first counterexample is reported as drawn.
      { seed: 42, numRuns: 25, endOnFailure: true },
    );
  });
});

describe('WASM engine against the reference engine on a mid-run state', () => {
  const MID_RUN = 100;
  // A cascade is under way by tick 100 (the shock runs over ticks 60–69): some accounts are gone,
  // and some loans (close to their liquidation prices at the start) have been liquidated.
  const params = withDefaults({
    gex: -1,
    leverage: 25,
    liqSpeed: 0.2,
    borrowers: 3000,
    loanHealth: 1.1,
    lendingDebt: 1e9,
  });

  function stepTo(engine: Engine): void {
    engine.init(toEngineBlock(params));
    expect(engine.step(MID_RUN)).toBe(MID_RUN);
  }

  it('gamma profile over a grid of spot prices', () => {
    stepTo(reference);
    const spot = reference.column('price')[MID_RUN];
    const prices = Float64Array.from({ length: 61 }, (_, i) => spot * (0.7 + 0.01 * i));
    const expected = reference.gammaProfile(prices);
    const allowed = tolerance(expected);
    expect(expected.some((g) => g !== 0)).toBe(true);
    for (const build of BUILDS) {
      stepTo(wasm[build]);
      const actual = wasm[build].gammaProfile(prices);
      expected.forEach((g, i) =>
        expect(Math.abs(actual[i] - g), `${build}: GEX at ${prices[i]}`).toBeLessThanOrEqual(allowed(g)),
      );
    }
  });

  it('liquidation map over price buckets', () => {
    stepTo(reference);
    const price0 = params.price0 as number;
    const edges = Float64Array.from({ length: 81 }, (_, i) => price0 * (0.6 + 0.01 * i));
    const expected = reference.liquidationMap(edges);
    expect(expected.long.some((x) => x > 0) && expected.short.some((x) => x > 0)).toBe(true);
    expect(expected.lending.some((x) => x > 0)).toBe(true);
    expect(
      reference.column('liqLending').some((x) => x > 0),
      'some loans were liquidated already',
    ).toBe(true);
    for (const build of BUILDS) {
      stepTo(wasm[build]);
      const actual = wasm[build].liquidationMap(edges);
      for (const side of ['long', 'short', 'lending'] as const) {
        const allowed = tolerance(expected[side]);
        expected[side].forEach((x, i) =>
          expect(Math.abs(actual[side][i] - x), `${build}: ${side} notional in bucket ${i}`).toBeLessThanOrEqual(
            allowed(x),
          ),
        );
      }
    }
  });
});

describe('the liquidation map with the lending loop switched off', () => {
  // The switch leaves the loans without debt or collateral, so their liquidation price is 0/0:
  // a NaN that must land in no bucket (it used to fall through the search into one, as NaN).
  const params = withDefaults({ borrowers: 50, loopLending: 'off' });

  it('is all zeros in both engines, never NaN', () => {
    const edges = Float64Array.from({ length: 41 }, (_, i) => (params.price0 as number) * (0.6 + 0.02 * i));
    for (const engine of [reference, ...BUILDS.map((build) => wasm[build])]) {
      engine.init(toEngineBlock(params));
      engine.step(80);
      const map = engine.liquidationMap(edges);
      expect([...map.lending].every((x) => x === 0)).toBe(true);
      expect([...map.long, ...map.short].every(Number.isFinite)).toBe(true);
    }
  });
});

function touchesPriceBound(series: Series, params: Params): boolean {
  const ln0 = Math.log(params.price0 as number);
  const pinned = (price: number) => Math.abs(Math.log(price) - ln0) >= MODEL.LOG_PRICE_BOUND - 1e-6;
  return series.price.some(pinned) || series.cfPrice.some(pinned);
}
