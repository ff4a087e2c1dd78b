/**
 * A sweep, as data: two numeric parameters, the values each takes on its axis, and the runs of
 * the grid they span — each cell over one seed or several — every other parameter as in the
 * base run. The page's stress map and `cascade-lab sweep` both read it. Pure functions, so the
 * grid the page runs is the grid the tests check.
 */
import { DEFAULT_CASCADE_DRAWDOWN, cascadeProbability } from './ensemble.ts';
import { SCHEMA, type NumberParam, type ParamKey, type Params } from './schema.ts';
import type { Summary } from './summary.ts';

/** The parameters a sweep can vary: every numeric one but the seed (another seed is another run, not a stress). */
export const SWEEPABLE = SCHEMA.filter(
  (spec) => spec.type !== 'enum' && spec.key !== 'seed',
) as unknown as NumberParam[];

export function sweepSpec(key: string): NumberParam {
  const spec = SWEEPABLE.find((s) => s.key === key);
  if (!spec) throw new Error(`${key} is not a parameter a sweep can vary`);
  return spec;
}

/** Ranges worth sweeping for the usual suspects; any other parameter sweeps its whole range. */
const DEFAULT_RANGES: Readonly<Record<string, [number, number]>> = {
  leverage: [2, 30],
  gex: [-1, 1],
  liqSpeed: [0.05, 1],
  shock: [0.01, 0.15],
  depthThinning: [0, 3],
};

/** The grid sizes offered (cells per axis). */
export const GRID_SIZES = [4, 6, 8, 10] as const;

export interface SweepAxis {
  key: string;
  range: [number, number];
}

/** The axes a sweep starts from: leverage across, dealer gamma up, on an 8 × 8 grid. */
export const DEFAULT_AXES: { x: SweepAxis; y: SweepAxis; size: number } = {
  x: { key: 'leverage', range: defaultRange('leverage') },
  y: { key: 'gex', range: defaultRange('gex') },
  size: 8,
};

/** The range an axis takes when its parameter is chosen. */
export function defaultRange(key: string): [number, number] {
  const spec = sweepSpec(key);
  return DEFAULT_RANGES[key] ?? [lowest(spec), spec.max];
}

function lowest(spec: NumberParam): number {
  return spec.minExclusive ? spec.min + spec.step : spec.min;
}

/**
 * About `n` values from `lo` to `hi` on the parameter's step grid, evenly spaced (log-spaced for
 * log parameters), so the axis reads in even steps (−1, −0.75, −0.5 …, not −0.7, −0.45, −0.15).
 * On a linear axis the spacing is a whole number of steps, chosen by `spacing`: `n` values when
 * the range divides into n − 1 equal parts, else about `n` from `lo` on.
 */
export function axisValues(spec: NumberParam, [lo, hi]: [number, number], n: number): number[] {
  const decimals = Math.max(0, -Math.floor(Math.log10(spec.step) + 1e-9));
  const round = (v: number): number => Number(v.toFixed(decimals));
  const low = Math.max(lo, lowest(spec));
  const high = Math.min(hi, spec.max);
  if (n <= 1 || high <= low) return [round(Math.min(high, Math.max(low, low)))];
  if (spec.log && low > 0) {
    return Array.from({ length: n }, (_, i) => {
      const raw = low * (high / low) ** (i / (n - 1));
      const stepped = Math.round(raw / spec.step) * spec.step;
      return round(Math.min(high, Math.max(low, stepped)));
    }).filter((v, i, all) => all.indexOf(v) === i);
  }
  const steps = Math.round((high - low) / spec.step);
  const every = spacing(steps, n);
  const count = Math.floor(steps / every) + 1;
  return Array.from({ length: count }, (_, i) => round(low + i * every * spec.step));
}

/**
 * The whole number of steps between values that reads best for about `n` values over `steps`
 * steps: as close to `n` values as can be, preferring a spacing that ends exactly on the range's
 * end, then a round one (1, 2 or 5 times a power of ten).
 */
function spacing(steps: number, n: number): number {
  const round = (e: number): boolean => /^[125]0*$/.test(String(e));
  const score = (e: number): number =>
    Math.abs(Math.floor(steps / e) + 1 - n) + (steps % e === 0 ? 0 : 1.1) + (steps % e === 0 || round(e) ? 0 : 0.3);
  let best = 1;
  for (let e = 2; e <= Math.min(steps, 1e6); e++) if (score(e) < score(best)) best = e;
  return best;
}

