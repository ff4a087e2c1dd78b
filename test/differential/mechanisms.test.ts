/**
 * The WASM engine (debug and release builds) against the reference engine, one mechanism at a
 * time: lending on a pool oracle, a TWAP oracle with a deviation threshold, a CEX whose small
 * insurance fund runs dry (auto-deleveraging), the circuit breaker, dynamic margin, the options
 * AMM, the liquidation throttle, the vega loop, CPPI insurers, the reflexive stablecoin, the
 * real option chain, and every preset in a short, smaller version.
 *
 * Every column, every tick: |wasm − reference| ≤ 1e-9 · max(1, max|wasm column|, max|reference
 * column|). Never bit equality: the engines differ in the last bits of Math.log and Math.exp.
 * Each case also asserts that it exercised its mechanism, so none passes vacuously.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chainGrid, presetGrid } from '../../src/model/chains.ts';
import { PRESETS, type Preset } from '../../src/model/presets.ts';
import { ReferenceEngine } from '../../src/model/reference/engine.ts';
import { type Params } from '../../src/model/schema.ts';
import { SERIES_KEYS, type Series } from '../../src/model/series.ts';
import { parseStrict } from '../../src/model/validate.ts';
import { WasmEngine } from '../../src/sim/wasm-engine.ts';
import { loadEngineNode, type WasmBuild } from '../../src/sim/wasm-node.ts';
import { runToEnd } from '../support/engine.ts';
import { paramsWith as params } from '../support/params.ts';

const TOLERANCE = 1e-9;
const BUILDS: readonly WasmBuild[] = ['debug', 'release'];
const wasm = {} as Record<WasmBuild, WasmEngine>;
const reference = new ReferenceEngine();

beforeAll(async () => {
  for (const build of BUILDS) wasm[build] = new WasmEngine(await loadEngineNode(build));
});

/** Small sizes: every case runs on the reference engine in well under a second. */
const SMALL = { ticks: 300, dealers: 200, accounts: 3000 };

/** Largest magnitude in a column, NaN entries (no value, e.g. no gamma flip in range) aside. */
const largest = (column: Float64Array) => column.reduce((m, x) => (Number.isNaN(x) ? m : Math.max(m, Math.abs(x))), 0);
const sum = (column: Float64Array) => column.reduce((s, x) => s + x, 0);

/** Every column entry further apart than the tolerance, as readable lines (empty when the runs agree). */
function differences(actual: Series, expected: Series): string[] {
  const problems: string[] = [];
  for (const key of SERIES_KEYS) {
    const a = actual[key];
    const b = expected[key];
    if (a.length !== b.length) {
      problems.push(`${key}: ${a.length} entries, expected ${b.length}`);
      continue;
    }
    const allowed = TOLERANCE * Math.max(1, largest(a), largest(b));
    const bad = b.findIndex((x, t) => !(Math.abs(a[t] - x) <= allowed || (Number.isNaN(x) && Number.isNaN(a[t]))));
    if (bad >= 0) problems.push(`${key}[${bad}] = ${a[bad]}, expected ${b[bad]} (±${allowed.toExponential(1)})`);
  }
  return problems;
}

/** Runs the case on the reference engine and both WASM builds; returns the reference run. */
function expectSameRun(p: Params, grid?: Float64Array): Series {
  const expected = runToEnd(reference, p, grid);
  for (const build of BUILDS) {
    expect(differences(runToEnd(wasm[build], p, grid), expected), `${build} build`).toEqual([]);
  }
  return expected;
}

interface Case {
  params: Params;
  grid?: Float64Array;
  /** Asserts the run exercised the mechanism. */
  exercised: (s: Series, p: Params) => void;
}

/** A crowded, levered, short-gamma market with a shock inside the short run: liquidations happen. */
const CROWDED = { ...SMALL, leverage: 15, gex: -0.5, liqSpeed: 1, longShare: 0.75, shock: 0.06, entrySpread: 0.05 };
const LENDING = {
  borrowers: 2000,
  lendingDebt: 3e9,
  liqThreshold: 0.8,
  keeperCapacity: 3e7,
  keeperFailure: 0.36,
  poolLiquidity: 2e8,
  arbSpeed: 0.1,
};

