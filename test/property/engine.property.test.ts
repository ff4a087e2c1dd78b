/**
 * Invariants of a run over the whole parameter space, extremes included: whatever a link or a
 * CLI flag asks for (within the schema's ranges), the engine returns finite numbers, positive
 * prices, depth in (0, 1], whole non-negative account counts that never exceed the accounts
 * that exist, non-negative bad debt, and a finite summary. Mostly on the release WASM build
 * (fast); a few runs of the reference engine hold it to the same invariants.
 * Sizes are capped for speed; every other parameter spans its full schema range.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/model/engine.ts';
import { ReferenceEngine } from '../../src/model/reference/engine.ts';
import { SCHEMA, type Params } from '../../src/model/schema.ts';
import { GAPPED_SERIES, SERIES_KEYS, type Series } from '../../src/model/series.ts';
import { summarize } from '../../src/model/summary.ts';
import { clampToSpec, parseStrict } from '../../src/model/validate.ts';
import { WasmEngine } from '../../src/sim/wasm-engine.ts';
import { loadEngineNode } from '../../src/sim/wasm-node.ts';
import { paramsArbitrary, type Caps } from '../support/params.ts';
import { runToEnd } from '../support/engine.ts';

const WASM_CAPS = { ticks: 2000, shockStart: 2000, dealers: 2000, accounts: 20_000, borrowers: 5000, insurers: 500 };
const REFERENCE_CAPS = { ticks: 300, shockStart: 300, dealers: 200, accounts: 2000, borrowers: 500, insurers: 50 };

/** Every broken invariant, as readable lines (empty when the run is sound). */
function invariantProblems(series: Series, params: Params): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, message: () => string) => {
    if (!ok) problems.push(message());
  };
  for (const key of SERIES_KEYS) {
    const t = series[key].findIndex((x) => !Number.isFinite(x) && !(GAPPED_SERIES.has(key) && Number.isNaN(x)));
    check(t < 0, () => `${key}[${t}] = ${series[key][t]} is not finite`);
  }
  for (const key of ['price', 'cfPrice', 'oracle', 'fairValue'] as const) {
    const t = series[key].findIndex((x) => !(x > 0));
    check(t < 0, () => `${key}[${t}] = ${series[key][t]} is not positive`);
  }
  const thin = series.depth.findIndex((x) => !(x > 0 && x <= 1));
  check(thin < 0, () => `depth[${thin}] = ${series.depth[thin]} is outside (0, 1]`);
  const notCount = series.liqAccounts.findIndex((n) => !(Number.isInteger(n) && n >= 0));
  check(notCount < 0, () => `liqAccounts[${notCount}] = ${series.liqAccounts[notCount]} is not a count`);
  const liquidated = series.liqAccounts.reduce((sum, n) => sum + n, 0);
  check(liquidated <= (params.accounts as number), () => `${liquidated} accounts liquidated out of ${params.accounts}`);
  for (const key of ['badDebt', 'lendingBadDebt'] as const) {
    const t = series[key].findIndex((x) => !(x >= 0));
    check(t < 0, () => `${key}[${t}] = ${series[key][t]} is negative`);
  }

  const summary = summarize(series, params);
  for (const [field, value] of Object.entries(summary))
    check(Number.isFinite(value), () => `summary.${field} = ${value}`);
  check(
    summary.feedbackMultiplier >= 0,
    () => `summary.feedbackMultiplier = ${summary.feedbackMultiplier} is negative`,
  );
  return problems;
}

function expectSound(engine: Engine, params: Params): void {
  expect(invariantProblems(runToEnd(engine, params), params)).toEqual([]);
}

describe('every run is sound, over the full parameter ranges', () => {
  it('WASM engine (release build)', async () => {
    const engine = new WasmEngine(await loadEngineNode('release'));
    fc.assert(
      fc.property(paramsArbitrary(WASM_CAPS), (params) => expectSound(engine, params)),
      { seed: 42, numRuns: 100, examples: [[extremeParams('min', WASM_CAPS)], [extremeParams('max', WASM_CAPS)]] },
    );
  });

  it('reference engine (a few runs)', () => {
    const engine = new ReferenceEngine();
    fc.assert(
      fc.property(paramsArbitrary(REFERENCE_CAPS), (params) => expectSound(engine, params)),
      {
        seed: 7,
        numRuns: 6,
        examples: [[extremeParams('min', REFERENCE_CAPS)], [extremeParams('max', REFERENCE_CAPS)]],
      },
    );
  });
});

// ── parameters ─────────────────────────────────────────────────────────────────────────────

/** Every parameter at the low (or high) end of its range: first (or last) option of enums. */
function extremeParams(end: 'min' | 'max', caps: Caps): Params {
  return parseStrict(
    SCHEMA.map((spec): [string, number | string] => {
      if (spec.type === 'enum')
        return [spec.key, end === 'min' ? spec.options[0] : spec.options[spec.options.length - 1]];
      const x = end === 'min' ? spec.min : Math.min(spec.max, caps[spec.key] ?? Infinity);
      return [spec.key, clampToSpec(spec, x)];
    }),
  );
}
