import { describe, expect, test } from 'vitest';
import { defaultParams } from '../../../src/model/schema.ts';
import { SERIES_KEYS, type Series } from '../../../src/model/series.ts';
import { summarize } from '../../../src/model/summary.ts';
import { exportName, runCsv, runJson } from '../../../src/ui/export.ts';

/** A run of 10 ticks, 4 of them simulated so far. */
function partialRun() {
  const columns = Object.fromEntries(
    SERIES_KEYS.map((key, k) => [key, Float64Array.from({ length: 11 }, (_, t) => (t <= 4 ? 1000 + k + t : 0))]),
  ) as Series;
  return { params: defaultParams(), summary: summarize(columns, defaultParams(), 4), columns, tick: 4 };
}

describe('export', () => {
  test('CSV: the parameters in a preamble, a header of tick and every series with its unit, one row per simulated tick', () => {
    const lines = runCsv(partialRun()).trimEnd().split('\n');
    const rows = lines.filter((line) => !line.startsWith('# '));
    expect(lines.find((line) => line.startsWith('# params: '))).toBe(`# params: ${JSON.stringify(defaultParams())}`);
    expect(rows[0].split(',').map((h) => h.split(' (')[0])).toEqual(['tick', ...SERIES_KEYS]);
    expect(rows).toHaveLength(6);
    expect(rows[5].split(',')[0]).toBe('4');
    expect(rows[5].split(',')[1]).toBe('1004');
  });

  test('JSON: params, summary and every series up to the tick reached', () => {
    const report = JSON.parse(runJson(partialRun()));
    expect(Object.keys(report)).toEqual(['params', 'summary', 'series']);
    expect(Object.keys(report.series)).toEqual([...SERIES_KEYS]);
    expect(report.series.price).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(report.summary.ticks).toBe(4);
  });

  test('file names say what the file holds', () => {
    expect(exportName(defaultParams(), 720, 'csv')).toBe('cascade-lab-run-seed7-t720.csv');
    expect(exportName(defaultParams(), 12, 'json', 'run-b')).toBe('cascade-lab-run-b-seed7-t12.json');
  });
});
