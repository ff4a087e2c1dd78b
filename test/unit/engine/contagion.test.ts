/**
 * Contagion through the shared oracle (MODEL.md §2, "DeFi lending"; the essay's "Origin"): the
 * same shock with lending liquidations on makes the perp cascade worse than with them off — and
 * much worse only when the oracle is shared. Under oracleMode 'pool' the one oracle that marks
 * perps reads the DEX pool the keepers sell seized collateral into, so lending liquidations
 * move the perps' marks; under 'venue' the oracle follows the main venue, and lending reaches
 * the perp market only through the pool arbitrageurs' trades on the venue.
 *
 * Measured on the `defi-contagion` preset, on three seeds, with borrowers on (the preset's) and
 * borrowers 0: the increase in max drawdown and in perp liquidations that lending brings, under
 * each oracle mode. WASM release engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Params } from '../../../src/model/schema.ts';
import { type Series } from '../../../src/model/series.ts';
import { summarize } from '../../../src/model/summary.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';
import { runToEnd } from '../../support/engine.ts';
import { presetParams } from '../../support/params.ts';

const SEEDS = [7, 1, 2] as const;
type OracleMode = 'pool' | 'venue';

let wasm: WasmEngine;
beforeAll(async () => {
  wasm = new WasmEngine(await loadEngineNode('release'));
});

const contagionParams = (overrides: Record<string, number | string>): Params =>
  presetParams('defi-contagion', overrides);

const runSeries = (p: Params): Series => runToEnd(wasm, p);

const sum = (column: Float64Array) => column.reduce((s, x) => s + x, 0);

interface Cascade {
  drawdown: number;
  perpLiquidated: number;
  perpBadDebt: number;
  lendingLiquidated: number;
}

function perpCascade(oracleMode: OracleMode, lending: boolean, seed: number): Cascade {
  const p = contagionParams(lending ? { oracleMode, seed } : { oracleMode, seed, borrowers: 0 });
  const s = runSeries(p);
  return {
    drawdown: summarize(s, p).maxDrawdown,
    perpLiquidated: sum(s.liqLong) + sum(s.liqShort),
    perpBadDebt: sum(s.badDebt),
    lendingLiquidated: sum(s.liqLending),
  };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('lending liquidations worsen the cascade most when the oracle is shared', () => {
  const worsening = {} as Record<OracleMode, { drawdown: number[]; perpLiquidated: number[] }>;

  beforeAll(() => {
    for (const mode of ['pool', 'venue'] as const) {
      worsening[mode] = { drawdown: [], perpLiquidated: [] };
      for (const seed of SEEDS) {
        const on = perpCascade(mode, true, seed);
        const off = perpCascade(mode, false, seed);
        expect(on.lendingLiquidated, `${mode}, seed ${seed}: lending liquidated`).toBeGreaterThan(0);
        expect(off.lendingLiquidated).toBe(0);
        worsening[mode].drawdown.push(on.drawdown - off.drawdown);
        worsening[mode].perpLiquidated.push(on.perpLiquidated - off.perpLiquidated);
        console.log(
          `oracle ${mode}, seed ${seed}: drawdown ${off.drawdown.toFixed(4)} → ${on.drawdown.toFixed(4)} with lending; ` +
            `perp liquidations ${off.perpLiquidated.toExponential(4)} → ${on.perpLiquidated.toExponential(4)} USD; ` +
            `perp bad debt ${off.perpBadDebt.toExponential(3)} → ${on.perpBadDebt.toExponential(3)} USD; ` +
            `lending liquidated ${on.lendingLiquidated.toExponential(3)} USD`,
        );
      }
    }
  });

  it('max drawdown: lending adds far more under a shared (pool) oracle than under the venue oracle', () => {
    const pool = mean(worsening.pool.drawdown);
    const venue = mean(worsening.venue.drawdown);
    console.log(
      `mean drawdown added by lending: pool oracle ${pool.toFixed(4)}, venue oracle ${venue.toFixed(4)} (ratio ${(pool / venue).toFixed(1)})`,
    );
    // Large under the shared oracle: more than 7 points of drawdown on every seed …
    worsening.pool.drawdown.forEach((d, i) => expect(d, `seed ${SEEDS[i]}`).toBeGreaterThan(0.07));
    // … and more than lending adds when the oracle is not shared, on every seed. (Lending adds a
    // lot either way in this preset: its collateral sales reach the venue through the pool's
    // arbitrageurs; the shared oracle adds the cascade on top.)
    worsening.pool.drawdown.forEach((d, i) =>
      expect(d, `seed ${SEEDS[i]}`).toBeGreaterThan(worsening.venue.drawdown[i]),
    );
    expect(pool).toBeGreaterThan(1.1 * venue);
  });

  it('perp liquidations: lending adds more of them under a shared (pool) oracle than under the venue oracle', () => {
    const pool = mean(worsening.pool.perpLiquidated);
    const venue = mean(worsening.venue.perpLiquidated);
    console.log(
      `mean perp liquidations added by lending: pool oracle ${pool.toExponential(3)} USD, venue oracle ${venue.toExponential(3)} USD (ratio ${(pool / venue).toFixed(1)})`,
    );
    worsening.pool.perpLiquidated.forEach((d, i) => expect(d, `seed ${SEEDS[i]}`).toBeGreaterThan(0));
    expect(pool).toBeGreaterThan(1.5 * venue);
  });
});
