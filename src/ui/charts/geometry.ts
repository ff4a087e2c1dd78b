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
