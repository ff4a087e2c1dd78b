import { describe, expect, test } from 'vitest';
import { defaultParams } from '../../../../src/model/schema.ts';
import { sweepCsv } from '../../../../src/ui/stress/export.ts';
import { newSweep } from '../../../../src/model/sweep.ts';

describe('sweepCsv', () => {
  test('one row a y value from the top, one column an x value, the multipliers in the cells', () => {
    const sweep = newSweep({ key: 'leverage', range: [2, 30] }, { key: 'gex', range: [-1, 1] }, 3, defaultParams());
    sweep.results = sweep.results.map((_, k) => (k === 0 ? NaN : k));
    sweep.done = sweep.results.length - 1;
    const lines = sweepCsv(sweep, 'http://x/?v=1').trimEnd().split('\n');
    const preamble = lines.filter((l) => l.startsWith('# '));
    expect(preamble).toContain(`# params: ${JSON.stringify(defaultParams())}`);
    expect(preamble).toContain('# link: http://x/?v=1');
    const rows = lines.slice(preamble.length);
    expect(rows[0]).toBe(`gex \\ leverage,${sweep.xs.join(',')}`);
    // The top row is the highest gex; the bottom row's first cell has not run yet.
    expect(rows[1].split(',')[0]).toBe(String(sweep.ys.at(-1)));
    expect(rows.at(-1)!.split(',').slice(0, 2)).toEqual([String(sweep.ys[0]), '']);
    expect(rows).toHaveLength(sweep.ys.length + 1);
  });
});
