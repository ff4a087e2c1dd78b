/**
 * The geometry of every chart, as pure functions: the frame (plot box, scales and axis ticks
 * from a width, a height and the two axes' specs; ChartFrame.svelte draws it) and the
 * reductions that keep the number of marks near the number of pixels however long the run.
 */
import { line, scaleLinear, scaleLog, type ScaleContinuousNumeric, type ScaleLinear } from 'd3';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const MARGIN: Margin = { top: 8, right: 12, bottom: 24, left: 60 };

/** Pixels per label on a time axis and on a price axis. */
const MINUTE_LABEL_SPACING = 70;
const PRICE_LABEL_SPACING = 90;

/** The x axis: a run's ticks in minutes (the whole run, so lines grow rightward), or a price range. */
export type XAxis = { kind: 'minutes'; ticks: number } | { kind: 'price'; domain: readonly [number, number] };

/** The time axis of a run of `ticks` ticks. */
export function minutesAxis(ticks: number): XAxis {
  return { kind: 'minutes', ticks };
}

/** The y axis: its domain, and about how many ticks (a linear domain is made nice to them); `log` for a log scale. */
export interface YAxis {
  domain: readonly [number, number];
  count: number;
  log?: boolean;
}

export type XScale = ScaleLinear<number, number>;
export type YScale = ScaleContinuousNumeric<number, number>;

/** Everything a chart's marks are drawn with: the plot box in pixels and the two scales. */
export interface FrameGeometry {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Pixels across the plot (at least 1): what the reductions below are sized to. */
  plotWidth: number;
  x: XScale;
  y: YScale;
  xTicks: number[];
  yTicks: number[];
}

/** Pixels across the plot of a chart `width` wide (at least 1, before the chart is measured too). */
export function plotWidthOf(width: number, margin: Margin = MARGIN): number {
  return Math.max(1, width - margin.left - margin.right);
}

/** The frame of a chart `width` × `height` pixels: plot box, scales and the values to label on each axis. */
export function frameGeometry(
  width: number,
  height: number,
  xAxis: XAxis,
  yAxis: YAxis,
  margin: Margin = MARGIN,
): FrameGeometry {
  const left = margin.left;
  const right = width - margin.right;
  const top = margin.top;
  const bottom = height - margin.bottom;
  const plotWidth = plotWidthOf(width, margin);
  const domain = xAxis.kind === 'minutes' ? [0, Math.max(1, xAxis.ticks)] : xAxis.domain;
  const x = scaleLinear()
    .domain(domain)
    .range([left, Math.max(left + 1, right)]);
  const xTicks =
    xAxis.kind === 'minutes'
      ? minuteTicks(xAxis.ticks, plotWidth / MINUTE_LABEL_SPACING)
      : x.ticks(Math.max(2, Math.floor((width - left) / PRICE_LABEL_SPACING)));
  const y = yAxis.log
    ? scaleLog().domain(yAxis.domain).range([bottom, top]).nice()
    : scaleLinear().domain(yAxis.domain).range([bottom, top]).nice(yAxis.count);
  return {
    width,
    height,
    left,
    right,
    top,
    bottom,
    plotWidth,
    x,
    y,
    xTicks,
    yTicks: valueTicks(y, yAxis.count, yAxis.log),
  };
}

/** A log axis labels only the powers of ten once it has many ticks; a linear one its round values. */
export function valueTicks(y: YScale, count: number, log = false): number[] {
  const ticks = y.ticks(count);
  return log && ticks.length > 7 ? ticks.filter((v) => Number.isInteger(Math.log10(v))) : ticks;
}

/** The x domain of a snapshot's price grid: its first to its last price ([1, 2] before there is a snapshot). */
export function priceSpan(prices: ArrayLike<number> | undefined): [number, number] {
  return prices ? [prices[0], prices[prices.length - 1]] : [1, 2];
}

/** A domain from zero up to the largest of `maxima` (at least `floor`): amounts that are never negative. */
export function fromZero(maxima: readonly (number | undefined)[], floor: number): [number, number] {
  return [0, Math.max(floor, ...maxima.map((m) => m ?? 0))];
}

/** A domain that spans `values` and zero (never empty): a signed quantity read against zero. */
export function aroundZero(values: Iterable<number>): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi || 1];
}

/** Tick steps that read well as time: minutes up to a day, then days. */
const MINUTE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 7200, 14400];

/** Axis ticks over [0, ticks] minutes: at most about `count`, on round times. */
export function minuteTicks(ticks: number, count: number): number[] {
  const step = MINUTE_STEPS.find((s) => ticks / s <= count) ?? MINUTE_STEPS[MINUTE_STEPS.length - 1];
  const out: number[] = [];
  for (let t = 0; t <= ticks; t += step) out.push(t);
  return out;
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

/** The path of `column` over the ticks `indices` (x of a tick, y of a value); gaps where `defined` says no. */
export function linePath(
  x: (tick: number) => number,
  y: (value: number) => number,
  column: ArrayLike<number>,
  indices: readonly number[],
  defined?: (value: number) => boolean,
): string {
  const path = line<number>()
    .digits(PATH_DIGITS)
    .x((i) => x(i))
    .y((i) => y(column[i]));
  if (defined) path.defined((i) => defined(column[i]));
  return path(indices as number[]) ?? '';
}

/**
 * Which of a row of labels to print so that none overlaps another: each label starts at its
 * `x` and is `width` pixels wide (plus a `gap`). Labels marked `first` are placed before the
 * others (e.g. the gamma flip nearest spot), then the rest from left to right; a label that
 * would touch one already placed is left out (its value stays in the legend).
 */
export function spacedLabels(xs: readonly number[], first: readonly boolean[], width: number, gap = 4): boolean[] {
  const shown = xs.map(() => false);
  const placed: number[] = [];
  const order = xs.map((_, i) => i).sort((a, b) => Number(first[b]) - Number(first[a]) || xs[a] - xs[b]);
  for (const i of order)
    if (placed.every((p) => Math.abs(p - xs[i]) >= width + gap)) {
      shown[i] = true;
      placed.push(xs[i]);
    }
  return shown;
}
