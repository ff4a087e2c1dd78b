/**
 * Every scenario preset runs and tells its story (src/model/presets.ts; the README's
 * "Scenarios"). The full runs use the WASM release engine; a short version of each also runs on
 * the reference engine and must agree with the WASM engine's short run. Stories asserted:
 * - calm: dealers long gamma absorb the shock — no cascade, few liquidations;
 * - gamma-squeeze: the gamma loop alone amplifies the shock, with little liquidation;
 * - perp-cascade: a large multiplier, the liquidation peak right after the shock starts;
 * - defi-contagion: lending liquidations with zero-bid bad debt push the pool, so the oracle,
 *   below the venue, and the perp market liquidates more than without the lending market;
 * - portfolio-insurance-1987: insurers sell most on the worst ticks;
 * - luna-ust: the peg breaks, the token's supply explodes and its price collapses;
 * - mitigated: below the perp cascade it mitigates;
 * - real-chain: runs on the real Deribit grid, whose GEX is not the stylized grid's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_IDS } from '../../../src/model/history.ts';
import { presetGrid } from '../../../src/model/chains.ts';
import { PRESETS, findPreset } from '../../../src/model/presets.ts';
import { ReferenceEngine } from '../../../src/model/reference/engine.ts';
import { type Params } from '../../../src/model/schema.ts';
import { SERIES_KEYS, type Series } from '../../../src/model/series.ts';
import { summarize, type Summary } from '../../../src/model/summary.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';
import { runToEnd } from '../../support/engine.ts';
import { presetParams } from '../../support/params.ts';

let wasm: WasmEngine;
const reference = new ReferenceEngine();

beforeAll(async () => {
  wasm = new WasmEngine(await loadEngineNode('release'));
});

const runs = new Map<string, { params: Params; series: Series; summary: Summary }>();
/** The full run of a preset on the WASM engine (computed once). */
function full(name: string) {
  let r = runs.get(name);
  if (!r) {
    const params = presetParams(name);
    const series = runToEnd(wasm, params, presetGrid(findPreset(name)));
    r = { params, series, summary: summarize(series, params) };
    runs.set(name, r);
  }
  return r;
}

const sum = (column: Float64Array) => column.reduce((s, x) => s + x, 0);
const perpLiquidated = (s: Series) => sum(s.liqLong) + sum(s.liqShort);

describe('every preset runs on both engines', () => {
  it('there are the eight presets, with distinct names', () => {
    expect(PRESETS.map((p) => p.name)).toEqual([
      'calm',
      'gamma-squeeze',
      'perp-cascade',
      'defi-contagion',
      'portfolio-insurance-1987',
      'luna-ust',
      'mitigated',
      'real-chain',
    ]);
  });

  it.each(PRESETS.map((p) => p.name))('%s: the full run on WASM, a short one on both engines', (name) => {
    const { params, series } = full(name);
    // Every column finite; the gamma flip is NaN where no flip lies within ±30% of spot.
    for (const key of SERIES_KEYS)
      expect(
        series[key].every((x) => Number.isFinite(x) || (key === 'gammaFlip' && Number.isNaN(x))),
        key,
      ).toBe(true);
    expect(series.price.every((x) => x > 0)).toBe(true);

    // Short version: the first 120 ticks (past every preset's shock start), on both engines.
    const short = { ...params, ticks: 120 } as Params;
    const grid = presetGrid(findPreset(name));
    const a = summarize(runToEnd(reference, short, grid), short);
    const b = summarize(runToEnd(wasm, short, grid), short);
    for (const key of [
      'maxDrawdown',
      'counterfactualDrawdown',
      'liquidatedNotional',
      'minPegPrice',
      'finalPrice',
    ] as const) {
      expect(Math.abs(a[key] - b[key]), key).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a[key])));
    }
  });

  it('every preset that names a price history names one that exists', () => {
    const named = PRESETS.filter((p) => p.history !== undefined);
    expect(named.length).toBeGreaterThan(0);
    for (const p of named) expect(HISTORY_IDS, p.name).toContain(p.history);
  });
});

