/**
 * No subnormal numbers in any state (issue 13): a dealer past its loss limit buys back a tenth of
 * each short position every tick, and without the dust rule (MODEL.POSITION_DUST) its positions
 * shrank to about −2e-323 after some 7,000 ticks, where every multiplication is many times slower.
 * Every preset (small sizes, a tight loss limit so that buy-backs go on tick after tick) runs
 * 20,000 ticks (the longest run); then every number the reference engine holds — fields, arrays, typed arrays,
 * nested objects — and the WASM dealers' state must be normal or zero. (`npm run bench` times
 * what this protects: ms/tick at tick 19,000 against tick 1,000.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { presetGrid } from '../../../src/model/chains.ts';
import { PRESETS } from '../../../src/model/presets.ts';
import { ReferenceEngine } from '../../../src/model/reference/engine.ts';
import { toEngineBlock } from '../../../src/model/schema.ts';
import type { EngineExports } from '../../../src/sim/wasm.ts';
import { WasmEngine } from '../../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';
import { presetParams } from '../../support/params.ts';

const SMALLEST_NORMAL = 2.2250738585072014e-308;
const isSubnormal = (x: number) => x !== 0 && Math.abs(x) < SMALLEST_NORMAL;

/** Paths (as `a.b[3]`) of every subnormal number reachable from `root`. */
function subnormalPaths(root: unknown): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'number') {
      if (isSubnormal(value)) found.push(path);
      return;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      if (value instanceof Float64Array || value instanceof Float32Array)
        value.forEach((x, i) => isSubnormal(x) && found.push(`${path}[${i}]`));
      return;
    }
    if (value instanceof Map) {
      for (const [k, v] of value) visit(v, `${path}.get(${String(k)})`);
      return;
    }
    for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
  };
  visit(root, 'engine');
  return found;
}

const exports: { wasm?: EngineExports & { dealerSubnormals(): number } } = {};
beforeAll(async () => {
  exports.wasm = (await loadEngineNode('release')) as EngineExports & { dealerSubnormals(): number };
});

describe('no subnormal numbers after long runs', () => {
  for (const preset of PRESETS) {
    it(preset.name, () => {
      const params = presetParams(preset.name, {
        dealers: 50,
        accounts: 200,
        borrowers: Math.min(preset.params.borrowers ?? 0, 50),
        insurers: Math.min(preset.params.insurers ?? 0, 10),
        ticks: 20_000,
        lossLimit: 0.01,
      });
      const grid = presetGrid(preset);
      const reference = new ReferenceEngine();
      reference.init(toEngineBlock(params), grid);
      expect(reference.step(params.ticks)).toBe(params.ticks);
      expect([...new Set(subnormalPaths(reference).map((p) => p.replace(/\[\d+\]/g, '[]')))]).toEqual([]);

      const wasm = new WasmEngine(exports.wasm!);
      wasm.init(toEngineBlock(params), grid);
      expect(wasm.step(params.ticks)).toBe(params.ticks);
      expect(exports.wasm!.dealerSubnormals()).toBe(0);
    });
  }

  it('the walk finds a subnormal where there is one', () => {
    expect(subnormalPaths({ a: [1, { b: 5e-324 }], c: new Float64Array([0, -2e-323]) })).toEqual([
      'engine.a.1.b',
      'engine.c[1]',
    ]);
  });
});
