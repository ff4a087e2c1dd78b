/**
 * How numbers read on the page: one formatter per kind of quantity, shared by the headline, the
 * controls and the chart axes, so the same value never appears in two styles.
 */
import { format, formatPrefix, precisionFixed, precisionPrefix } from 'd3';

const usdCompact = format('$.3~s');
const usdWhole = format('$,.0f');
const usdCents = format('$,.2f');

/** Dollar amounts of any size: $950, $3.2M, $19.4B (SI "G" reads as "B" for money). */
export function formatUsd(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (Math.abs(x) < 1000) return usdWhole(x);
  return usdCompact(x).replace('G', 'B');
}

const usdSignificant = format('$.3r');

/** A price: whole dollars when large, cents when small, three significant digits below a dollar ($0.000123). */
export function formatPrice(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 100) return usdWhole(x);
  return Math.abs(x) >= 1 || x === 0 ? usdCents(x) : usdSignificant(x);
}

const usdShort = format('$.2~r');

/**
 * A price on an axis: as `formatPrice`, but short for the tiny prices of a death spiral ($0.05,
 * $1e−6). Whole cents print as cents, as a dollar does ($1.00, $0.80, $0.10: never "$1.00 $0.8").
 */
export function formatPriceTick(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x === 0 || Math.abs(x) >= 1) return formatPrice(x);
  if (Math.abs(x) < 0.01) return `$${x.toExponential(0).replace('-', '−')}`;
  return Math.abs(x * 100 - Math.round(x * 100)) < 1e-9 ? usdCents(x) : usdShort(x);
}

/** A fraction as a percentage with one decimal: 0.1234 → "12.3%". */
export function formatPercent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—';
}

/** The feedback multiplier: "2.41×", "12.3×". */
export function formatMultiplier(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`;
}

/** A count: 1,234. */
export const formatCount = format(',.0f');

/** Ticks are minutes: 95 → "1h 35m", 30 → "30m", 0 → "0". */
export function formatMinutes(minutes: number): string {
  if (minutes === 0) return '0';
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - 60 * h);
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h ${m}m`;
}

/** A volatility or share on an axis: "45%". */
export function formatPercentTick(x: number): string {
  return Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—';
}

/** Dollars at the precision a tick step needs: $0.2, $1.25B. */
function usdAtStep(step: number, largest: number): (x: number) => string {
  if (largest < 1000) {
    const fixed = format(`$,.${precisionFixed(step)}f`);
    return (x) => fixed(x);
  }
  const prefixed = formatPrefix(`$,.${precisionPrefix(step, largest)}`, largest);
  return (x) => prefixed(x).replace('G', 'B');
}

/** The finer formats of a coarse one, for axis labels that the coarse one would print alike. */
const FINER = new Map<(x: number) => string, (step: number, largest: number) => (x: number) => string>([
  [formatUsd, usdAtStep],
  [formatPriceTick, usdAtStep],
  [formatPercentTick, (step) => (x) => `${(x * 100).toFixed(precisionFixed(step * 100))}%`],
]);

/**
 * Labels of an axis's ticks: `fmt`'s, unless it prints two ticks alike ("$0 $0 $1"), then the
 * precision the step between ticks needs ("$0.2 $0.4 $0.6").
 */
export function distinctTicks(ticks: readonly number[], fmt: (x: number) => string): string[] {
  const labels = ticks.map(fmt);
  if ((fmt === formatPriceTick || fmt === formatPrice) && new Set(labels).size === labels.length)
    return evenPriceTicks(ticks, labels);
  const finer = FINER.get(fmt);
  if (!finer || ticks.length < 2 || new Set(labels).size === labels.length) return labels;
  const step = Math.abs(ticks[1] - ticks[0]);
  const largest = Math.max(...ticks.map(Math.abs));
  return ticks.map(finer(step, largest));
}

/** The digits after the point of a dollar label ("$80.00": 2, "$100": 0). */
const decimalsOf = (label: string): number => label.match(/\.(\d+)/)?.[1].length ?? 0;

/**
 * Price labels of an evenly spaced axis printed alike: all in whole dollars, or all in cents
 * ("$80 $100 $120", "$0.80 $1.00 $1.20"), never "$80.00 $100" or "$1.00 $0.8". A log axis
 * (uneven steps, "$1e−3 $0.01 $0.10") keeps each label's own form.
 */
function evenPriceTicks(ticks: readonly number[], labels: string[]): string[] {
  if (ticks.length < 3 || new Set(labels.map(decimalsOf)).size === 1) return labels;
  const step = Math.abs(ticks[1] - ticks[0]);
  const even = ticks.every(
    (t, i) => i === 0 || Math.abs(Math.abs(t - ticks[i - 1]) - step) <= 1e-9 * Math.max(1, step),
  );
  if (!even || Math.max(...ticks.map(Math.abs)) >= 1e5 || step < 0.01) return labels;
  const decimals = step >= 1 && ticks.every((t) => Number.isInteger(t)) ? 0 : 2;
  const fixed = format(`$,.${decimals}f`);
  const out = ticks.map((t) => fixed(t));
  return new Set(out).size === out.length ? out : labels;
}
