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
import { contrastRatio } from '../../../src/ui/charts/contrast.ts';
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

  it('values are evenly spaced in whole steps, clamped to the range, without repeats', () => {
    expect(axisValues(spec('gex'), [-1, 1], 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    // Eight values would step 2/7 ≈ 0.286, off gex's grid of 0.05 (−0.7, −0.45, −0.15 …): nine step 0.25.
    expect(axisValues(spec('gex'), [-1, 1], 8)).toEqual([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1]);
    expect(axisValues(spec('leverage'), [2, 30], 8)).toEqual([2, 6, 10, 14, 18, 22, 26, 30]);
    // 28 does not split into 3 equal parts of whole half-steps: 4 parts of 7 do.
    expect(axisValues(spec('leverage'), [2, 30], 4)).toEqual([2, 9, 16, 23, 30]);
    // liqSpeed's 0.01 steps over (0, 1]: 0.01 to 1 is 99 steps, 9 parts of 11.
    expect(axisValues(spec('liqSpeed'), [0.05, 1], 10)).toEqual([
      0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95,
    ]);
    expect(axisValues(spec('gex'), [-5, 5], 3)).toEqual([-1, 0, 1]);
    expect(axisValues(spec('gex'), [0, 0], 4)).toEqual([0]);
  });

  it('every axis of every grid size steps evenly', () => {
    for (const key of ['gex', 'leverage', 'liqSpeed', 'shock', 'depthThinning']) {
      for (const n of [4, 6, 8, 10]) {
        const values = axisValues(spec(key), defaultRange(key), n);
        const gaps = values.slice(1).map((v, i) => v - values[i]);
        expect(
          gaps.every((g) => Math.abs(g - gaps[0]) < 1e-9),
          `${key} × ${n}: ${values}`,
        ).toBe(true);
        expect(Math.abs(values.length - n), `${key} × ${n}`).toBeLessThanOrEqual(2);
      }
    }
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

  it('label every cell in the ink that stands out most from it, at least 4.5:1 at the dark blue end', () => {
    expect(multiplierInk(0.5, extent)).toBe('#ffffff');
    expect(multiplierInk(1, extent)).toBe('#1a1d23');
    expect(multiplierInk(1.3, extent)).toBe('#1a1d23');
    expect(multiplierInk(NaN, extent)).toBe('var(--muted)');
    for (let m = 0.5; m <= 4; m *= 1.1) {
      const ink = multiplierInk(m, extent);
      const other = ink === '#ffffff' ? '#1a1d23' : '#ffffff';
      const cell = multiplierColour(m, extent);
      expect(contrastRatio(ink, cell), `${m}×`).toBeGreaterThanOrEqual(contrastRatio(other, cell));
      expect(contrastRatio(ink, cell), `${m}×`).toBeGreaterThanOrEqual(3.9);
    }
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