describe('each preset tells its story (WASM, full run)', () => {
  it('calm: the shock is absorbed — no cascade, few liquidations', () => {
    const { params, summary } = full('calm');
    console.log(
      `calm: multiplier ${summary.feedbackMultiplier.toFixed(3)}, liquidated ${summary.liquidatedNotional.toExponential(3)} USD of ${(params.perpOI as number).toExponential(1)} open interest`,
    );
    expect(summary.feedbackMultiplier).toBeLessThan(1.3);
    expect(summary.liquidatedNotional).toBeLessThan(0.001 * (params.perpOI as number));
  });

  it('gamma-squeeze: the gamma loop alone amplifies the shock, with little liquidation', () => {
    const { params, series, summary } = full('gamma-squeeze');
    const liquidated = perpLiquidated(series);
    console.log(
      `gamma-squeeze: multiplier ${summary.feedbackMultiplier.toFixed(3)}, perp liquidations ${liquidated.toExponential(3)} USD (${((100 * liquidated) / (params.perpOI as number)).toFixed(2)}% of open interest), return autocorrelation ${summary.returnAutocorr.toFixed(3)}`,
    );
    expect(summary.feedbackMultiplier).toBeGreaterThan(1.8);
    expect(liquidated).toBeLessThan(0.05 * (params.perpOI as number));
    // Dealers sold into the fall.
    expect(sum(series.dealerFlow.slice((params.shockStart as number) + 1))).toBeLessThan(0);
  });

  it('perp-cascade: a large multiplier, the liquidation peak within 20 ticks of the shock', () => {
    const { params, summary } = full('perp-cascade');
    const start = params.shockStart as number;
    console.log(
      `perp-cascade: multiplier ${summary.feedbackMultiplier.toFixed(3)}, drawdown ${summary.maxDrawdown.toFixed(3)}, liquidation peak at tick ${summary.peakLiquidationTick} (shock starts at ${start}), liquidated ${summary.liquidatedNotional.toExponential(3)} USD`,
    );
    expect(summary.feedbackMultiplier).toBeGreaterThan(2);
    expect(summary.peakLiquidationTick).toBeGreaterThan(start);
    expect(summary.peakLiquidationTick).toBeLessThanOrEqual(start + 20);
  });

  it('defi-contagion: zero-bid lending liquidations push the oracle below the venue and spill into perps', () => {
    const { series, summary } = full('defi-contagion');
    // The lending cascade: from the first lending liquidation on, for an hour. (Before it the
    // pool only lags the venue, so the oracle reads a little above it.)
    const first = series.liqLending.findIndex((x) => x > 0);
    const window = 60;
    let lowest = Infinity;
    let below = 0;
    for (let t = first; t < first + window; t++) {
      lowest = Math.min(lowest, series.oracle[t] / series.price[t]);
      if (series.oracle[t] < series.price[t]) below++;
    }
    const withoutLending = runToEnd(wasm, presetParams('defi-contagion', { borrowers: 0 }));
    console.log(
      `defi-contagion: lending liquidated ${summary.lendingLiquidated.toExponential(3)} USD, lending bad debt ${sum(series.lendingBadDebt).toExponential(3)} USD; from the first lending liquidation (tick ${first}) the oracle (the pool) is below the venue on ${below} of ${window} ticks, at its lowest ${lowest.toFixed(3)} of it; perp liquidations ${perpLiquidated(series).toExponential(4)} USD against ${perpLiquidated(withoutLending).toExponential(4)} without borrowers`,
    );
    expect(first).toBeGreaterThan(0);
    expect(summary.lendingLiquidated).toBeGreaterThan(0);
    expect(sum(series.lendingBadDebt)).toBeGreaterThan(0);
    expect(lowest).toBeLessThan(0.9);
    expect(below).toBeGreaterThan(0.5 * window);
    expect(perpLiquidated(series)).toBeGreaterThan(perpLiquidated(withoutLending));
  });

  it('portfolio-insurance-1987: insurers sell all session long, as fast as the market takes their orders', () => {
    const { params, series, summary } = full('portfolio-insurance-1987');
    const T = series.price.length - 1;
    const sold = Array.from(series.cppiFlow, (f) => Math.max(0, -f));
    const totalSold = sold.reduce((s, x) => s + x, 0);
    const atCapacity = sold.filter((x) => x >= 0.99 * (params.cppiCapacity as number)).length;
    const lastHour = sold.slice(T - 60).reduce((s, x) => s + x, 0);
    console.log(
      `portfolio-insurance-1987: drawdown ${summary.maxDrawdown.toFixed(3)}, multiplier ${summary.feedbackMultiplier.toFixed(3)}; insurers sold ${totalSold.toExponential(3)} USD (${((100 * totalSold) / (params.insuredCapital as number)).toFixed(1)}% of insured capital), at their capacity on ${atCapacity} of ${T} ticks, ${lastHour.toExponential(3)} USD in the last hour`,
    );
    expect(atCapacity).toBeGreaterThan(0.8 * T);
    expect(lastHour).toBeGreaterThan(0);
    expect(summary.maxDrawdown).toBeGreaterThan(0.15);
  });

  it('luna-ust: the peg breaks, the token supply explodes and its price collapses', () => {
    const { params, series, summary } = full('luna-ust');
    const T = series.price.length - 1;
    const supplyGrowth = series.tokenSupply[T] / series.tokenSupply[0];
    const fall = 1 - summary.finalPrice / (params.price0 as number);
    console.log(
      `luna-ust: lowest peg ${summary.minPegPrice.toFixed(3)}, token supply ×${supplyGrowth.toExponential(3)}, token price ${params.price0} → ${summary.finalPrice.toExponential(3)} (−${(100 * fall).toFixed(4)}%), stablecoin supply ${series.stableSupply[0].toExponential(2)} → ${series.stableSupply[T].toExponential(2)}`,
    );
    expect(summary.minPegPrice).toBeLessThan(0.3);
    expect(supplyGrowth).toBeGreaterThan(100);
    expect(fall).toBeGreaterThan(0.9);
  });

  it('mitigated: a lower multiplier than the perp cascade on the same seed', () => {
    const mitigated = full('mitigated').summary.feedbackMultiplier;
    const cascade = full('perp-cascade').summary.feedbackMultiplier;
    console.log(`mitigated ${mitigated.toFixed(3)} against perp-cascade ${cascade.toFixed(3)}`);
    expect(mitigated).toBeLessThan(cascade);
  });

  it('real-chain: runs on the real Deribit grid, whose GEX differs from the stylized grid’s', () => {
    const { params, series, summary } = full('real-chain');
    const stylized = runToEnd(wasm, params);
    console.log(
      `real-chain: GEX at the start ${series.gex[0].toExponential(4)} USD (stylized grid ${stylized.gex[0].toExponential(4)}); multiplier ${summary.feedbackMultiplier.toFixed(3)} (stylized ${summarize(stylized, params).feedbackMultiplier.toFixed(3)})`,
    );
    expect(findPreset('real-chain')?.chain).toBe('deribit-btc-2020-05-14');
    expect(series.gex[0]).toBeLessThan(0);
    expect(Math.abs(series.gex[0] - stylized.gex[0])).toBeGreaterThan(0.1 * Math.abs(stylized.gex[0]));
  });
});
