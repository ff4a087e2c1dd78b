/** The stress map's grid as data (src/model/sweep.ts) and its colours (src/ui/charts/multiplier-colour.ts). */
import { describe, expect, it } from 'vitest';
import { defaultParams, paramSpec, type NumberParam } from '../../../src/model/schema.ts';
import {
  legendStops,
  legendTicks,
  multiplierColour,
  multiplierExtent,
  multiplierInk,
} from '../../../src/ui/charts/multiplier-colour.ts';
import {
  DEFAULT_AXES,
  SWEEPABLE,
  axisValues,
  cellIndex,
  cellParams,
  defaultRange,
  isCell,
  newSweep,
  recordRun,
  sweepJobs,
  sweepRuns,
  sweepSize,
  sweepSpec,
} from '../../../src/model/sweep.ts';

const spec = (key: string): NumberParam => paramSpec(key) as NumberParam;

describe('the axes', () => {
  it('every numeric parameter but the seed can be swept', () => {
    expect(SWEEPABLE.map((s) => s.key)).not.toContain('seed');
    expect(SWEEPABLE.every((s) => 'max' in s)).toBe(true);
    expect(() => sweepSpec('impactLaw')).toThrow(/not a parameter a sweep can vary/);
  });

  it('start from leverage across and dealer gamma up, 8 × 8', () => {
    expect(DEFAULT_AXES).toEqual({
      x: { key: 'leverage', range: [2, 30] },
      y: { key: 'gex', range: [-1, 1] },
      size: 8,
    });
  });

  it('a parameter without a chosen range sweeps its whole range', () => {
    const s = spec('hedgeRate');
    expect(defaultRange('hedgeRate')).toEqual([s.minExclusive ? s.min + s.step : s.min, s.max]);
  });

  it('values are evenly spaced, on the step grid, clamped to the range, without repeats', () => {
    expect(axisValues(spec('gex'), [-1, 1], 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    // 2 + 28·k/3 = 11.33, 20.67 on leverage's steps of 0.5.
    expect(axisValues(spec('leverage'), [2, 30], 4)).toEqual([2, 11.5, 20.5, 30]);
    expect(axisValues(spec('gex'), [-5, 5], 3)).toEqual([-1, 0, 1]);
    expect(axisValues(spec('gex'), [0, 0], 4)).toEqual([0]);
  });

  it('log parameters are log-spaced', () => {
    const s = SWEEPABLE.find((p) => p.log && p.min > 0);
    if (!s) return;
    const [a, b, c] = axisValues(s, [s.min * 10, s.min * 1000], 3);
    expect(b / a).toBeCloseTo(c / b, 1);
  });
});

describe('a sweep', () => {
  const base = defaultParams();
  const sweep = newSweep({ key: 'leverage', range: [2, 30] }, { key: 'gex', range: [-1, 1] }, 4, base);

  it('has one cell a pair of values, none run yet', () => {
    expect(sweep.results).toHaveLength(sweep.xs.length * sweep.ys.length);
    expect(sweep.results.every(Number.isNaN)).toBe(true);
    expect(sweep).toMatchObject({ done: 0, status: 'running', xKey: 'leverage', yKey: 'gex' });
  });

  it('numbers its cells row by row from the bottom, as its jobs are ordered', () => {
    const jobs = sweepJobs(sweep);
    expect(jobs).toHaveLength(sweep.results.length);
    const i = 2;
    const j = 1;
    expect(jobs[cellIndex(sweep, i, j)]).toEqual(cellParams(sweep, i, j));
    expect(cellParams(sweep, i, j)).toEqual({ ...base, leverage: sweep.xs[i], gex: sweep.ys[j] });
  });

  it('knows the cell of the run loaded above', () => {
    expect(isCell(sweep, cellParams(sweep, 3, 0), 3, 0)).toBe(true);
    expect(isCell(sweep, cellParams(sweep, 3, 0), 0, 3)).toBe(false);
  });
});

describe('multiplier colours', () => {
  const extent = multiplierExtent([NaN, 0.8, 4]);

  it('span at least 0.5× to 2×, wider when the results are', () => {
    expect(extent).toEqual({ lo: 0.5, hi: 4 });
    expect(multiplierExtent([])).toEqual({ lo: 0.5, hi: 2 });
  });

  it('are blue below 1×, neutral at 1×, vermillion above, and wait for a run', () => {
    expect(multiplierColour(0.5, extent)).toBe('rgb(0, 114, 178)');
    expect(multiplierColour(1, extent)).toBe('rgb(244, 241, 234)');
    expect(multiplierColour(4, extent)).toBe('rgb(213, 94, 0)');
    expect(multiplierColour(100, extent)).toBe('rgb(213, 94, 0)');
    expect(multiplierColour(NaN, extent)).toBe('var(--border)');
  });

  it('label dark cells in light ink and light cells in dark ink', () => {
    expect(multiplierInk(4, extent)).toBe('#fff');
    expect(multiplierInk(1, extent)).toBe('#1a1d23');
    expect(multiplierInk(NaN, extent)).toBe('var(--muted)');
  });

  it('have a legend from end to end, labelled at its ends, 1× and √hi', () => {
    const stops = legendStops(extent);
    expect(stops).toHaveLength(11);
    expect(stops[0]).toBeCloseTo(0.5, 12);
    expect(stops[10]).toBeCloseTo(4, 12);
    expect(legendTicks(extent)).toEqual([0.5, 1, 2, 4]);
    expect(legendTicks({ lo: 0.5, hi: 1 })).toEqual([0.5, 1]);
  });
});

describe('cells over several seeds', () => {
  const base = defaultParams();
  const seeds = [3, 4, 5, 6];

  it('every cell runs every seed, cell by cell', () => {
    const sweep = newSweep({ key: 'leverage', range: [2, 30] }, { key: 'gex', range: [-1, 1] }, { x: 3, y: 2 }, base, {
      seeds,
    });
    expect([sweep.xs.length, sweep.ys.length]).toEqual([3, 2]);
    const runs = sweepRuns(sweep);
    expect(runs).toHaveLength(sweepSize(sweep));
    expect(runs.slice(0, 5).map((r) => [r.cell, r.seed])).toEqual([
      [0, 3],
      [0, 4],
      [0, 5],
      [0, 6],
      [1, 3],
    ]);
    expect(runs[5].params).toEqual({ ...cellParams(sweep, 1, 0), seed: 4 });
  });

  it('a cell shows its mean multiplier, or the share of its seeds that cascaded', () => {
    const axes = [
      { key: 'leverage', range: [2, 30] as [number, number] },
      { key: 'gex', range: [-1, 1] as [number, number] },
    ] as const;
    const mean = newSweep(axes[0], axes[1], 2, base, { seeds });
    const cascade = newSweep(axes[0], axes[1], 2, base, { seeds, metric: 'cascade', cascadeDrawdown: 0.1 });
    for (const [m, d] of [
      [1.5, 0.05],
      [2.5, 0.12],
      [3.5, 0.2],
    ]) {
      recordRun(mean, 1, { feedbackMultiplier: m, maxDrawdown: d });
      recordRun(cascade, 1, { feedbackMultiplier: m, maxDrawdown: d });
    }
    expect(mean.results[1]).toBe(2.5);
    expect(cascade.results[1]).toBeCloseTo(2 / 3, 15);
    expect(Number.isNaN(mean.results[0])).toBe(true);
    expect(mean.done).toBe(3);
  });
});
