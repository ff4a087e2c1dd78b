/**
 * The stress map's colours: feedback multipliers on a log scale centred on 1×, blue below
 * (the feedback damped the shock), vermillion above (it amplified it), from the Okabe–Ito
 * palette of app.css. Concrete colours, not CSS variables: the ramp is interpolated here.
 */
import { interpolateRgb, piecewise } from 'd3';
import { contrastRatio } from './contrast.ts';

export const DAMPED = '#0072b2';
export const AMPLIFIED = '#d55e00';
const NEUTRAL = '#f4f1ea';
/** Cell labels: whichever of light and dark text stands out more from the cell. */
const INK_LIGHT = '#ffffff';
const INK_DARK = '#1a1d23';

/** The span of the colour scale: at least 0.5× to 2×, wider when the results are. */
export interface MultiplierExtent {
  lo: number;
  hi: number;
}

export function multiplierExtent(results: readonly number[]): MultiplierExtent {
  const finite = results.filter(Number.isFinite);
  return { lo: Math.min(0.5, ...finite), hi: Math.max(2, ...finite) };
}

const ramp = piecewise(interpolateRgb.gamma(2.2), [DAMPED, NEUTRAL, AMPLIFIED]);

/** The colour of multiplier `m` (a neutral border colour before its run has ended). */
export function multiplierColour(m: number, { lo, hi }: MultiplierExtent): string {
  if (!Number.isFinite(m)) return 'var(--border)';
  const l = Math.log(m);
  const t = l < 0 ? 0.5 - 0.5 * (l / Math.log(lo)) : 0.5 + 0.5 * (l / Math.log(hi));
  return ramp(Math.min(1, Math.max(0, t)));
}

/** The colour of a label on the cell of multiplier `m`: light or dark, whichever has the higher contrast on it. */
export function multiplierInk(m: number, extent: MultiplierExtent): string {
  if (!Number.isFinite(m)) return 'var(--muted)';
  const cell = multiplierColour(m, extent);
  return contrastRatio(INK_LIGHT, cell) > contrastRatio(INK_DARK, cell) ? INK_LIGHT : INK_DARK;
}

/** `n` multipliers spread evenly (in log) over the extent, for the legend's gradient stops. */
export function legendStops({ lo, hi }: MultiplierExtent, n = 11): number[] {
  return Array.from({ length: n }, (_, k) => Math.exp(Math.log(lo) + (k / (n - 1)) * (Math.log(hi) - Math.log(lo))));
}

/** The multipliers labelled under the legend: both ends, 1× and √hi, without repeats. */
export function legendTicks({ lo, hi }: MultiplierExtent): number[] {
  return [lo, 1, Math.sqrt(hi), hi].filter((v, i, all) => all.indexOf(v) === i);
}

const probabilityRamp = interpolateRgb.gamma(2.2)(NEUTRAL, AMPLIFIED);

/** The colour of a cell showing the probability `p` of a cascade: from neutral (never) to vermillion (always). */
export function probabilityColour(p: number): string {
  return Number.isFinite(p) ? probabilityRamp(Math.min(1, Math.max(0, p))) : 'var(--border)';
}

/** The colour of a label on the cell of probability `p`. */
export function probabilityInk(p: number): string {
  if (!Number.isFinite(p)) return 'var(--muted)';
  const cell = probabilityColour(p);
  return contrastRatio(INK_LIGHT, cell) > contrastRatio(INK_DARK, cell) ? INK_LIGHT : INK_DARK;
}
