/**
 * Ensembles: the same parameters over many seeds, and what holds across them. The statistics
 * of the page's live ensemble and of `cascade-lab ensemble`, from one module so the two agree:
 *
 * - quantiles by linear interpolation between order statistics (R's type 7, NumPy's and d3's
 *   default): q(p) = x₍ₕ₎ + (h − ⌊h⌋)(x₍ₕ₊₁₎ − x₍ₕ₎), h = (n − 1)·p over the sorted values;
 * - each summary field's mean and its 5th, 25th, 50th, 75th and 95th percentiles;
 * - bands of a column (the price, the counterfactual's): those percentiles tick by tick, kept
 *   as one sorted array per tick that each run is inserted into, so partial results cost
 *   O(ticks · runs) per run and any snapshot is cheap;
 * - the probability of a cascade: the share of runs whose max drawdown is beyond a threshold.
 */
import type { Summary } from './summary.ts';

/** The percentiles every statistic reports, as fractions. */
export const PERCENTILES = { p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95 } as const;
export type PercentileKey = keyof typeof PERCENTILES;

export interface Stats extends Record<PercentileKey, number> {
  mean: number;
}

/** A column's percentiles tick by tick. */
export type Band = Record<PercentileKey, Float64Array>;

/** A cascade, by default: the run's max drawdown beyond 10%. */
export const DEFAULT_CASCADE_DRAWDOWN = 0.1;

/** Most seeds the page runs in one ensemble, and the default. */
export const MAX_PAGE_SEEDS = 1000;
export const DEFAULT_PAGE_SEEDS = 100;

/** The summary's fields, in its own order: the rows of every ensemble table. */
export type SummaryField = keyof Summary;

/** Quantile p of values sorted ascending (NaN when there are none). */
export function quantile(sorted: ArrayLike<number>, p: number, n = sorted.length): number {
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Mean and percentiles of `values` (in any order). */
export function stats(values: readonly number[]): Stats {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of values) sum += v;
  const out = { mean: values.length ? sum / values.length : NaN } as Stats;
  for (const [key, p] of Object.entries(PERCENTILES)) out[key as PercentileKey] = quantile(sorted, p);
  return out;
}

/** Every summary field's statistics over the runs. */
export function summaryStats(summaries: readonly Summary[]): Record<SummaryField, Stats> {
  const fields = (summaries.length ? Object.keys(summaries[0]) : []) as SummaryField[];
  return Object.fromEntries(fields.map((field) => [field, stats(summaries.map((s) => s[field]))])) as Record<
    SummaryField,
    Stats
  >;
}

/** Share of runs whose max drawdown is beyond `threshold` (0 when there are none). */
export function cascadeProbability(summaries: readonly Pick<Summary, 'maxDrawdown'>[], threshold: number): number {
  if (summaries.length === 0) return 0;
  return summaries.filter((s) => s.maxDrawdown > threshold).length / summaries.length;
}

/** `count` seeds from `first` on, wrapping past 2³² − 1 to 0. */
export function seedsFrom(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => (first + i) % 2 ** 32);
}

/**
 * A column over many runs, tick by tick in sorted order: `add` inserts one run's column, `band`
 * reads the percentiles at every tick. Room for `capacity` runs, allocated once.
 */
export class SortedColumns {
  private readonly values: Float64Array;
  count = 0;

  constructor(
    readonly length: number,
    readonly capacity: number,
  ) {
    this.values = new Float64Array(length * capacity);
  }

  add(column: ArrayLike<number>): void {
    if (this.count >= this.capacity) throw new RangeError(`room for ${this.capacity} runs only`);
    const n = this.count;
    for (let t = 0; t < this.length; t++) {
      const row = t * this.capacity;
      const x = column[t];
      // Binary search for the first entry above x, then shift the rest up by one.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.values[row + mid] <= x) lo = mid + 1;
        else hi = mid;
      }
      this.values.copyWithin(row + lo + 1, row + lo, row + n);
      this.values[row + lo] = x;
    }
    this.count = n + 1;
  }

  band(): Band {
    const out = {} as Band;
    for (const [key, p] of Object.entries(PERCENTILES)) {
      const column = new Float64Array(this.length);
      for (let t = 0; t < this.length; t++)
        column[t] = quantile(this.values.subarray(t * this.capacity, t * this.capacity + this.count), p);
      out[key as PercentileKey] = column;
    }
    return out;
  }
}

/** Percentile bands of equally long columns, one per run. */
export function bands(columns: readonly ArrayLike<number>[]): Band {
  const sorted = new SortedColumns(columns[0]?.length ?? 0, Math.max(1, columns.length));
  for (const column of columns) sorted.add(column);
  return sorted.band();
}
