/**
 * The fall split by loop (src/model/attribution.ts): Shapley values of known games, parts that
 * sum to the drawdown exactly, zero for a loop that is absent, and the engine's own runs: with
 * no policy the shock's part is the counterfactual's fall.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  LOOPS,
  coalitionParams,
  combineAttribution,
  planAttribution,
  presentLoops,
  type Attribution,
  type AttributionPlan,
  type LoopKey,
} from '../../../src/model/attribution.ts';
import { runTask } from '../../../src/model/batch.ts';
import type { Params } from '../../../src/model/schema.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';
import { paramsWith, presetParams } from '../../support/params.ts';

let engine: WasmEngine;
beforeAll(async () => {
  engine = new WasmEngine(await loadEngineNode('release'));
});

/** Every loop present: dealers, vega, perps, lending, insurers, stablecoin, depth. */
const ALL = paramsWith({ borrowers: 100, insurers: 10, stableSupply: 1e8 });
const sumParts = (a: Attribution) => Object.values(a.contributions).reduce((x, y) => x + y, 0);

/** Combine a plan over a game given as a function of the set of loops switched on. */
function play(plan: AttributionPlan, v: (on: Set<string>) => number): Attribution {
  const values = new Map<number, number>();
  for (const mask of plan.coalitions) values.set(mask, v(new Set(plan.present.filter((_, k) => mask & (1 << k)))));
  return combineAttribution(plan, values);
}

describe('which loops are present', () => {
  it('at the defaults: dealers, vega, perps and depth; no lending, insurers or stablecoin', () => {
    expect(presentLoops(paramsWith({}))).toEqual(['dealers', 'vega', 'perps', 'depth']);
    expect(presentLoops(ALL)).toEqual(LOOPS.map((l) => l.key));
  });

  it('a loop switched off, or without agents, is absent', () => {
    expect(presentLoops(paramsWith({ loopPerps: 'off', depthThinning: 0 }))).toEqual(['dealers', 'vega']);
    expect(presentLoops(paramsWith({ dealers: 0 }))).toEqual(['vega', 'perps', 'depth']);
    expect(presentLoops(paramsWith({ dealers: 0, loopDepth: 'off' }))).toEqual(['perps']);
  });

  it('an absent loop moves nothing: switching it changes no run', () => {
    const cases: [Params, string][] = [
      [paramsWith({ ticks: 200 }), 'loopLending'],
      [paramsWith({ ticks: 200 }), 'loopInsurers'],
      [paramsWith({ ticks: 200 }), 'loopStablecoin'],
      [paramsWith({ ticks: 200, dealers: 0, depthThinning: 0 }), 'loopVega'],
      [paramsWith({ ticks: 200, accounts: 0 }), 'loopPerps'],
    ];
    for (const [p, key] of cases) {
      const on = runTask(engine, { params: p }).summary;
      const off = runTask(engine, { params: { ...p, [key]: 'off' } }).summary;
      expect(off, key).toEqual(on);
    }
  });
});

describe('Shapley values of known games', () => {
  const plan = planAttribution(paramsWith({}));
  it('an additive game gives each loop its own effect', () => {
    const effect: Partial<Record<LoopKey, number>> = { dealers: 0.02, vega: 0.001, perps: 0.03, depth: 0.005 };
    const a = play(plan, (on) => 0.05 + [...on].reduce((s, k) => s + effect[k as LoopKey]!, 0));
    expect(a.method).toBe('exact');
    expect(a.runs).toBe(16);
    for (const [k, e] of Object.entries(effect)) expect(a.contributions[k as LoopKey]).toBeCloseTo(e!, 15);
    expect(a.contributions.shock).toBe(0.05);
    expect(a.contributions.lending).toBe(0);
    expect(sumParts(a)).toBe(a.drawdown);
  });

  it('a joint effect of two loops is split between them equally', () => {
    const a = play(plan, (on) => 0.05 + (on.has('dealers') && on.has('perps') ? 0.04 : 0));
    expect(a.contributions.dealers).toBeCloseTo(0.02, 15);
    expect(a.contributions.perps).toBeCloseTo(0.02, 15);
    expect(a.contributions.vega).toBe(0);
    expect(sumParts(a)).toBe(a.drawdown);
  });

  it('seven loops are sampled over permutations, still summing to the total, with a stated error', () => {
    const sampled = planAttribution(ALL);
    expect(sampled.method).toBe('sampled');
    expect(sampled.permutations).toHaveLength(16);
    expect(sampled.coalitions.length).toBeLessThan(128);
    const weights = Object.fromEntries(LOOPS.map((l, i) => [l.key, 0.003 * (i + 1)]));
    const game = (on: Set<string>) => 0.04 + [...on].reduce((s, k) => s + weights[k], 0) + (on.size > 4 ? 0.01 : 0);
    const a = play(sampled, game);
    expect(sumParts(a)).toBe(a.drawdown);
    expect(a.error).toBeGreaterThan(0);
    const exact = play(planAttribution(ALL, { method: 'exact' }), game);
    expect(exact.runs).toBe(128);
    for (const l of LOOPS)
      expect(Math.abs(a.contributions[l.key] - exact.contributions[l.key])).toBeLessThan(4 * a.error + 1e-12);
    // The same seed samples the same permutations.
    expect(planAttribution(ALL).permutations).toEqual(sampled.permutations);
  });

  it('coalition parameters switch off exactly the present loops outside the coalition', () => {
    const p = coalitionParams(paramsWith({}), plan, 0b0101);
    expect([p.loopDealers, p.loopVega, p.loopPerps, p.loopDepth]).toEqual(['on', 'off', 'on', 'off']);
    expect(p.loopLending).toBe('on');
  });
});

describe('on the engine', () => {
  function attribute(p: Params): { a: Attribution; counterfactual: number } {
    const plan = planAttribution(p);
    const values = new Map<number, number>();
    let counterfactual = NaN;
    for (const mask of plan.coalitions) {
      const { summary } = runTask(engine, { params: coalitionParams(p, plan, mask) });
      values.set(mask, summary.maxDrawdown);
      counterfactual = summary.counterfactualDrawdown;
    }
    return { a: combineAttribution(plan, values), counterfactual };
  }

  it('the parts sum to the run\u2019s drawdown, and with no policy the shock\u2019s part is the counterfactual\u2019s fall', () => {
    for (const p of [paramsWith({ ticks: 240 }), presetParams('perp-cascade', { dealers: 500, accounts: 10000 })]) {
      const { a, counterfactual } = attribute(p);
      expect(a.drawdown).toBe(runTask(engine, { params: p }).summary.maxDrawdown);
      expect(sumParts(a)).toBe(a.drawdown);
      expect(a.contributions.shock).toBe(counterfactual);
      expect(a.contributions.perps).toBeGreaterThan(0);
      expect(a.contributions.lending).toBe(0);
    }
  });
});
