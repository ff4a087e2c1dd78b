/**
 * Same seed and parameters → the same run, bit for bit: a shared link must replay exactly. And
 * since the engine keeps its arrays between runs (nothing allocates in a tick; `init` reuses or
 * regrows memory), a run must not depend on what ran before it in the same engine.
 * Columns are compared as raw bits, so even −0 against +0 or two NaN payloads would count.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultParams, toEngineBlock, type Params } from '../../../src/model/schema.ts';
import { readSeries } from '../../../src/model/engine.ts';
import { SERIES_KEYS, type Series } from '../../../src/model/series.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode, type WasmBuild } from '../../../src/sim/wasm-node.ts';

async function freshEngine(build: WasmBuild = 'release'): Promise<WasmEngine> {
  return new WasmEngine(await loadEngineNode(build));
}

/** A small run with every kind of agent and a cascade within 200 ticks. */
const BASE = {
  ...defaultParams(),
  ticks: 200,
  dealers: 300,
  accounts: 3000,
  borrowers: 500,
  insurers: 50,
  stableSupply: 1e9,
  ammShare: 0.3,
  gex: -1,
  leverage: 25,
  liqSpeed: 0.5,
} as Params;

function run(engine: WasmEngine, params: Params = BASE, chunk = params.ticks as number): Series {
  engine.init(toEngineBlock(params));
  while (engine.tick < engine.ticks) engine.step(chunk);
  return readSeries(engine);
}

/** Columns whose bits differ, with the first differing tick (empty when bit-identical). */
function bitDifferences(a: Series, b: Series): string[] {
  return SERIES_KEYS.flatMap((key) => {
    const x = new BigUint64Array(a[key].buffer);
    const y = new BigUint64Array(b[key].buffer);
    if (x.length !== y.length) return [`${key}: ${x.length} entries against ${y.length}`];
    const t = x.findIndex((bits, i) => bits !== y[i]);
    return t < 0 ? [] : [`${key}[${t}]: ${a[key][t]} against ${b[key][t]}`];
  });
}

let engine: WasmEngine;
let original: Series;
beforeAll(async () => {
  engine = await freshEngine();
  original = run(engine);
});

describe('the WASM engine is deterministic', () => {
  it('the run actually exercises the mechanisms', () => {
    for (const key of ['liqAccounts', 'dealerFlow', 'ammFlow', 'liqLending', 'cppiFlow', 'redemptionFlow'] as const) {
      expect(
        original[key].some((x) => x !== 0),
        key,
      ).toBe(true);
    }
  });

  it('a fresh engine replays the run bit for bit', async () => {
    expect(bitDifferences(run(await freshEngine()), original)).toEqual([]);
  });

  it('re-initializing the same engine replays the run bit for bit', () => {
    expect(bitDifferences(run(engine), original)).toEqual([]);
  });

  it('stepping one tick at a time gives the same run as stepping all at once', () => {
    expect(bitDifferences(run(engine, BASE, 1), original)).toEqual([]);
    expect(bitDifferences(run(engine, BASE, 37), original)).toEqual([]);
  });

  it('the debug build gives the same bits as the release build', async () => {
    expect(bitDifferences(run(await freshEngine('debug')), original)).toEqual([]);
  });

  it('a different seed gives a different run', () => {
    const other = run(engine, { ...BASE, seed: (BASE.seed as number) + 1 });
    const differing = bitDifferences(other, original).map((line) => line.split('[')[0]);
    expect(differing).toEqual(expect.arrayContaining(['price', 'cfPrice', 'fairValue', 'dealerFlow', 'liqLong']));
  });

  it('after larger and smaller runs in the same engine, the original run comes back bit for bit', () => {
    // Larger than anything before in every dimension, so every array regrows and memory grows
    // (which detaches old views); then smaller, so arrays shrink or are reused.
    const larger = {
      ...BASE,
      ticks: 2000,
      dealers: 5000,
      accounts: 100_000,
      borrowers: 20_000,
      insurers: 2000,
      seed: 99,
    } as Params;
    const smaller = { ...BASE, ticks: 20, dealers: 3, accounts: 10, borrowers: 2, insurers: 1, seed: 5 } as Params;
    const empty = { ...BASE, dealers: 0, accounts: 0, borrowers: 0, insurers: 0, stableSupply: 0 } as Params;
    const viewBefore = engine.column('price');
    run(engine, larger);
    expect(viewBefore.length, 'memory grew (old views detached)').toBe(0);
    run(engine, smaller);
    run(engine, empty);
    expect(bitDifferences(run(engine), original)).toEqual([]);
  });

  it('a run after a larger one matches the same run in a fresh engine', async () => {
    const params = { ...BASE, seed: 12345, accounts: 1000 } as Params;
    run(engine, { ...BASE, accounts: 50_000, ticks: 1000 });
    expect(bitDifferences(run(engine, params), run(await freshEngine(), params))).toEqual([]);
  });
});
