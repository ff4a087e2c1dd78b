/**
 * The gamma profile evaluates two series at a time with `exp2Lanes` (assembly/simd-exp.ts), the
 * standard library's scalar exp written lane by lane. It must be that exp to the bit, or the
 * profile and the gamma flip would no longer be the scalar loop's: checked over the whole range
 * the profile uses, −d1²/2 for |d1| ≤ 30, densely near 0 and at the smallest arguments, each with
 * its neighbour one ulp up.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineExports } from '../../../src/sim/wasm.ts';
import { loadEngineNode } from '../../../src/sim/wasm-node.ts';

interface SimdExp {
  simdExpMismatches(from: number, to: number, n: number): number;
}

let exports: EngineExports & SimdExp;

beforeAll(async () => {
  exports = (await loadEngineNode('release')) as EngineExports & SimdExp;
});

describe('exp2Lanes = Math.exp, bit for bit', () => {
  it('over the profile’s range, [−450, 0]', () => {
    expect(exports.simdExpMismatches(-450, 0, 400_000)).toBe(0);
  });
  it('near 0, where the polynomial alone decides', () => {
    expect(exports.simdExpMismatches(-1e-3, 0, 100_000)).toBe(0);
    expect(exports.simdExpMismatches(-1e-12, -1e-20, 10_000)).toBe(0);
  });
  it('around 2^−54, where exp rounds to 1', () => {
    expect(exports.simdExpMismatches(-(2 ** -53), -(2 ** -55), 10_000)).toBe(0);
  });
  it('fails when the lanes are not exp (the check can fail)', () => {
    // exp2Lanes serves only (−512, 0]: beyond it the scalar exp's special cases take over.
    expect(exports.simdExpMismatches(-1000, -800, 1_000)).toBeGreaterThan(0);
  });
});
