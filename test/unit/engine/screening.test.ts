/**
 * The dealer screens (assembly/dealers.ts) skip only dealers whose exact evaluation would change
 * nothing, so a run with them is the run that evaluates every dealer every time, bit for bit.
 * Checked on every preset (shortened, with more dealers than most presets use, so the screens
 * clear many of them) and on runs long enough that anchors age and are set again; and the
 * screens must actually skip work on the defaults, or they would be pointless.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { presetGrid } from '../../../src/model/chains.ts';
import { PRESETS } from '../../../src/model/presets.ts';
import { type Params } from '../../../src/model/schema.ts';
import { SERIES_KEYS } from '../../../src/model/series.ts';
import type { EngineExports } from '../../../src/sim/wasm.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';
import { runToEnd } from '../../support/engine.ts';
import { paramsWith, presetParams } from '../../support/params.ts';

interface Screening {
  setScreening(on: number): void;
  dealerStat(which: number): number;
}

let exports: EngineExports & Screening;
let wasm: WasmEngine;

beforeAll(async () => {
  exports = (await loadEngineNode('release')) as EngineExports & Screening;
  wasm = new WasmEngine(exports);
});

/** Runs `params` with the screens off and on; expects every column equal, bit for bit. */
function expectSameBothWays(params: Params, grid?: Float64Array): void {
  exports.setScreening(0);
  const all = runToEnd(wasm, params, grid);
  exports.setScreening(1);
  const screened = runToEnd(wasm, params, grid);
  for (const key of SERIES_KEYS) expect(Array.from(screened[key]), key).toEqual(Array.from(all[key]));
}

describe('screened dealer loop = every dealer evaluated', () => {
  for (const preset of PRESETS) {
    it(preset.name, () => {
      const params = presetParams(preset.name, { dealers: 20_000, accounts: 5_000, ticks: 400 });
      expectSameBothWays(params, presetGrid(preset));
    });
  }

  it('a long run with a tight loss limit (buy-backs tick after tick, anchors aging)', () => {
    expectSameBothWays(paramsWith({ dealers: 5_000, accounts: 2_000, ticks: 6_000, lossLimit: 0.01, seed: 991 }));
  });

  it('fully short gamma, a large shock, no hedge band', () => {
    expectSameBothWays(
      paramsWith({ dealers: 5_000, accounts: 2_000, ticks: 600, gex: -1, shock: 0.5, hedgeBand: 0, seed: 17 }),
    );
  });

  it('skips most dealer evaluations on the defaults', () => {
    exports.setScreening(1);
    const params = paramsWith({ dealers: 20_000, ticks: 1_440 });
    runToEnd(wasm, params);
    const evaluations = exports.dealerStat(0) + exports.dealerStat(1);
    const every = (exports.dealerStat(3) + exports.dealerStat(4)) * 20_000;
    expect(evaluations).toBeLessThan(0.5 * every);
  });
});
