/**
 * The run report of MODEL.md §4, computed from the series and three parameters (when the shock
 * starts, how long it lasts and which clock the run keeps), so both engines, the page and the CLI
 * report the same numbers the same way; and what pushed the price in a fall, from the engine's
 * flow columns (`fallPressure`), for the page's headline.
 */
import { clockOf } from './constants.ts';
import type { Params } from './schema.ts';
import type { Series } from './series.ts';

/** What a summary needs to know of the run's parameters. */
export type SummaryBasis = Pick<Params, 'shockStart' | 'shockTicks' | 'clock'>;

/**
 * The drawdowns (and so the multiplier) are measured over the *shock window*: from the sell
 * program's start to one day of the run's clock after it ends (1,440 minutes; a 390-minute
 * session on an exchange's clock). Long enough for the slowest loop of the presets to play out
 * (a DeFi contagion that runs on for a day), and fixed, so a longer run does not dilute the
 * multiplier with the noise of later days: over 20,000 ticks the counterfactual's worst fall
 * would be mostly noise, and the same shock read 2.17× at 720 ticks and 1.02× at 20,000.
 */
export function shockWindow(basis: SummaryBasis, upTo: number): { from: number; to: number } {
  const from = Math.min(basis.shockStart, upTo);
  const end = basis.shockStart + basis.shockTicks + clockOf(basis.clock).ticksPerDay;
  return { from, to: Math.max(from, Math.min(end, upTo)) };
}

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
   * Largest peak-to-trough fall of the price within the shock window (`shockWindow`: from the
   * shock's start to a day after it ends), as a fraction (0.2 = −20%): the peak is the price when
   * the sell program starts or any higher price after it, so noise before the shock does not count.
   */
  maxDrawdown: number;
  /** The same for the counterfactual: same seed and shock, every reflexive agent off. */
  counterfactualDrawdown: number;
  /** maxDrawdown ÷ max(counterfactualDrawdown, MIN_COUNTERFACTUAL_DRAWDOWN). */
  feedbackMultiplier: number;
  /** Last tick of the shock window the drawdowns cover (less than a day after the shock when the run, or the summary, ends sooner). */
  windowEnd: number;
  /** Ticks of the price's worst fall in the window: its peak and its trough (both the shock's start while it has not fallen). */
  drawdownPeakTick: number;
  drawdownTroughTick: number;
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
  /** Governance-token supply at the end ÷ at the start (1 when there is no stablecoin): the mint of a death spiral. */
  tokenSupplyGrowth: number;
  /** USD sold by portfolio insurers, net of what they bought back (0 without insurers). */
  insurerSales: number;
  finalPrice: number;
  minPrice: number;
  /** Ticks the market spent halted by a circuit breaker. */
  haltedTicks: number;
}

/** Largest fall below the running peak of ticks from..upTo (0 when upTo ≤ from). */
export function maxDrawdown(price: ArrayLike<number>, upTo: number, from = 0): number {
  return worstFall(price, upTo, from).drawdown;
}

/** The largest fall below the running peak of ticks from..upTo, and the ticks of its peak and trough. */
export function worstFall(
  price: ArrayLike<number>,
  upTo: number,
  from = 0,
): { drawdown: number; peakTick: number; troughTick: number } {
  let peak = from;
  let worst = { drawdown: 0, peakTick: from, troughTick: from };
  for (let t = from + 1; t <= upTo; t++) {
    const p = price[t];
    if (p > price[peak]) peak = t;
    else if (1 - p / price[peak] > worst.drawdown)
      worst = { drawdown: 1 - p / price[peak], peakTick: peak, troughTick: t };
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
  const window = shockWindow(basis, upTo);
  const ticksPerYear = 1 / clockOf(basis.clock).dtYears;
  const fall = worstFall(series.price, window.to, window.from);
  const dd = fall.drawdown;
  const cfdd = maxDrawdown(series.cfPrice, window.to, window.from);
  let liquidated = 0;
  let lending = 0;
  let adl = 0;
  let accounts = 0;
  let badDebt = 0;
  let halted = 0;
  let minPeg = series.pegPrice[0];
  let insurerFlow = 0;
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
    insurerFlow += series.cppiFlow[t];
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
    windowEnd: window.to,
    drawdownPeakTick: fall.peakTick,
    drawdownTroughTick: fall.troughTick,
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
    tokenSupplyGrowth: series.tokenSupply[0] > 0 ? series.tokenSupply[upTo] / series.tokenSupply[0] : 1,
    insurerSales: -insurerFlow,
    finalPrice: series.price[upTo],
    minPrice,
    haltedTicks: halted,
  };
}

/**
 * Who traded the price down (or held it up) in a fall: the parties whose orders reach the
 * venue, each with its net flow over the fall (USD, sales negative) and the pressure that flow
 * put on the price. Impact works on each tick's net flow divided by the book's depth (README,
 * "Price formation"), so a sale into a book thinned to a quarter of its depth presses as hard as
 * four times the sale at normal depth: a party's pressure is Σ flow / depth over the fall. Noise
 * is not a flow and is the same in the run and its counterfactual, so it is not counted.
 */
export type PressureSource =
  'shock' | 'dealers' | 'amm' | 'perps' | 'marginCalls' | 'pool' | 'insurers' | 'stablecoin' | 'value';

export interface Pressure {
  source: PressureSource;
  /** Net flow into the venue over the fall (USD; < 0 sold, > 0 bought). */
  usd: number;
  /** The same flow weighted by how thin the book was when it traded (Σ flow / depth; USD at normal depth). */
  pressure: number;
}

export interface FallPressure {
  /** Every party, largest downward pressure first. */
  parties: Pressure[];
  /** The thinnest the book was during the fall (share of normal depth). */
  thinnestDepth: number;
}

/** Each party's venue flow over ticks from+1..to (the flows that moved the price from tick `from` to `to`). */
export function fallPressure(series: Series, from: number, to: number): FallPressure {
  const flows: Record<PressureSource, (t: number) => number> = {
    shock: (t) => series.shockFlow[t],
    dealers: (t) => series.dealerFlow[t],
    amm: (t) => series.ammFlow[t],
    // Longs liquidated are sold, shorts bought back; margin calls sell down longs (bought-back shorts count negative).
    perps: (t) => series.liqShort[t] - series.liqLong[t],
    marginCalls: (t) => -series.deleverage[t],
    pool: (t) => series.arbFlow[t],
    insurers: (t) => series.cppiFlow[t],
    stablecoin: (t) => series.redemptionFlow[t],
    value: (t) => series.valueFlow[t],
  };
  const parties = (Object.keys(flows) as PressureSource[]).map((source) => ({ source, usd: 0, pressure: 0 }));
  let thinnestDepth = 1;
  for (let t = from + 1; t <= to; t++) {
    const depth = series.depth[t] > 0 ? series.depth[t] : 1;
    thinnestDepth = Math.min(thinnestDepth, depth);
    for (const party of parties) {
      const flow = flows[party.source](t);
      party.usd += flow;
      party.pressure += flow / depth;
    }
  }
  return { parties: parties.sort((a, b) => a.pressure - b.pressure), thinnestDepth };
}
