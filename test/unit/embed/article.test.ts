/**
 * The example article (static/examples/article.html) tells the 10 Oct 2025 cascade with the
 * widget's runs; every figure it quotes about a run is checked here on the same runs (the
 * presets' own seed, as the widget plays them), so a change to the model that makes the article
 * wrong fails a test instead of going unnoticed.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { type Params } from '../../../src/model/schema.ts';
import type { Series } from '../../../src/model/series.ts';
import { summarize, type Summary } from '../../../src/model/summary.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';
import { runToEnd } from '../../support/engine.ts';
import { presetParams } from '../../support/params.ts';

let engine: WasmEngine;
beforeAll(async () => {
  engine = new WasmEngine(await loadEngineNode('release'));
});

function run(preset: string, overrides: Partial<Params> = {}): { params: Params; series: Series; summary: Summary } {
  const params = { ...presetParams(preset), ...overrides } as Params;
  const series = runToEnd(engine, params);
  return { params, series, summary: summarize(series, params) };
}

const article = readFileSync(new URL('../../../static/examples/article.html', import.meta.url), 'utf8');
const shockEnd = (p: Params): number => (p.shockStart as number) + (p.shockTicks as number);
const fallAt = (series: Series, key: 'price' | 'cfPrice', tick: number): number =>
  1 - series[key][tick] / series[key][0];
const troughTick = (price: ArrayLike<number>): number => {
  let lowest = 0;
  for (let t = 1; t < price.length; t++) if (price[t] < price[lowest]) lowest = t;
  return lowest;
};

describe('the article’s steps', () => {
  test('each step drives the widget the way its text says', () => {
    const steps = [...article.matchAll(/<section class="step[^"]*"([^>]*)>/g)].map((m) => m[1].trim());
    expect(steps).toEqual([
      'data-step="calm" data-preset="perp-cascade" data-seek="14"',
      'data-step="shock" data-preset="perp-cascade" data-seek="18"',
      'data-step="cascade" data-preset="perp-cascade" data-play',
      'data-step="mitigated" data-preset="mitigated" data-play',
    ]);
  });

  test('“A market at rest”: before minute 15 the run and its counterfactual are the same line', () => {
    const { params, series } = run('perp-cascade');
    // The market as the step and the notes describe it.
    expect(params).toMatchObject({ price0: 3000, leverage: 13, longShare: 0.75, liqSpeed: 0.5, shockStart: 15 });
    expect(params).toMatchObject({ accounts: 50_000, dealers: 2000 });
    expect(params.gex).toBeLessThan(0);
    // The same line on the chart: within a tenth of a percent (dealers' hedges of noise move it a hair).
    for (let t = 0; t < 15; t++) expect(Math.abs(series.price[t] / series.cfPrice[t] - 1)).toBeLessThan(0.001);
  });

  test('“The shock”: 4% over three minutes alone; about 7% down with the loops, and no account liquidated yet', () => {
    const { params, series } = run('perp-cascade');
    expect([params.shock, params.shockTicks]).toEqual([0.04, 3]);
    const end = shockEnd(params);
    expect(fallAt(series, 'cfPrice', end)).toBeGreaterThan(0.03);
    expect(fallAt(series, 'cfPrice', end)).toBeLessThan(0.05);
    expect(fallAt(series, 'price', end)).toBeGreaterThan(0.06);
    expect(fallAt(series, 'price', end)).toBeLessThan(0.08);
    for (let t = 0; t <= end; t++) expect(series.liqAccounts[t]).toBe(0);
  });

  test('“Liquidations take over”: the bottom about six minutes after the program, some 9% down, over twice the counterfactual', () => {
    const { params, series, summary } = run('perp-cascade');
    expect(troughTick(series.price) - shockEnd(params)).toBeGreaterThanOrEqual(5);
    expect(troughTick(series.price) - shockEnd(params)).toBeLessThanOrEqual(7);
    expect(summary.maxDrawdown).toBeGreaterThan(0.085);
    expect(summary.maxDrawdown).toBeLessThan(0.1);
    expect(summary.feedbackMultiplier).toBeGreaterThan(2);
  });

  test('“With defences”: the breaker trips as the program ends and holds fifteen minutes; no account liquidated; near 6%, about 1.6×', () => {
    const { params, series, summary } = run('mitigated');
    const firstHalt = series.halted.findIndex((h) => h > 0);
    expect(firstHalt - shockEnd(params)).toBeGreaterThanOrEqual(0);
    expect(firstHalt - shockEnd(params)).toBeLessThanOrEqual(2);
    expect(summary.haltedTicks).toBe(15);
    expect(summary.liquidatedAccounts).toBe(0);
    expect(summary.maxDrawdown).toBeGreaterThan(0.055);
    expect(summary.maxDrawdown).toBeLessThan(0.07);
    expect(summary.feedbackMultiplier).toBeGreaterThan(1.45);
    expect(summary.feedbackMultiplier).toBeLessThan(1.75);
  });

  test('“Try it yourself”: low leverage all but ends the liquidations, 25× runs past 30%, slower bots a shallower fall', () => {
    const cascade = run('perp-cascade').summary;
    expect(run('perp-cascade', { leverage: 2 }).summary.liquidatedNotional).toBeLessThan(
      0.01 * cascade.liquidatedNotional,
    );
    expect(run('perp-cascade', { leverage: 25 }).summary.maxDrawdown).toBeGreaterThan(0.3);
    expect(run('perp-cascade', { liqSpeed: 0.05 }).summary.maxDrawdown).toBeLessThan(cascade.maxDrawdown);
  });
});
