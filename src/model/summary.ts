/**
 * The run report of MODEL.md §4, computed from the series and two parameters (when the shock
 * starts and which clock the run keeps), so both engines, the page and the CLI report the same
 * numbers the same way.
 */
import { clockOf } from './constants.ts';
import type { Params } from './schema.ts';
import type { Series } from './series.ts';

/** What a summary needs to know of the run's parameters. */
export type SummaryBasis = Pick<Params, 'shockStart' | 'clock'>;

/**
 * Below this counterfactual drawdown the multiplier is taken against this floor instead: a
 * counterfactual that barely falls (no shock, a rising market) would otherwise divide by ~0.
 * 0.5% is well inside one hour of baseline noise at the default volatility.
 */
export const MIN_COUNTERFACTUAL_DRAWDOWN = 0.005;

export interface Summary {
  /** Ticks the summary covers (the run may still be playing). */
  ticks: number;
  /**
   * Largest peak-to-trough fall of the price from the shock's start on, as a fraction (0.2 =
   * −20%): the peak is the price when the sell program starts or any higher price after it, so
   * noise before the shock does not count.
   */
  maxDrawdown: number;
  /** The same for the counterfactual: same seed and shock, every reflexive agent off. */
  counterfactualDrawdown: number;
  /** maxDrawdown ÷ max(counterfactualDrawdown, MIN_COUNTERFACTUAL_DRAWDOWN). */
  feedbackMultiplier: number;
  /** Annualized standard deviation of tick log returns over the run. */
  realizedVol: number;
  counterfactualRealizedVol: number;
  /** Lag-1 autocorrelation of tick log returns: > 0 trending, < 0 mean-reverting. */
  returnAutocorr: number;
  /** USD notional of every liquidation executed: perp longs and shorts, and lending collateral sold. */
  liquidatedNotional: number;
  /** Of which lending collateral. */
  lendingLiquidated: number;
  /** USD notional closed by auto-deleveraging (off the book). */
  adlVolume: number;
  liquidatedAccounts: number;
  /** Tick with the largest liquidated notional (−1 if nothing was liquidated). */
  peakLiquidationTick: number;
  /** Perp bad debt (DEX) or socialized loss (CEX), plus lending bad debt. */
  badDebt: number;
  /** Insurance fund at the end (CEX). */
  insuranceFund: number;
  /** Lowest stablecoin price (1 when there is no stablecoin). */
  minPegPrice: number;
  finalPrice: number;
  minPrice: number;
  /** Ticks the market spent halted by a circuit breaker. */
  haltedTicks: number;
}

/** Largest fall below the running peak of ticks from..upTo (0 when upTo ≤ from). */
export function maxDrawdown(price: ArrayLike<number>, upTo: number, from = 0): number {
  let peak = price[from];
  let worst = 0;
  for (let t = from + 1; t <= upTo; t++) {
    const p = price[t];
    if (p > peak) peak = p;
    else worst = Math.max(worst, 1 - p / peak);
  }
  return worst;
}

function logReturns(price: ArrayLike<number>, upTo: number): Float64Array {
  const r = new Float64Array(Math.max(0, upTo));
  for (let t = 1; t <= upTo; t++) r[t - 1] = Math.log(price[t] / price[t - 1]);
  return r;
}

function mean(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return x.length ? s / x.length : 0;
}

export function annualizedVol(price: ArrayLike<number>, upTo: number, ticksPerYear: number): number {
  const r = logReturns(price, upTo);
  if (r.length < 2) return 0;
  const m = mean(r);
  let ss = 0;
  for (const v of r) ss += (v - m) ** 2;
  return Math.sqrt((ss / (r.length - 1)) * ticksPerYear);
}

export function lag1Autocorrelation(price: ArrayLike<number>, upTo: number): number {
  const r = logReturns(price, upTo);
  if (r.length < 3) return 0;
  const m = mean(r);
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    den += (r[i] - m) ** 2;
    if (i > 0) num += (r[i] - m) * (r[i - 1] - m);
  }
  return den > 0 ? num / den : 0;
}

export function feedbackMultiplier(runDrawdown: number, counterfactualDrawdown: number): number {
  return runDrawdown / Math.max(counterfactualDrawdown, MIN_COUNTERFACTUAL_DRAWDOWN);
}

/** Summarize ticks 0..upTo of a run (upTo defaults to the whole series). */
export function summarize(series: Series, basis: SummaryBasis, upTo = series.price.length - 1): Summary {
  const from = Math.min(basis.shockStart, upTo);
  const ticksPerYear = 1 / clockOf(basis.clock).dtYears;
  const dd = maxDrawdown(series.price, upTo, from);
  const cfdd = maxDrawdown(series.cfPrice, upTo, from);
  let liquidated = 0;
  let lending = 0;
  let adl = 0;
  let accounts = 0;
  let badDebt = 0;
  let halted = 0;
  let minPeg = series.pegPrice[0];
  let peakTick = -1;
  let peak = 0;
  let minPrice = series.price[0];
  for (let t = 1; t <= upTo; t++) {
    const liq = series.liqLong[t] + series.liqShort[t] + series.liqLending[t];
    liquidated += liq;
    lending += series.liqLending[t];
    adl += series.adlVolume[t];
    accounts += series.liqAccounts[t];
    badDebt += series.badDebt[t] + series.lendingBadDebt[t];
    halted += series.halted[t];
    minPeg = Math.min(minPeg, series.pegPrice[t]);
    if (liq > peak) {
      peak = liq;
      peakTick = t;
    }
    minPrice = Math.min(minPrice, series.price[t]);
  }
  return {
    ticks: upTo,
    maxDrawdown: dd,
    counterfactualDrawdown: cfdd,
    feedbackMultiplier: feedbackMultiplier(dd, cfdd),
    realizedVol: annualizedVol(series.price, upTo, ticksPerYear),
    counterfactualRealizedVol: annualizedVol(series.cfPrice, upTo, ticksPerYear),
    returnAutocorr: lag1Autocorrelation(series.price, upTo),
    liquidatedNotional: liquidated,
    lendingLiquidated: lending,
    adlVolume: adl,
    liquidatedAccounts: accounts,
    peakLiquidationTick: peakTick,
    badDebt,
    insuranceFund: series.insuranceFund[upTo],
    minPegPrice: minPeg,
    finalPrice: series.price[upTo],
    minPrice,
    haltedTicks: halted,
  };
}
