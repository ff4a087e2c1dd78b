/** The chart frame's geometry and the reductions (src/ui/charts/geometry.ts): pure functions of numbers. */
import { describe, expect, it } from 'vitest';
import {
  MARGIN,
  aroundZero,
  barSums,
  frameGeometry,
  fromZero,
  lineIndices,
  linePath,
  maxAbs,
  minuteTicks,
  plotWidthOf,
  positiveRuns,
  priceSpan,
  signChanges,
  spacedLabels,
  ticksPerBar,
  valueTicks,
} from '../../../../src/ui/charts/geometry.ts';

describe('frameGeometry', () => {
  it('places the plot inside the margins, time from 0 to the run end', () => {
    const f = frameGeometry(600, 200, { kind: 'minutes', ticks: 720 }, { domain: [0, 0.37], count: 4 });
    expect([f.left, f.right, f.top, f.bottom]).toEqual([
      MARGIN.left,
      600 - MARGIN.right,
      MARGIN.top,
      200 - MARGIN.bottom,
    ]);
    expect(f.plotWidth).toBe(600 - MARGIN.left - MARGIN.right);
    expect(f.x(0)).toBe(f.left);
    expect(f.x(720)).toBe(f.right);
    // Linear y made nice to about 4 ticks, upward.
    expect(f.y.domain()).toEqual([0, 0.4]);
    expect(f.y(0)).toBe(f.bottom);
    expect(f.yTicks).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    // A label every 70 pixels at most, on round times: 518 px → 7 → every 2 hours.
    expect(f.xTicks).toEqual([0, 120, 240, 360, 480, 600, 720]);
  });

  it('labels a price axis about every 90 pixels', () => {
    const f = frameGeometry(600, 200, { kind: 'price', domain: [2000, 3600] }, { domain: [-5, 5], count: 4 });
    expect(f.x.domain()).toEqual([2000, 3600]);
    // About (600 − 60) / 90 = 6 labels asked for; d3 rounds to steps of 200.
    expect(f.xTicks).toEqual([2000, 2200, 2400, 2600, 2800, 3000, 3200, 3400, 3600]);
  });

  it('keeps a one-pixel plot before the chart is measured', () => {
    const f = frameGeometry(0, 200, { kind: 'minutes', ticks: 0 }, { domain: [0, 1], count: 4 });
    expect(f.plotWidth).toBe(1);
    expect(f.x.range()).toEqual([MARGIN.left, MARGIN.left + 1]);
    expect(f.x.domain()).toEqual([0, 1]);
    expect(plotWidthOf(0)).toBe(1);
  });

  it('labels a many-decade log axis at its powers of ten only', () => {
    const f = frameGeometry(600, 270, { kind: 'minutes', ticks: 100 }, { domain: [0.05, 80], count: 5, log: true });
    expect(f.y.domain()).toEqual([0.01, 100]);
    expect(f.yTicks).toEqual([0.01, 0.1, 1, 10, 100]);
    expect(valueTicks(f.y, 5)).toHaveLength(37);
  });
});

describe('domains', () => {
  it('fromZero spans zero to the largest maximum, at least the floor', () => {
    expect(fromZero([3, undefined, 7], 1)).toEqual([0, 7]);
    expect(fromZero([undefined], 0.1)).toEqual([0, 0.1]);
  });

  it('aroundZero spans the values and zero, never empty', () => {
    expect(aroundZero([-3, 2])).toEqual([-3, 2]);
    expect(aroundZero([4, 5])).toEqual([0, 5]);
    expect(aroundZero([])).toEqual([0, 1]);
    expect(aroundZero([NaN, -1])).toEqual([-1, 1]);
  });

  it('priceSpan is a grid from its first to its last price', () => {
    expect(priceSpan(Float64Array.of(9, 10, 11))).toEqual([9, 11]);
    expect(priceSpan(undefined)).toEqual([1, 2]);
  });
});

describe('reductions', () => {
  it('minuteTicks steps on round times', () => {
    expect(minuteTicks(60, 7)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(minuteTicks(4320, 4)).toEqual([0, 1440, 2880, 4320]);
  });

  it('lineIndices keeps every tick that fits, else each pixel’s first, last, lowest and highest', () => {
    expect(lineIndices([[1, 2, 3]], 2, 10)).toEqual([0, 1, 2]);
    const spike = Float64Array.from({ length: 1001 }, (_, t) => (t === 537 ? 100 : t === 212 ? -100 : 0));
    const kept = lineIndices([spike], 1000, 10);
    expect(kept.length).toBeLessThanOrEqual(40);
    expect(kept).toContain(537);
    expect(kept).toContain(212);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(1000);
  });

  it('ticksPerBar and barSums group ticks into at most one bar a pixel', () => {
    expect(ticksPerBar(720, 518)).toBe(2);
    expect(ticksPerBar(100, 518)).toBe(1);
    expect(Array.from(barSums([9, 1, 2, 3, 4, 5], 5, 2))).toEqual([3, 7, 5]);
  });

  it('positiveRuns finds the halts, signChanges the gamma flips, maxAbs the peak', () => {
    expect(positiveRuns([0, 1, 1, 0, 0, 1], 5)).toEqual([
      [0, 2],
      [4, 5],
    ]);
    expect(signChanges([10, 20, 30], [-1, 1, 3])).toEqual([15]);
    expect(maxAbs([1, -5, 3], 2)).toBe(5);
    expect(maxAbs([0, 0], 1, 1e-12)).toBe(1e-12);
  });

  it('linePath draws a column over its ticks, skipping what is not defined', () => {
    const x = (t: number): number => t * 10;
    const y = (v: number): number => 100 - v;
    expect(linePath(x, y, [1, 2, 3], [0, 1, 2])).toBe('M0,99L10,98L20,97');
    expect(linePath(x, y, [1, NaN, 3], [0, 1, 2], Number.isFinite)).toBe('M0,99ZM20,97Z');
  });
});

describe('spacedLabels', () => {
  it('leaves out a label that would overlap one placed before it, placing the marked ones first', () => {
    // Two flips 30 px apart (the "$2,23·$2,403" of gamma-squeeze) and the nearest one far off.
    expect(spacedLabels([100, 130, 300], [false, false, true], 40)).toEqual([true, false, true]);
    // The nearest wins over a neighbour to its left.
    expect(spacedLabels([100, 120], [false, true], 40)).toEqual([false, true]);
    expect(spacedLabels([0, 50, 100], [false, false, false], 40)).toEqual([true, true, true]);
    expect(spacedLabels([], [], 40)).toEqual([]);
  });
});
