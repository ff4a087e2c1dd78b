/**
 * Golden runs: a SHA-256 of every column of every preset (and of runs that exercise buy-backs,
 * the options AMM, a trading halt and the gamma loop switched off) on the release build. A change
 * made for speed must leave every run the same to the bit, which the differential tests (engine
 * against reference, to a tolerance) cannot see; a change to the model changes these hashes on
 * purpose: rerun with UPDATE_GOLDEN=1 and say in the commit why the runs changed.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetGrid } from '../../../src/model/chains.ts';
import { PRESETS } from '../../../src/model/presets.ts';
import { toEngineBlock, type Params } from '../../../src/model/schema.ts';
import { SERIES_KEYS } from '../../../src/model/series.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';
import { paramsWith, presetParams } from '../../support/params.ts';

const FILE = new URL('../../fixtures/engine-golden.json', import.meta.url);
const TICKS = 1_500;

const CASES: [string, () => Params, () => Float64Array | undefined][] = [
  ...PRESETS.map((p): [string, () => Params, () => Float64Array | undefined] => [
    p.name,
    () => presetParams(p.name, { ticks: TICKS }),
    () => presetGrid(p),
  ]),
  [
    'buy-backs',
    () =>
      paramsWith({
        dealers: 3000,
        accounts: 2000,
        ticks: TICKS,
        lossLimit: 0.01,
        dealerCapital: 1e6,
        ivDemand: 1,
        seed: 7,
      }),
    () => undefined,
  ],
  ['options AMM', () => paramsWith({ dealers: 3000, ticks: TICKS, ammShare: 0.5, seed: 9 }), () => undefined],
  ['halt', () => paramsWith({ ticks: TICKS, breakerThreshold: 0.02, leverage: 30, seed: 11 }), () => undefined],
  ['gamma loop off', () => paramsWith({ ticks: TICKS, loopDealers: 'off', seed: 12 }), () => undefined],
];

let engine: WasmEngine;
const golden: Record<string, string> = JSON.parse(readFileSync(FILE, 'utf8'));
const update = process.env.UPDATE_GOLDEN === '1';

beforeAll(async () => {
  engine = new WasmEngine(await loadEngineNode('release'));
});

function hashOf(params: Params, grid: Float64Array | undefined): string {
  engine.init(toEngineBlock(params), grid);
  engine.step(params.ticks);
  const hash = createHash('sha256');
  for (const key of SERIES_KEYS) hash.update(key).update(new Uint8Array(engine.column(key).slice().buffer));
  return hash.digest('hex');
}

describe('golden runs (release build, bit for bit)', () => {
  for (const [name, params, grid] of CASES) {
    it(name, () => {
      const hash = hashOf(params(), grid());
      if (update) golden[name] = hash;
      else expect(hash, `${name}: the run changed (UPDATE_GOLDEN=1 if on purpose)`).toBe(golden[name]);
    });
  }
  it.runIf(update)('writes the file', () => writeFileSync(FILE, `${JSON.stringify(golden, null, 2)}\n`));
});
