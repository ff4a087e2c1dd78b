/**
 * The loop switches of the schema (group Loops): each `off` removes its loop's flow from the
 * price and leaves the counterfactual alone; with every loop off and no policy the run is its
 * counterfactual, bit for bit — the "shock alone" the attribution starts from.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LOOPS } from '../../../src/model/attribution.ts';
import { summarize } from '../../../src/model/summary.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';
import { runToEnd } from '../../support/engine.ts';
import { paramsWith, presetParams } from '../../support/params.ts';
import type { Series } from '../../../src/model/series.ts';

let engine: WasmEngine;
beforeAll(async () => {
  engine = new WasmEngine(await loadEngineNode('release'));
});

const SMALL = { ticks: 240, dealers: 300, accounts: 5000 };
const largest = (column: Float64Array) => column.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const allOff = Object.fromEntries(LOOPS.map((loop) => [loop.switch, 'off']));

/** The column each loop's flow shows in, and a market where that loop acts. */
const FLOWS: Record<string, { column: (s: Series) => Float64Array; market: Record<string, number | string> }> = {
  loopDealers: { column: (s) => s.dealerFlow, market: { ...SMALL } },
  loopVega: { column: (s) => s.impliedVol.map((v) => v - s.impliedVol[0]), market: { ...SMALL } },
  loopPerps: { column: (s) => s.liqLong, market: { ...SMALL, leverage: 20, liqSpeed: 1 } },
  loopLending: {
    column: (s) => s.liqLending,
    market: { ...SMALL, borrowers: 2000, loanHealth: 1.1, shock: 0.15 },
  },
  loopInsurers: { column: (s) => s.cppiFlow, market: { ...SMALL, insurers: 200, insuredCapital: 2e10 } },
  loopStablecoin: {
    column: (s) => s.redemptionFlow,
    market: { ...SMALL, stableSupply: 1e10, panicRate: 0.02, shock: 0.2 },
  },
  loopDepth: { column: (s) => s.depth.map((d) => 1 - d), market: { ...SMALL } },
};

describe('each loop switch', () => {
  it.each(LOOPS.map((loop) => loop.switch))(
    '%s off removes its flow and leaves the counterfactual as it was',
    (key) => {
      const { column, market } = FLOWS[key];
      const on = runToEnd(engine, paramsWith(market));
      const off = runToEnd(engine, paramsWith({ ...market, [key]: 'off' }));
      expect(largest(column(on))).toBeGreaterThan(0);
      expect(largest(column(off))).toBe(0);
      expect(off.cfPrice).toEqual(on.cfPrice);
      expect(off.price).not.toEqual(on.price);
    },
  );
});

describe('every loop off', () => {
  it('with no policy, the run is its counterfactual, bit for bit', () => {
    for (const market of [
      paramsWith({ ...SMALL }),
      presetParams('perp-cascade'),
      presetParams('portfolio-insurance-1987'),
    ]) {
      const s = runToEnd(engine, paramsWith(allOff, market));
      expect(s.price).toEqual(s.cfPrice);
      const summary = summarize(s, market);
      expect(summary.maxDrawdown).toBe(summary.counterfactualDrawdown);
    }
  });
});
