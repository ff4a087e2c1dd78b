/**
 * The option series the dealers trade: type, strike as a multiple of spot, tenor in days, a
 * weight (open interest share) that decides how often a dealer position lands in the series,
 * which side customers hold, and the days to its first expiry. The default grid is a stylized
 * market; a real chain (src/model/chain-import.ts) replaces it. Both engines receive the grid as
 * data, so it is defined here and nowhere else.
 */
import { MODEL } from './constants.ts';

export interface OptionSeriesSpec {
  isCall: boolean;
  /** Strike ÷ spot when the series is listed (and re-listed on expiry). */
  moneyness: number;
  /** Days from listing to expiry; the series rolls to the same tenor when it expires. */
  tenorDays: number;
  /** Relative open interest (any positive scale). */
  weight: number;
  /** Customers hold it long (they bought it); default `customerBuys(isCall, moneyness)`. */
  customerLong?: boolean;
  /** Days to its first expiry (staggered listings); default `tenorDays`. */
  firstExpiryDays?: number;
}

/** Most a grid may hold: a large real chain has a few hundred instruments. */
export const MAX_OPTION_SERIES = 4096;

/** Values per series in the engine's grid block: isCall, moneyness, tenorDays, weight, customerLong, firstExpiryDays. */
export const GRID_STRIDE = 6;

/**
 * Which side of a series customers hold (the documented customer book): they buy puts struck
 * near the money for protection (moneyness ≥ YIELD_PUT_MONEYNESS), and sell puts further out for
 * yield (cash-secured puts, put-spread collars, put-selling vaults) and calls against their
 * holdings (covered calls). Dealers hold the other side, mixed by `gex`.
 */
export function customerBuys(isCall: boolean, moneyness: number): boolean {
  return !isCall && moneyness >= MODEL.YIELD_PUT_MONEYNESS;
}

/**
 * Strikes 0.80–1.20 × spot, tenors of 1, 7 and 30 days. Open interest sits in puts below spot
 * and calls above (at the money both); strike weights fall off as a normal density of the
 * strike index (sd STRIKE_SPREAD), puts sold for yield weigh YIELD_PUT_WEIGHT times more; short
 * tenors dominate. The series of a tenor were listed at different times, so their first
 * expiries are spread evenly over the tenor (in an order that interleaves strikes): no two
 * series of a tenor expire on the same tick, as on an exchange that lists expiries in a ladder.
 */
export function defaultOptionGrid(): OptionSeriesSpec[] {
  const grid: OptionSeriesSpec[] = [];
  const atm = (MODEL.MONEYNESS.length - 1) / 2;
  MODEL.TENOR_DAYS.forEach((tenorDays, i) => {
    const tenor: OptionSeriesSpec[] = [];
    MODEL.MONEYNESS.forEach((moneyness, k) => {
      const z = (k - atm) / MODEL.STRIKE_SPREAD;
      const base = MODEL.TENOR_WEIGHTS[i] * Math.exp(-0.5 * z * z);
      const weight = k === atm ? base / 2 : base;
      if (k <= atm) {
        const yieldPut = !customerBuys(false, moneyness);
        tenor.push({
          isCall: false,
          moneyness,
          tenorDays,
          weight: yieldPut ? weight * MODEL.YIELD_PUT_WEIGHT : weight,
        });
      }
      if (k >= atm) tenor.push({ isCall: true, moneyness, tenorDays, weight });
    });
    // Listing order: every EXPIRY_STRIDE-th series, so neighbouring strikes expire far apart.
    const n = tenor.length;
    tenor.forEach((series, j) => {
      const slot = (j * MODEL.EXPIRY_STRIDE) % n;
      grid.push({ ...series, firstExpiryDays: (tenorDays * (slot + 1)) / n });
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
    const customerLong = s.customerLong ?? customerBuys(s.isCall, s.moneyness);
    block.set(
      [s.isCall ? 1 : 0, s.moneyness, s.tenorDays, s.weight, customerLong ? 1 : 0, s.firstExpiryDays ?? s.tenorDays],
      i * GRID_STRIDE,
    );
  });
  return block;
}

/** Ticks to an expiry `days` away on a clock of `ticksPerDay`: at least one tick. */
export function daysToTicks(days: number, ticksPerDay: number): number {
  return Math.max(1, Math.round(days * ticksPerDay));
}
