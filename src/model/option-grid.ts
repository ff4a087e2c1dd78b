/**
 * The option series the dealers trade: type, strike as a multiple of spot, days to expiry, and
 * a weight (open interest share) that decides how often a dealer position lands in the series.
 * The default grid is a stylized market; a real chain (src/model/chain-import.ts) replaces it.
 * Both engines receive the grid as data, so it is defined here and nowhere else.
 */
import { MODEL } from './constants.ts';

export interface OptionSeriesSpec {
  isCall: boolean;
  /** Strike ÷ spot when the series is listed (and re-listed on expiry). */
  moneyness: number;
  /** Days to expiry at tick 0; the series rolls to the same tenor when it expires. */
  tenorDays: number;
  /** Relative open interest (any positive scale). */
  weight: number;
}

/** Most a grid may hold: a large real chain has a few hundred instruments. */
export const MAX_OPTION_SERIES = 4096;

/** Values per series in the engine's grid block: isCall, moneyness, tenorDays, weight. */
export const GRID_STRIDE = 4;

/**
 * Strikes 0.80–1.20 × spot, expiries of 1, 7 and 30 days. Customers buy out-of-the-money puts
 * for protection and sell out-of-the-money calls for yield, so dealers' open interest sits in
 * puts below spot and calls above; at the money both. Strike weights fall off as a normal
 * density of the strike index (sd STRIKE_SPREAD); short expiries dominate.
 */
export function defaultOptionGrid(): OptionSeriesSpec[] {
  const grid: OptionSeriesSpec[] = [];
  const atm = (MODEL.MONEYNESS.length - 1) / 2;
  MODEL.TENOR_DAYS.forEach((tenorDays, i) => {
    MODEL.MONEYNESS.forEach((moneyness, k) => {
      const z = (k - atm) / MODEL.STRIKE_SPREAD;
      const weight = MODEL.TENOR_WEIGHTS[i] * Math.exp(-0.5 * z * z);
      if (k <= atm) grid.push({ isCall: false, moneyness, tenorDays, weight: k === atm ? weight / 2 : weight });
      if (k >= atm) grid.push({ isCall: true, moneyness, tenorDays, weight: k === atm ? weight / 2 : weight });
    });
  });
  return grid;
}

/** The grid as the engines read it: GRID_STRIDE numbers per series. */
export function toGridBlock(grid: readonly OptionSeriesSpec[]): Float64Array {
  if (grid.length === 0 || grid.length > MAX_OPTION_SERIES) {
    throw new Error(`an option grid needs 1 to ${MAX_OPTION_SERIES} series, got ${grid.length}`);
  }
  const block = new Float64Array(grid.length * GRID_STRIDE);
  grid.forEach((s, i) => {
    block.set([s.isCall ? 1 : 0, s.moneyness, s.tenorDays, s.weight], i * GRID_STRIDE);
  });
  return block;
}

/** Ticks to expiry for a tenor in days: at least one tick. */
export function tenorTicks(tenorDays: number): number {
  return Math.max(1, Math.round(tenorDays * MODEL.TICKS_PER_DAY));
}
