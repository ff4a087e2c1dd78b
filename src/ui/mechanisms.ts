/**
 * Which of the model's mechanisms a run has, read from its parameters: the page shows the
 * charts, cards, diagram nodes and words of those it has, and says plainly which are off.
 */
import type { Params } from '../model/schema.ts';

export type Mechanism = 'dealers' | 'amm' | 'perps' | 'lending' | 'pool' | 'insurers' | 'stablecoin' | 'breaker';

/** The mechanisms of a run whose parameters are `p`. */
export function mechanismsOf(p: Params): ReadonlySet<Mechanism> {
  const on = new Set<Mechanism>();
  const optionBook = (p.optionOI as number) > 0;
  // The AMM takes its share of the book from the dealers: with all of it, no dealer hedges.
  if (optionBook && (p.dealers as number) > 0 && (p.ammShare as number) < 1) on.add('dealers');
  if (optionBook && (p.ammShare as number) > 0) on.add('amm');
  if ((p.accounts as number) > 0 && (p.perpOI as number) > 0) on.add('perps');
  if ((p.borrowers as number) > 0 && (p.lendingDebt as number) > 0) on.add('lending');
  // The pool is part of the market when loans are sold into it or the oracle reads it.
  if (on.has('lending') || p.oracleMode === 'pool') on.add('pool');
  if ((p.insurers as number) > 0 && (p.insuredCapital as number) > 0) on.add('insurers');
  if ((p.stableSupply as number) > 0) on.add('stablecoin');
  if ((p.breakerThreshold as number) > 0) on.add('breaker');
  return on;
}

/** What each mechanism is, in a phrase, for "off in this run" notes. */
export const MECHANISM_NAMES: Record<Mechanism, string> = {
  dealers: 'option dealers',
  amm: 'an options AMM',
  perps: 'leveraged perp traders',
  lending: 'DeFi lending',
  pool: 'the DEX pool',
  insurers: 'portfolio insurers',
  stablecoin: 'a reflexive stablecoin',
  breaker: 'a circuit breaker',
};
