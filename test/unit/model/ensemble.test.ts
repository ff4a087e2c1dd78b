/** Ensemble statistics (src/model/ensemble.ts) against a direct computation: sort, then d3's quantile. */
import { quantile as d3Quantile } from 'd3';
import { describe, expect, it } from 'vitest';
import {
  PERCENTILES,
  SortedColumns,
  bands,
  cascadeProbability,
  quantile,
  seedsFrom,
  stats,
  summaryStats,
} from '../../../src/model/ensemble.ts';
import { Rng } from '../../../src/model/rng.ts';
import type { Summary } from '../../../src/model/summary.ts';

const rng = new Rng(42, 0);
const draws = (n: number) => Array.from({ length: n }, () => rng.normal() * 3 + 1);

describe('quantiles and statistics', () => {
  it('quantile interpolates between order statistics as d3 (R type 7) does', () => {
    for (const n of [1, 2, 5, 10, 101]) {
      const values = draws(n);
      const sorted = [...values].sort((a, b) => a - b);
      for (const p of [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1])
        expect(quantile(sorted, p)).toBeCloseTo(d3Quantile(values, p)!, 12);
    }
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('stats are the mean and the five percentiles', () => {
    const values = draws(37);
    const s = stats(values);
    expect(s.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 12);
    for (const [key, p] of Object.entries(PERCENTILES))
      expect(s[key as keyof typeof s]).toBeCloseTo(d3Quantile(values, p)!, 12);
  });

  it('summaryStats covers every field of the summaries', () => {
    const summaries = [0.1, 0.2, 0.4].map((d, i) => ({ maxDrawdown: d, feedbackMultiplier: i + 1 }) as Summary);
    const s = summaryStats(summaries);
    expect(Object.keys(s)).toEqual(['maxDrawdown', 'feedbackMultiplier']);
    expect(s.feedbackMultiplier).toEqual({ mean: 2, p5: 1.1, p25: 1.5, p50: 2, p75: 2.5, p95: 2.9 });
  });

  it('the probability of a cascade is the share of runs beyond the threshold', () => {
    const runs = [0.05, 0.1, 0.11, 0.3].map((maxDrawdown) => ({ maxDrawdown }));
    expect(cascadeProbability(runs, 0.1)).toBe(0.5);
    expect(cascadeProbability(runs, 0)).toBe(1);
    expect(cascadeProbability([], 0.1)).toBe(0);
  });

  it('seeds run on from the first and wrap past 2³² − 1', () => {
    expect(seedsFrom(7, 3)).toEqual([7, 8, 9]);
    expect(seedsFrom(4294967294, 3)).toEqual([4294967294, 4294967295, 0]);
  });
});

describe('bands tick by tick', () => {
  const runs = Array.from({ length: 57 }, () => Float64Array.from(draws(40)));

  it('equal sorting each tick across the runs and taking its quantiles', () => {
    const band = bands(runs);
    for (let t = 0; t < 40; t++) {
      const column = runs.map((r) => r[t]);
      for (const [key, p] of Object.entries(PERCENTILES))
        expect(band[key as keyof typeof band][t]).toBeCloseTo(d3Quantile(column, p)!, 12);
    }
  });

  it('partial results: after each run, the bands of the runs so far', () => {
    const sorted = new SortedColumns(40, runs.length);
    runs.forEach((run, k) => {
      sorted.add(run);
      if (k % 10 !== 0) return;
      const direct = bands(runs.slice(0, k + 1));
      expect(sorted.band()).toEqual(direct);
    });
    expect(() => sorted.add(runs[0])).toThrow(/room for 57 runs/);
  });
});
