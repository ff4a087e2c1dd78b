/**
 * The WASM engine's own Black–Scholes–Merton pricer (`bsGreek` in assembly/greeks.ts), the one
 * the dealers of a run hedge with: for the CLI's `greeks` command and for the tests that hold it
 * against its TypeScript twin, `bsm` in src/model/greeks.ts.
 */
import { GREEK_NAMES, type Greeks, type OptionType } from '../model/greeks.ts';
import type { EngineExports } from './wasm.ts';

type BsGreekExport = (
  isCall: number,
  S: number,
  K: number,
  T: number,
  r: number,
  q: number,
  sigma: number,
  which: number,
) => number;

/** The six values of one option from the engine's `bsGreek` export, in the units of `bsm`. */
export function wasmGreeks(
  exports: EngineExports,
  type: OptionType,
  S: number,
  K: number,
  T: number,
  r: number,
  q: number,
  sigma: number,
): Greeks {
  const bsGreek = exports.bsGreek as BsGreekExport | undefined;
  if (typeof bsGreek !== 'function') throw new Error('this engine build has no bsGreek export');
  const isCall = type === 'call' ? 1 : 0;
  const [price, delta, gamma, vega, theta, rho] = GREEK_NAMES.map((_, which) =>
    bsGreek(isCall, S, K, T, r, q, sigma, which),
  );
  return { price, delta, gamma, vega, theta, rho };
}
