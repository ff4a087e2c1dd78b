/**
 * Geometry shared by the time-series charts: the plot margins, the time axis in minutes, and
 * the reductions that keep the number of marks near the number of pixels however long the run.
 */
import { scaleLinear, type ScaleLinear } from 'd3';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const MARGIN: Margin = { top: 8, right: 12, bottom: 24, left: 60 };

/** Tick steps that read well as time: minutes up to a day, then days. */
const MINUTE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 7200, 14400];

/** Axis ticks over [0, ticks] minutes: at most about `count`, on round times. */
export function minuteTicks(ticks: number, count: number): number[] {
  const step = MINUTE_STEPS.find((s) => ticks / s <= count) ?? MINUTE_STEPS[MINUTE_STEPS.length - 1];
  const out: number[] = [];
  for (let t = 0; t <= ticks; t += step) out.push(t);
  return out;
}

/** The x scale of every time chart: the whole run from tick 0 to its end, so lines grow rightward. */
export function timeScale(ticks: number, width: number, margin: Margin = MARGIN): ScaleLinear<number, number> {
  return scaleLinear()
    .domain([0, Math.max(1, ticks)])
    .range([margin.left, Math.max(margin.left + 1, width - margin.right)]);
}

/**
 * The ticks of 0..upTo worth drawing as a line `pixels` wide: every tick when they fit, else
 * for each pixel column the first, lowest, highest and last tick of every given column, so
 * spikes survive the reduction.
 */
export function lineIndices(columns: readonly ArrayLike<number>[], upTo: number, pixels: number): number[] {
  const n = upTo + 1;
  if (n <= 2 * pixels) return Array.from({ length: n }, (_, i) => i);
  const per = n / pixels;
  const picked = new Set<number>();
  for (let b = 0; b < pixels; b++) {
    const start = Math.floor(b * per);
    const end = Math.min(n, Math.floor((b + 1) * per));
    if (start >= end) continue;
    picked.add(start).add(end - 1);
    for (const column of columns) {
      let lo = start;
      let hi = start;
      for (let i = start; i < end; i++) {
        if (column[i] < column[lo]) lo = i;
        if (column[i] > column[hi]) hi = i;
      }
      picked.add(lo).add(hi);
    }
  }
  return [...picked].sort((a, b) => a - b);
}

/** Ticks per bar so that a run of `ticks` gives at most one bar per pixel of `plotWidth`. */
export function ticksPerBar(ticks: number, plotWidth: number): number {
  return Math.max(1, Math.ceil(ticks / Math.max(1, plotWidth)));
}

/** Sums of ticks 1..upTo in bars of `per` ticks: bar b covers ticks b·per+1 … (b+1)·per. */
export function barSums(column: ArrayLike<number>, upTo: number, per: number): Float64Array {
  const sums = new Float64Array(Math.ceil(upTo / per));
  for (let t = 1; t <= upTo; t++) sums[Math.floor((t - 1) / per)] += column[t];
  return sums;
}

/** The tick ranges [start, end] of 1..upTo where `column` is above zero (a breaker's halts). */
export function positiveRuns(column: ArrayLike<number>, upTo: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let t = 1; t <= upTo + 1; t++) {
    const on = t <= upTo && column[t] > 0;
    if (on && start < 0) start = t;
    if (!on && start >= 0) {
      runs.push([start - 1, t - 1]);
      start = -1;
    }
  }
  return runs;
}

/** The prices (linearly interpolated) at which `values` over `prices` changes sign: the gamma flips. */
export function signChanges(prices: ArrayLike<number>, values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1];
    const b = values[i];
    if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) {
      const share = a === b ? 0 : a / (a - b);
      out.push(prices[i - 1] + share * (prices[i] - prices[i - 1]));
    }
  }
  return out;
}

/** Largest absolute value of `column` over ticks 0..upTo (at least `floor`). */
export function maxAbs(column: ArrayLike<number>, upTo: number, floor = 0): number {
  let m = floor;
  for (let t = 0; t <= upTo; t++) m = Math.max(m, Math.abs(column[t]));
  return m;
}

/** Decimals of the coordinates in path data: a tenth of a pixel is invisible, and shorter paths parse and draw faster. */
export const PATH_DIGITS = 1;
