/**
 * The WASM engine's own Black–Scholes–Merton pricer (`bsGreek` in assembly/greeks.ts), the one
 * the dealers of a run hedge with: for the CLI's `greeks` command and for the tests that hold it
 * against its TypeScript twin, `bsm` in src/model/greeks.ts, whose arguments it takes.
 */
import { GREEK_NAMES, type Greeks, type bsm } from '../model/greeks.ts';
import type { EngineExports } from './wasm.ts';

/** `bsGreek(isCall, S, K, T, r, q, sigma, which)`: one of GREEK_NAMES, by its index `which`. */
type BsGreekExport = (...args: number[]) => number;

/** The six values of one option from the engine's `bsGreek` export, in the units of `bsm`. */
export function wasmGreeks(exports: EngineExports, ...[type, ...option]: Parameters<typeof bsm>): Greeks {
  const bsGreek = exports.bsGreek as BsGreekExport | undefined;
  if (typeof bsGreek !== 'function') throw new Error('this engine build has no bsGreek export');
  const isCall = type === 'call' ? 1 : 0;
  const [price, delta, gamma, vega, theta, rho] = GREEK_NAMES.map((_, which) => bsGreek(isCall, ...option, which));
  return { price, delta, gamma, vega, theta, rho };
}