/** What a cell shows: the feedback multiplier (averaged over its seeds), or the probability of a cascade. */
export type SweepMetric = 'multiplier' | 'cascade';

/** Seeds per cell the stress map offers. */
export const SEED_COUNTS = [1, 4, 10, 20] as const;

/** One sweep: its axes, its base run, its seeds and, as the runs end, each cell's value. */
export interface Sweep {
  xKey: ParamKey;
  yKey: ParamKey;
  xs: number[];
  ys: number[];
  base: Params;
  /** Every cell runs each of these seeds. */
  seeds: number[];
  metric: SweepMetric;
  /** A cascade: max drawdown beyond this. */
  cascadeDrawdown: number;
  /** The value of cell (i, j) at [j * xs.length + i] over the seeds done so far; NaN until one is. */
  results: number[];
  /** The summaries of each cell's runs so far (in the order they ended). */
  runs: Pick<Summary, 'feedbackMultiplier' | 'maxDrawdown'>[][];
  /** Runs done, over every cell and seed. */
  done: number;
  status: 'running' | 'done' | 'cancelled';
}

export interface SweepOptions {
  seeds?: number[];
  metric?: SweepMetric;
  cascadeDrawdown?: number;
}

/** A new sweep over `x` × `y` with `size` values an axis (or `size.x` across and `size.y` up) (fewer where a parameter's steps run out), nothing run yet. */
export function newSweep(
  x: SweepAxis,
  y: SweepAxis,
  size: number | { x: number; y: number },
  base: Params,
  options: SweepOptions = {},
): Sweep {
  const xs = axisValues(sweepSpec(x.key), x.range, typeof size === 'number' ? size : size.x);
  const ys = axisValues(sweepSpec(y.key), y.range, typeof size === 'number' ? size : size.y);
  return {
    xKey: x.key as ParamKey,
    yKey: y.key as ParamKey,
    xs,
    ys,
    base,
    seeds: options.seeds ?? [base.seed as number],
    metric: options.metric ?? 'multiplier',
    cascadeDrawdown: options.cascadeDrawdown ?? DEFAULT_CASCADE_DRAWDOWN,
    results: new Array<number>(xs.length * ys.length).fill(NaN),
    runs: Array.from({ length: xs.length * ys.length }, () => []),
    done: 0,
    status: 'running',
  };
}

/** Runs in the whole sweep: cells × seeds. */
export function sweepSize(s: Pick<Sweep, 'results' | 'seeds'>): number {
  return s.results.length * s.seeds.length;
}

/** One run of a sweep: its cell (index in `results`), its seed and its parameters. */
export interface SweepRun {
  cell: number;
  seed: number;
  params: Params;
}

/** Every run of the sweep: cells in `results` order, each cell's seeds in order. */
export function sweepRuns(s: Sweep): SweepRun[] {
  return sweepJobs(s).flatMap((params, cell) =>
    s.seeds.map((seed) => ({ cell, seed, params: { ...params, seed } as Params })),
  );
}

/** Record a run that ended: its cell's value becomes the metric over the cell's runs so far. */
export function recordRun(s: Sweep, cell: number, summary: Pick<Summary, 'feedbackMultiplier' | 'maxDrawdown'>): void {
  const runs = s.runs[cell];
  runs.push({ feedbackMultiplier: summary.feedbackMultiplier, maxDrawdown: summary.maxDrawdown });
  s.results[cell] =
    s.metric === 'cascade'
      ? cascadeProbability(runs, s.cascadeDrawdown)
      : runs.reduce((sum, r) => sum + r.feedbackMultiplier, 0) / runs.length;
  s.done += 1;
}

/** Index of cell (i, j) in `results`: row by row, from the bottom row up. */
export function cellIndex(s: Pick<Sweep, 'xs'>, i: number, j: number): number {
  return j * s.xs.length + i;
}

/** The parameters of cell (i, j): the base run with the two swept values. */
export function cellParams(s: Sweep, i: number, j: number): Params {
  return { ...s.base, [s.xKey]: s.xs[i], [s.yKey]: s.ys[j] } as Params;
}

/** Every cell's parameters, in `results` order. */
export function sweepJobs(s: Sweep): Params[] {
  return s.ys.flatMap((_, j) => s.xs.map((_, i) => cellParams(s, i, j)));
}

/** Whether cell (i, j) is the run `params` describe. */
export function isCell(s: Sweep, params: Params, i: number, j: number): boolean {
  return params[s.xKey] === s.xs[i] && params[s.yKey] === s.ys[j];
}