const MECHANISMS: Record<string, Case> = {
  'lending + pool oracle (contagion, zero-bid auctions)': {
    params: params({ ...CROWDED, ...LENDING, oracleMode: 'pool', shock: 0.2, shockTicks: 60 }),
    exercised: (s) => {
      expect(sum(s.liqLending)).toBeGreaterThan(0);
      expect(sum(s.lendingBadDebt)).toBeGreaterThan(0);
      expect(s.oracle.some((o, t) => o !== s.price[Math.max(0, t - 1)])).toBe(true);
      expect(s.poolPrice.some((x, t) => Math.abs(x / s.price[t] - 1) > 0.05)).toBe(true);
    },
  },
  'TWAP oracle with a deviation threshold': {
    params: params({
      ...CROWDED,
      ...LENDING,
      oracleMode: 'twap',
      oracleDelay: 10,
      oracleDeviation: 0.005,
      shock: 0.15,
      shockTicks: 30,
    }),
    exercised: (s) => {
      let stale = 0;
      let published = 0;
      for (let t = 1; t < s.oracle.length; t++) {
        if (s.oracle[t] === s.oracle[t - 1]) stale++;
        else published++;
      }
      expect(stale).toBeGreaterThan(10);
      expect(published).toBeGreaterThan(10);
      expect(sum(s.liqLending) + sum(s.liqLong)).toBeGreaterThan(0);
    },
  },
  'CEX with a small insurance fund (auto-deleveraging)': {
    params: params({ ...CROWDED, venue: 'cex', insuranceFund: 1e6 }),
    exercised: (s) => {
      expect(sum(s.fundPaid)).toBeGreaterThan(0);
      expect(sum(s.fundIn)).toBeGreaterThan(0);
      expect(sum(s.adlVolume)).toBeGreaterThan(0);
    },
  },
  'circuit breaker': {
    params: params({ ...CROWDED, breakerThreshold: 0.02 }),
    exercised: (s) => expect(sum(s.halted)).toBeGreaterThan(0),
  },
  'dynamic margin': {
    params: params({ ...CROWDED, dynamicMargin: 2 }),
    exercised: (s, p) => {
      expect(largest(s.deleverage)).toBeGreaterThan(0);
      expect(Math.max(...s.maintMargin)).toBeGreaterThan(2 * (p.maintMargin as number));
    },
  },
  'options AMM': {
    params: params({ ...CROWDED, ammShare: 0.5 }),
    exercised: (s) => {
      expect(largest(s.ammFlow)).toBeGreaterThan(0);
      expect(largest(s.dealerFlow)).toBeGreaterThan(0);
    },
  },
  'liquidation throttle': {
    params: params({ ...CROWDED, liqThrottle: 5e7 }),
    exercised: (s) => {
      const atCap = s.liqLong.filter(
        (x, t) => t > 0 && x + s.liqShort[t] > 0.99 * 5e7 * (s.price[t] / s.price[t - 1]),
      ).length;
      expect(atCap).toBeGreaterThan(0);
    },
  },
  'vega loop with a tight loss limit (dealers buy options back)': {
    params: params({ ...CROWDED, lossLimit: 0.01, dealerCapital: 1e6, ivDemand: 1 }),
    exercised: (s) => {
      expect(sum(s.optionDemand)).toBeGreaterThan(0);
      expect(Math.max(...s.impliedVol)).toBeGreaterThan(s.impliedVol[0]);
    },
  },
  'CPPI portfolio insurers': {
    params: params({
      ...SMALL,
      dealers: 0,
      accounts: 0,
      insurers: 500,
      insuredCapital: 2e10,
      cppiMultiplier: 5,
      cppiFloor: 0.85,
      cppiBand: 0.02,
      shock: 0.06,
      shockTicks: 30,
    }),
    exercised: (s) => {
      expect(s.cppiFlow.filter((x) => x < 0).length).toBeGreaterThan(1);
      expect(sum(s.cppiFlow)).toBeLessThan(-1e9);
    },
  },
  'reflexive stablecoin': {
    params: params({
      ...SMALL,
      price0: 80,
      vol0: 1,
      dailyVolume: 1e9,
      dealers: 0,
      accounts: 0,
      stableSupply: 1.8e10,
      redeemCap: 3e7,
      panicRate: 0.02,
      pegDepth: 3e8,
      valueCapital: 3e8,
      shock: 0.3,
      shockStart: 10,
      shockTicks: 20,
    }),
    exercised: (s) => {
      const T = s.price.length - 1;
      expect(sum(s.redemptionFlow)).toBeLessThan(0);
      expect(s.tokenSupply[T]).toBeGreaterThan(2 * s.tokenSupply[0]);
      expect(Math.min(...s.pegPrice)).toBeLessThan(0.9);
    },
  },
  'loop switches: dealers\u2019 hedging and lending off, everything else on': {
    params: params({ ...CROWDED, ...LENDING, oracleMode: 'pool', loopDealers: 'off', loopLending: 'off' }),
    exercised: (s) => {
      expect(largest(s.dealerFlow)).toBe(0);
      expect(largest(s.liqLending)).toBe(0);
      expect(sum(s.liqLong)).toBeGreaterThan(0);
    },
  },
  'the real option chain (Deribit BTC, 14 May 2020)': {
    params: params({ ...CROWDED }),
    grid: chainGrid('deribit-btc-2020-05-14'),
    exercised: (s, p) => {
      const stylized = runToEnd(reference, p);
      expect(s.gex[0]).not.toBe(stylized.gex[0]);
      expect(largest(s.dealerFlow)).toBeGreaterThan(0);
    },
  },
};

describe('WASM engine against the reference engine, one mechanism at a time', () => {
  it.each(Object.entries(MECHANISMS))('%s', (_, c) => {
    const s = expectSameRun(c.params, c.grid);
    c.exercised(s, c.params);
  });
});

/** A preset, shorter (at most 300 ticks) and smaller (at most 200 dealers, 3000 accounts, 2000 borrowers, 500 insurers). */
function shortPreset(preset: Preset): Params {
  const p = parseStrict(Object.entries(preset.params) as [string, number | string][]);
  return params(
    {
      ticks: Math.min(p.ticks as number, 300),
      dealers: Math.min(p.dealers as number, 200),
      accounts: Math.min(p.accounts as number, 3000),
      borrowers: Math.min(p.borrowers as number, 2000),
      insurers: Math.min(p.insurers as number, 500),
    },
    p,
  );
}

describe('WASM engine against the reference engine on every preset (short, smaller)', () => {
  it.each(PRESETS.map((p) => [p.name, p] as const))('%s', (_, preset) => {
    const p = shortPreset(preset);
    const s = expectSameRun(p, presetGrid(preset));
    // Every preset moves its market: the scripted shock ran within the short run.
    expect(sum(s.shockFlow)).toBeLessThan(0);
  });
});
