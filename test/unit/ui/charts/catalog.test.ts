/**
 * The page's charts and the widget's `charts=` are one list (src/state/charts.ts): every chart the
 * page's grid draws has an id the widget accepts, the widget accepts no chart the page lacks, and
 * the README's table of the widget's link names every id.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { RUN_CHART_IDS } from '../../../../src/state/charts.ts';
import { EMBED_CHART_NAMES, readEmbedLocation } from '../../../../src/state/embed.ts';
import { GRID_CHARTS } from '../../../../src/ui/charts/catalog.ts';

describe('the one list of a run’s charts', () => {
  test('the page’s charts are the price, the loops and the grid’s, each with its own component and name', () => {
    expect(RUN_CHART_IDS).toEqual(['price', 'loops', ...Object.keys(GRID_CHARTS)]);
    const entries = Object.values(GRID_CHARTS);
    expect(new Set(entries.map((e) => e.chart)).size).toBe(entries.length);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
    // The charts issue 10 added to the page are there.
    expect(RUN_CHART_IDS).toEqual(expect.arrayContaining(['stablecoin', 'supply', 'insurers']));
  });

  test('every chart of the page is accepted by the widget’s charts=, in the order given, without a notice', () => {
    expect(EMBED_CHART_NAMES).toEqual(RUN_CHART_IDS);
    const ids = [...RUN_CHART_IDS].reverse();
    const read = readEmbedLocation(`?embed=1&charts=${ids.join(',')}`);
    expect(read.notices).toEqual([]);
    expect(read.flags.charts).toEqual(ids);
    for (const id of RUN_CHART_IDS) {
      const one = readEmbedLocation(`?embed=1&charts=${id.toUpperCase()}`);
      expect(one.flags.charts, id).toEqual([id]);
      expect(one.notices, id).toEqual([]);
    }
  });

  test('the README’s table of the widget’s link lists every chart id', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `charts` |'));
    expect(row).toBeDefined();
    const listed = [...row!.split('|')[2].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(listed).toEqual([...RUN_CHART_IDS]);
  });
});
