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

/** A price on an axis: as `formatPrice`, but short for the tiny prices of a death spiral ($0.05, $1e−6). */
export function formatPriceTick(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x === 0 || Math.abs(x) >= 1) return formatPrice(x);
  return Math.abs(x) >= 0.01 ? usdShort(x) : `$${x.toExponential(0).replace('-', '−')}`;
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
  const finer = FINER.get(fmt);
  if (!finer || ticks.length < 2 || new Set(labels).size === labels.length) return labels;
  const step = Math.abs(ticks[1] - ticks[0]);
  const largest = Math.max(...ticks.map(Math.abs));
  return ticks.map(finer(step, largest));
}
